// The PDQ core (spec/pdq.md section 3). Written by hand because the float order is the contract:
// a library that blurs or transforms "the same way" in a different order yields different bits.
#include "hashing/pdq.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "hashing/dct.h"
#include "hashing/luminance_row.h"
#include "hashing/strip_transpose.h"

namespace takedown::hashing {
namespace {

constexpr int kDecimated = 64;
constexpr int kDctSize = 16;

// Rows are processed kStrip at a time, transposed so that lane l of every vector holds row l of
// the strip. The horizontal passes, whose running sums are serial along a row, then run as vector
// code across rows; the vertical passes are vector code across columns. Every sample still sees
// exactly the spec's sequence of float operations (section 3.2), so the result is bit-identical to
// the straightforward full-image passes, while the image is never copied as floats.
constexpr int kStrip = internal::kStripLanes;

using internal::BoxWindow;

BoxWindow MakeWindow(int window, int length) { return {window / 2, (window + 1) / 2, length}; }

using internal::Float4;
using internal::Load4;
using internal::Store4;

// One box pass along a transposed strip (`length` positions of kStrip lanes). Calls
// emit(k, low, high, count) for every output position with the running sums of lanes 0-3 and 4-7,
// kept in vector registers (GCC otherwise splits them into eight scalar chains), and the number of
// samples in the window; the caller divides: at all positions in the first pass, at the sampled
// ones in the second. The positions split into phases by which of the entering and leaving
// samples exist, so the loops carry no per-position tests.
template <typename Emit>
void BoxAlongStrip(const float* in, const BoxWindow& w, Emit&& emit) {
  Float4 low = {}, high = {};
  auto add = [&](int i) {
    low += Load4(in + static_cast<size_t>(i) * kStrip);
    high += Load4(in + static_cast<size_t>(i) * kStrip + 4);
  };
  auto subtract = [&](int i) {
    low -= Load4(in + static_cast<size_t>(i) * kStrip);
    high -= Load4(in + static_cast<size_t>(i) * kStrip + 4);
  };
  const int length = w.length, lead = w.before_enter, lag = w.lag;
  for (int i = 0; i < lead && i < length; ++i) add(i);
  const int enter_end = std::max(0, length - lead);  // k < enter_end: a sample enters
  const int leave_start = std::min(lag, length);     // k >= leave_start: a sample leaves
  int k = 0;
  for (const int end = std::min(enter_end, leave_start); k < end; ++k) {
    add(k + lead);
    emit(k, low, high, static_cast<float>(k + lead + 1));
  }
  const float full = static_cast<float>(lead + lag);
  for (; k < enter_end; ++k) {
    add(k + lead);
    subtract(k - lag);
    emit(k, low, high, full);
  }
  for (; k < leave_start; ++k) emit(k, low, high, static_cast<float>(length));
  for (; k < length; ++k) {
    subtract(k - lag);
    emit(k, low, high, static_cast<float>(length - k + lag - 1));
  }
}

void GreyRow(const uint8_t* grey, float* out, size_t n) {
  for (size_t c = 0; c < n; ++c) out[c] = static_cast<float>(grey[c]);
}

}  // namespace

namespace internal {

// The 16x64 DCT basis without the DC row, computed once.
const std::array<float, kDctSize * kDecimated>& DctMatrix() {
  static const std::array<float, kDctSize* kDecimated> matrix = [] {
    std::array<float, kDctSize * kDecimated> d{};
    const float scale = static_cast<float>(std::sqrt(2.0 / 64.0));
    for (int i = 0; i < kDctSize; ++i) {
      for (int j = 0; j < kDecimated; ++j) {
        d[i * kDecimated + j] = static_cast<float>(
            scale * std::cos((std::numbers::pi / 128.0) * (i + 1) * (2 * j + 1)));
      }
    }
    return d;
  }();
  return matrix;
}

// Thresholds 256 values against their lower median (the 128th smallest).
Hash256 Threshold(const std::array<float, 256>& values) {
  std::array<float, 256> sorted = values;
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end());
  const float median = sorted[127];
  Hash256 h;
  for (int k = 0; k < 256; ++k) {
    if (values[k] > median) h.set_bit(k);
  }
  return h;
}

// Builds B' for one dihedral variant from B (spec section 4's table).
std::array<float, 256> DihedralTransform(const std::array<float, 256>& b, Dihedral which) {
  std::array<float, 256> out{};
  for (int i = 0; i < kDctSize; ++i) {
    for (int j = 0; j < kDctSize; ++j) {
      const float v = b[i * kDctSize + j];
      const bool i_even = i % 2 == 0;
      const bool j_even = j % 2 == 0;
      const bool sum_odd = (i + j) % 2 == 1;
      switch (which) {
        case Dihedral::kOrig:
          out[i * kDctSize + j] = v;
          break;
        case Dihedral::kRot90:
          out[j * kDctSize + i] = j_even ? -v : v;
          break;
        case Dihedral::kRot180:
          out[i * kDctSize + j] = sum_odd ? -v : v;
          break;
        case Dihedral::kRot270:
          out[j * kDctSize + i] = i_even ? -v : v;
          break;
        case Dihedral::kFlipX:
          out[i * kDctSize + j] = i_even ? -v : v;
          break;
        case Dihedral::kFlipY:
          out[i * kDctSize + j] = j_even ? -v : v;
          break;
        case Dihedral::kFlipP:
          out[j * kDctSize + i] = v;
          break;
        case Dihedral::kFlipM:
          out[j * kDctSize + i] = sum_odd ? -v : v;
          break;
      }
    }
  }
  return out;
}

int Quality(const float* a) {
  int gradient_sum = 0;
  for (int i = 0; i < kDecimated - 1; ++i) {
    for (int j = 0; j < kDecimated; ++j) {
      const float d = ((a[i * kDecimated + j] - a[(i + 1) * kDecimated + j]) * 100) / 255;
      gradient_sum += std::abs(static_cast<int>(d));
    }
  }
  for (int i = 0; i < kDecimated; ++i) {
    for (int j = 0; j < kDecimated - 1; ++j) {
      const float d = ((a[i * kDecimated + j] - a[i * kDecimated + j + 1]) * 100) / 255;
      gradient_sum += std::abs(static_cast<int>(d));
    }
  }
  return std::min(100, gradient_sum / 90);
}

void Dct(const float* a, std::array<float, 256>* out) {
  // T = D * A (16x64), then B = T * D^T (16x16); every sum runs k = 0..63 in order from 0.
  const auto& d = DctMatrix();
  std::array<float, kDctSize * kDecimated> t{};
  for (int i = 0; i < kDctSize; ++i) {
    float* trow = &t[i * kDecimated];
    for (int k = 0; k < kDecimated; ++k) {
      const float dik = d[i * kDecimated + k];
      const float* arow = &a[k * kDecimated];
      for (int j = 0; j < kDecimated; ++j) trow[j] += dik * arow[j];
    }
  }
  for (int i = 0; i < kDctSize; ++i) {
    for (int j = 0; j < kDctSize; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < kDecimated; ++k) sum += t[i * kDecimated + k] * d[j * kDecimated + k];
      (*out)[i * kDctSize + j] = sum;
    }
  }
}

}  // namespace internal

