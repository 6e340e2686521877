// The PDQ core (spec/pdq.md section 3). Written by hand because the float order is the contract:
// a library that blurs or transforms "the same way" in a different order yields different bits.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "hashing/pdq.h"

namespace takedown::hashing {
namespace {

constexpr int kDecimated = 64;
constexpr int kDctSize = 16;

// One box-filter pass along each of `count` lines of length `len`. Line l starts at
// in + l*line_step and its samples are `step` apart. Output k is the mean of input
// [k - (ceil(w/2)-1), k + floor(w/2)] clipped to the line, as a float running sum that first adds
// the entering sample, then subtracts the leaving one (the spec's exact order).
//
// Vertical passes run with line_step = 1 and step = cols: the inner loop then walks across a row,
// updating every column's sum at once. Each column's own sequence of float operations is unchanged,
// so the result is bit-identical to column-at-a-time, and far kinder to the cache.
void BoxPassRows(const float* in, float* out, int rows, int cols, int window) {
  const int fw = window / 2;
  const int cw = (window + 1) / 2;
  for (int r = 0; r < rows; ++r) {
    const float* x = in + static_cast<size_t>(r) * cols;
    float* y = out + static_cast<size_t>(r) * cols;
    float sum = 0.0f;
    for (int i = 0; i < fw && i < cols; ++i) sum += x[i];
    for (int k = 0; k < cols; ++k) {
      const int enter = k + fw;
      const int leave = k - cw;
      if (enter < cols) sum += x[enter];
      if (leave >= 0) sum -= x[leave];
      const int lo = std::max(0, k - cw + 1);
      const int hi = std::min(cols - 1, k + fw);
      y[k] = sum / static_cast<float>(hi - lo + 1);
    }
  }
}

void BoxPassCols(const float* in, float* out, int rows, int cols, int window, float* sums) {
  const int fw = window / 2;
  const int cw = (window + 1) / 2;
  const size_t n = static_cast<size_t>(cols);
  std::fill(sums, sums + n, 0.0f);
  for (int i = 0; i < fw && i < rows; ++i) {
    const float* x = in + i * n;
    for (size_t c = 0; c < n; ++c) sums[c] += x[c];
  }
  for (int k = 0; k < rows; ++k) {
    const int enter = k + fw;
    const int leave = k - cw;
    if (enter < rows) {
      const float* x = in + enter * n;
      for (size_t c = 0; c < n; ++c) sums[c] += x[c];
    }
    if (leave >= 0) {
      const float* x = in + leave * n;
      for (size_t c = 0; c < n; ++c) sums[c] -= x[c];
    }
    const int lo = std::max(0, k - cw + 1);
    const int hi = std::min(rows - 1, k + fw);
    const float count = static_cast<float>(hi - lo + 1);
    float* y = out + k * n;
    for (size_t c = 0; c < n; ++c) y[c] = sums[c] / count;
  }
}

// The 16x64 DCT basis without the DC row, computed once.
const std::array<float, kDctSize * kDecimated>& DctMatrix() {
  static const std::array<float, kDctSize * kDecimated> matrix = [] {
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

}  // namespace

float* PdqHasher::LoadLuminance(const PixelView& p) {
  const size_t n = static_cast<size_t>(p.width) * static_cast<size_t>(p.height);
  if (luma_.size() < n) luma_.resize(n);
  for (int r = 0; r < p.height; ++r) {
    const uint8_t* row = p.data + static_cast<size_t>(r) * p.stride;
    float* y = luma_.data() + static_cast<size_t>(r) * p.width;
    if (p.channels == 1) {
      for (int c = 0; c < p.width; ++c) y[c] = static_cast<float>(row[c]);
    } else {
      for (int c = 0; c < p.width; ++c) {
        y[c] = Luminance(row[3 * c], row[3 * c + 1], row[3 * c + 2]);
      }
    }
  }
  return luma_.data();
}

bool PdqHasher::Transform(float* luma, int rows, int cols, int* quality) {
  *quality = 0;
  if (rows < 5 || cols < 5) return false;

  // Jarosz filter: two rounds of (horizontal, vertical) box passes; result ends back in `luma`.
  const size_t n = static_cast<size_t>(rows) * static_cast<size_t>(cols);
  if (scratch_.size() < n + static_cast<size_t>(cols)) scratch_.resize(n + cols);
  float* tmp = scratch_.data();
  float* sums = scratch_.data() + n;
  const int window_along_row = (cols + 127) / 128;
  const int window_along_col = (rows + 127) / 128;
  for (int round = 0; round < 2; ++round) {
    BoxPassRows(luma, tmp, rows, cols, window_along_row);
    BoxPassCols(tmp, luma, rows, cols, window_along_col, sums);
  }

  std::array<float, kDecimated * kDecimated> a;
  for (int i = 0; i < kDecimated; ++i) {
    const int r = static_cast<int>((i + 0.5) * rows / kDecimated);
    for (int j = 0; j < kDecimated; ++j) {
      const int c = static_cast<int>((j + 0.5) * cols / kDecimated);
      a[i * kDecimated + j] = luma[static_cast<size_t>(r) * cols + c];
    }
  }

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
  *quality = std::min(100, gradient_sum / 90);

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
      dct_[i * kDctSize + j] = sum;
    }
  }
  return true;
}

PdqHash PdqHasher::HashLuminance(float* luma, int rows, int cols) {
  PdqHash out;
  if (Transform(luma, rows, cols, &out.quality)) out.hash = Threshold(dct_);
  return out;
}

PdqDihedralHashes PdqHasher::HashLuminanceDihedral(float* luma, int rows, int cols) {
  PdqDihedralHashes out;
  if (!Transform(luma, rows, cols, &out.quality)) return out;
  for (int v = 0; v < 8; ++v) {
    out.hashes[v] = Threshold(DihedralTransform(dct_, static_cast<Dihedral>(v)));
  }
  return out;
}

PdqHash PdqHasher::Hash(const PixelView& pixels) {
  return HashLuminance(LoadLuminance(pixels), pixels.height, pixels.width);
}

PdqDihedralHashes PdqHasher::HashDihedral(const PixelView& pixels) {
  return HashLuminanceDihedral(LoadLuminance(pixels), pixels.height, pixels.width);
}

}  // namespace takedown::hashing