using internal::DctMatrix;
using internal::DihedralTransform;
using internal::Threshold;

// Output k averages the spec's window [k - (ceil(w/2)-1), k + floor(w/2)], clipped to the line.
float internal::BoxWindow::Count(int k) const {
  const int lo = std::max(0, k - lag + 1);
  const int hi = std::min(length - 1, k + before_enter);
  return static_cast<float>(hi - lo + 1);
}

void PdqHasher::Begin(int width, int height, int channels) {
  rows_ = height;
  cols_ = width;
  channels_ = channels;
  rows_added_ = 0;
  vertical_done_ = 0;
  if (rows_ < 5 || cols_ < 5) return;  // degenerate: rows are counted but not processed

  const size_t n_cols = static_cast<size_t>(cols_);
  along_row_ = MakeWindow((cols_ + 127) / 128, cols_);
  along_col_ = MakeWindow((rows_ + 127) / 128, rows_);
  // The decimation samples (spec 3.3), computed in double and truncated.
  for (int i = 0; i < kDecimated; ++i) {
    sample_rows_[i] = static_cast<int>((i + 0.5) * rows_ / kDecimated);
    sample_cols_[i] = static_cast<int>((i + 0.5) * cols_ / kDecimated);
  }
  // The first vertical pass at row k reads first-pass rows k-lag .. k+before_enter; the ring holds
  // those, the strip being produced, and the three rows a group of four reaches further.
  ring_rows_ = along_col_.before_enter + along_col_.lag + kStrip + 4;
  strip_.assign(n_cols * kStrip, 0.0f);
  // Zeroed so that lanes past the last row always compute on finite values.
  luma_rows_.assign(n_cols * kStrip, 0.0f);
  ring_.resize(static_cast<size_t>(ring_rows_) * n_cols);
  col_sums_.assign(n_cols, 0.0f);
  vertical_.assign(n_cols * kStrip, 0.0f);
  spare_row_.resize(n_cols);
  // Rounded up to whole strips: lanes past the last row write harmlessly into the padding.
  second_.resize(static_cast<size_t>(rows_ + kStrip) * kDecimated);
}

void PdqHasher::AddRow(const uint8_t* row) {
  if (rows_added_ >= rows_) return;
  const int r = rows_added_++;
  if (rows_ < 5 || cols_ < 5) return;
  const size_t n_cols = static_cast<size_t>(cols_);
  float* dst = luma_rows_.data() + static_cast<size_t>(r % kStrip) * n_cols;
  if (channels_ == 1) {
    GreyRow(row, dst, n_cols);
  } else {
    internal::LuminanceRow(row, dst, n_cols);
  }
  if (r % kStrip == kStrip - 1 || r == rows_ - 1) FirstHorizontal(r - r % kStrip);
}

float* PdqHasher::RingRow(int r) {
  return ring_.data() + static_cast<size_t>(r % ring_rows_) * static_cast<size_t>(cols_);
}

// First horizontal pass over the strip of rows r0.. (lanes past the last row compute on stale
// values and write to a spare row, so every loop runs a constant kStrip lanes), then as much of
// the first vertical pass as those rows allow.
void PdqHasher::FirstHorizontal(int r0) {
  const size_t n_cols = static_cast<size_t>(cols_);
  const float* luma_rows[kStrip];
  for (int l = 0; l < kStrip; ++l) luma_rows[l] = luma_rows_.data() + l * n_cols;
  internal::RowsToStrip(luma_rows, n_cols, strip_.data());

  const int count = std::min(kStrip, rows_ - r0);
  float* ring_rows[kStrip];
  for (int l = 0; l < kStrip; ++l) ring_rows[l] = l < count ? RingRow(r0 + l) : spare_row_.data();
  // Quotients are gathered four positions at a time and transposed straight into the ring rows.
  Float4 low[4], high[4];
  BoxAlongStrip(strip_.data(), along_row_, [&](int k, Float4 sum_low, Float4 sum_high, float c) {
    low[k & 3] = sum_low / c;
    high[k & 3] = sum_high / c;
    if ((k & 3) == 3) {
      internal::Transpose4(low[0], low[1], low[2], low[3]);
      internal::Transpose4(high[0], high[1], high[2], high[3]);
      for (int l = 0; l < 4; ++l) {
        Store4(ring_rows[l] + (k - 3), low[l]);
        Store4(ring_rows[l + 4] + (k - 3), high[l]);
      }
    }
  });
  for (int k = cols_ & ~3; k < cols_; ++k) {  // the last (cols % 4) positions
    for (int l = 0; l < 4; ++l) {
      ring_rows[l][k] = low[k & 3][l];
      ring_rows[l + 4][k] = high[k & 3][l];
    }
  }
  FirstVertical(r0 + count);
}

// Emits first-vertical-pass rows while the first-pass rows they need exist. Output rows gather,
// transposed, into a strip for the second horizontal pass.
void PdqHasher::FirstVertical(int available) {
  const size_t n_cols = static_cast<size_t>(cols_);
  float* sums = col_sums_.data();
  // Rows are emitted in groups of four: each column block's four quotients are transposed in
  // registers straight into the strip layout the second horizontal pass reads.
  while (vertical_done_ < rows_) {
    const int k = vertical_done_;
    const int group = std::min(4, rows_ - k);
    if (k + group - 1 + along_col_.before_enter >= available && available != rows_) return;
    if (k == 0) {
      for (int i = 0; i < along_col_.before_enter && i < rows_; ++i) {
        const float* x = RingRow(i);
        for (size_t c = 0; c < n_cols; ++c) sums[c] += x[c];
      }
    }
    const float* in[4] = {};
    const float* gone[4] = {};
    float count[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    for (int i = 0; i < group; ++i) {
      const int enter = k + i + along_col_.before_enter;
      const int leave = k + i - along_col_.lag;
      if (enter < rows_) in[i] = RingRow(enter);
      if (leave >= 0) gone[i] = RingRow(leave);
      count[i] = along_col_.Count(k + i);
    }
    float* out = vertical_.data() + k % kStrip;
    size_t c = 0;
    if (group == 4 && in[3] != nullptr && gone[0] != nullptr) {
      // Away from the image's top and bottom edges every row of the group has a sample entering
      // and one leaving, and the same count: the common case, without per-row tests.
      const float full = count[0];
      for (; c + 4 <= n_cols; c += 4) {
        Float4 sum = Load4(sums + c);
        Float4 q[4];
        for (int i = 0; i < 4; ++i) {
          sum += Load4(in[i] + c);
          sum -= Load4(gone[i] + c);
          q[i] = sum / full;
        }
        Store4(sums + c, sum);
        internal::Transpose4(q[0], q[1], q[2], q[3]);
        for (int j = 0; j < 4; ++j) Store4(out + (c + j) * kStrip, q[j]);
      }
    }
    for (; c + 4 <= n_cols; c += 4) {
      Float4 sum = Load4(sums + c);
      Float4 q[4] = {};
      for (int i = 0; i < group; ++i) {
        if (in[i] != nullptr) sum += Load4(in[i] + c);
        if (gone[i] != nullptr) sum -= Load4(gone[i] + c);
        q[i] = sum / count[i];
      }
      Store4(sums + c, sum);
      internal::Transpose4(q[0], q[1], q[2], q[3]);
      for (int j = 0; j < 4; ++j) Store4(out + (c + j) * kStrip, q[j]);
    }
    for (; c < n_cols; ++c) {
      float sum = sums[c];
      for (int i = 0; i < group; ++i) {
        if (in[i] != nullptr) sum += in[i][c];
        if (gone[i] != nullptr) sum -= gone[i][c];
        out[c * kStrip + i] = sum / count[i];
      }
      sums[c] = sum;
    }
    vertical_done_ += group;
    if (vertical_done_ % kStrip == 0 || vertical_done_ == rows_) {
      SecondHorizontal(k - k % kStrip);
    }
  }
}

// Second horizontal pass over a strip of first-vertical-pass rows starting at r0: only the 64
// sampled columns are divided out and kept.
void PdqHasher::SecondHorizontal(int r0) {
  int next = 0;
  int next_col = sample_cols_[0];
  float* out = second_.data() + static_cast<size_t>(r0) * kDecimated;
  BoxAlongStrip(vertical_.data(), along_row_, [&](int k, Float4 low, Float4 high, float c) {
    if (k != next_col) return;
    while (next < kDecimated && sample_cols_[next] == k) {
      const Float4 q_low = low / c, q_high = high / c;
      for (int l = 0; l < 4; ++l) {
        out[l * kDecimated + next] = q_low[l];
        out[(l + 4) * kDecimated + next] = q_high[l];
      }
      ++next;
    }
    next_col = next < kDecimated ? sample_cols_[next] : -1;
  });
}

bool PdqHasher::Finish(int* quality) {
  *quality = 0;
  if (rows_ < 5 || cols_ < 5 || rows_added_ < rows_) return false;

  // Second vertical pass over the 64 kept columns; only the 64 sampled rows are divided out.
  std::array<float, kDecimated * kDecimated> a;
  {
    std::array<float, kDecimated> sums{};
    auto at = [&](int r) { return second_.data() + static_cast<size_t>(r) * kDecimated; };
    for (int i = 0; i < along_col_.before_enter && i < rows_; ++i) {
      for (int j = 0; j < kDecimated; ++j) sums[j] += at(i)[j];
    }
    int next = 0;
    for (int k = 0; k < rows_ && next < kDecimated; ++k) {
      const int enter = k + along_col_.before_enter;
      const int leave = k - along_col_.lag;
      if (enter < rows_) {
        for (int j = 0; j < kDecimated; ++j) sums[j] += at(enter)[j];
      }
      if (leave >= 0) {
        for (int j = 0; j < kDecimated; ++j) sums[j] -= at(leave)[j];
      }
      while (next < kDecimated && sample_rows_[next] == k) {
        const float c = along_col_.Count(k);
        for (int j = 0; j < kDecimated; ++j) a[next * kDecimated + j] = sums[j] / c;
        ++next;
      }
    }
  }

  *quality = internal::Quality(a.data());
  internal::Dct(a.data(), &dct_);
  return true;
}

PdqHash PdqHasher::FinishHash() {
  PdqHash out;
  if (Finish(&out.quality)) out.hash = Threshold(dct_);
  return out;
}

PdqDihedralHashes PdqHasher::FinishDihedral() {
  PdqDihedralHashes out;
  if (!Finish(&out.quality)) return out;
  for (int v = 0; v < 8; ++v) {
    out.hashes[v] = Threshold(DihedralTransform(dct_, static_cast<Dihedral>(v)));
  }
  return out;
}

void PdqHasher::AddPixels(const PixelView& pixels) {
  Begin(pixels.width, pixels.height, pixels.channels);
  for (int r = 0; r < pixels.height; ++r)
    AddRow(pixels.data + static_cast<size_t>(r) * pixels.stride);
}

PdqHash PdqHasher::Hash(const PixelView& pixels) {
  AddPixels(pixels);
  return FinishHash();
}

PdqDihedralHashes PdqHasher::HashDihedral(const PixelView& pixels) {
  AddPixels(pixels);
  return FinishDihedral();
}

}  // namespace takedown::hashing
