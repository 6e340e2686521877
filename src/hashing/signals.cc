#include "hashing/signals.h"

#include <algorithm>
#include <string>

#include "hashing/dct.h"

namespace takedown::hashing {
namespace {

constexpr int kSamples = 64;
// A border is a run of lines (rows or columns of the plane) from an edge inwards that share the
// edge line's fill: flat fill, where most of each line lies within kFlatBand grey levels of the
// edge's level (caption and status bars, whose text is a minority of each line, included), or a
// blurred fill, where neighbouring pixels along each line differ by less than kSmoothStep on
// average. The edge line itself must be clean (kCleanPercent) for a border to start.
constexpr int kFlatBand = 6;
constexpr int kCleanPercent = 90;
constexpr int kFlatPercent = 40;
constexpr int kSmoothStepTimes100 = 60;
// A flat border may be broken by this share (percent) of the plane's side: a line of text.
constexpr int kTextGapPercent = 8;
// Trimming never takes a side below this share (percent) of the plane.
constexpr int kMinContentPercent = 12;
// An image whose plane spans fewer grey levels than this is one colour.
constexpr int kMinContrast = 3;

// Grey from R, G, B in integers (the PDQ weights to 8 bits), so every platform agrees.
uint8_t Grey(const uint8_t* p) {
  return static_cast<uint8_t>((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
}

// Adds each RGB pixel's grey to its column's sum. Integer arithmetic, so every build agrees; on
// x86-64 GCC also builds an AVX2 clone (picked at load time), which vectorises the three-byte
// loads that SSE2 cannot: half the time of the plain loop on a 1,000-pixel row.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx2", "default")))
#endif
void AddGreyRow(const uint8_t* __restrict rgb, uint32_t* __restrict sums, int width) {
  for (int x = 0; x < width; ++x) sums[x] += Grey(rgb + static_cast<size_t>(x) * 3);
}

// The plane as a grid of grey levels, read along rows or columns.
struct Plane {
  const uint8_t* data;
  int width, height;
  uint8_t At(int x, int y) const { return data[static_cast<size_t>(y) * width + x]; }
};

struct LineStats {
  int level = 0;         // the centre of the most populated band of 2 * kFlatBand + 1 levels
  int flat_percent = 0;  // share of the line in that band
  bool smooth = false;   // mean step along the line below kSmoothStep
  // Share of the line within kFlatBand of `reference`.
  int percent_near = 0;
};

template <typename At>
LineStats Measure(int count, int reference, At&& at) {
  LineStats stats;
  std::array<int, 256> histogram{};
  int64_t steps = 0;
  for (int i = 0; i < count; ++i) {
    const int v = at(i);
    ++histogram[v];
    if (i > 0) steps += std::abs(v - at(i - 1));
  }
  stats.smooth = count <= 1 || steps * 100 < int64_t{kSmoothStepTimes100} * (count - 1);
  auto band = [&](int centre) {
    int n = 0;
    for (int v = std::max(0, centre - kFlatBand); v <= std::min(255, centre + kFlatBand); ++v) {
      n += histogram[v];
    }
    return n;
  };
  int best = -1;
  for (int v = 0; v < 256; ++v) {
    if (const int n = band(v); n > best) best = n, stats.level = v;
  }
  stats.flat_percent = count == 0 ? 100 : best * 100 / count;
  stats.percent_near = count == 0 ? 100 : band(reference) * 100 / count;
  return stats;
}

// How many lines from an edge are border. `line(i, reference)` measures the i-th line inwards;
// `gap` is how many lines of a flat border may break its fill (a caption's line of text) when
// lines of the fill follow them.
template <typename Line>
int BorderDepth(int limit, int gap, Line&& line) {
  if (limit <= 0) return 0;
  const LineStats edge = line(0, 0);
  const bool flat = edge.flat_percent >= kCleanPercent;
  if (!flat && !edge.smooth) return 0;
  int depth = 1;
  for (int i = 1; i < limit && i - depth < (flat ? gap : 1); ++i) {
    const LineStats next = line(i, edge.level);
    if (flat ? next.percent_near >= kFlatPercent : next.smooth) depth = i + 1;
  }
  return depth;
}

// Trims border lines from each side of the plane: rows, then columns, again and again.
Box TrimBorders(const Plane& plane) {
  Box box{0, 0, plane.width, plane.height};
  const int min_w = std::max(kMinSignalSide / 2, plane.width * kMinContentPercent / 100);
  const int min_h = std::max(kMinSignalSide / 2, plane.height * kMinContentPercent / 100);
  const int row_gap = std::max(1, plane.height * kTextGapPercent / 100);
  const int column_gap = std::max(1, plane.width * kTextGapPercent / 100);
  auto row = [&](int y, int reference) {
    return Measure(box.width, reference, [&](int i) { return plane.At(box.x + i, y); });
  };
  auto column = [&](int x, int reference) {
    return Measure(box.height, reference, [&](int i) { return plane.At(x, box.y + i); });
  };
  // Borders nest (a letterbox around a photo on a white backdrop, a caption bar above a
  // screenshot's status bar): trim until no side changes.
  for (bool changed = true; changed;) {
    const Box before = box;
    const int top =
        BorderDepth(box.height - min_h, row_gap, [&](int i, int r) { return row(box.y + i, r); });
    box.y += top, box.height -= top;
    box.height -= BorderDepth(box.height - min_h, row_gap,
                              [&](int i, int r) { return row(box.y + box.height - 1 - i, r); });
    const int left = BorderDepth(box.width - min_w, column_gap,
                                 [&](int i, int r) { return column(box.x + i, r); });
    box.x += left, box.width -= left;
    box.width -= BorderDepth(box.width - min_w, column_gap,
                             [&](int i, int r) { return column(box.x + box.width - 1 - i, r); });
    changed = !(box == before);
  }
  return box;
}

// Appends the hash of one rectangle of the plane (given by its summed areas) to out->regions.
void HashRegion(const uint32_t* integral, size_t stride, const Box& r, bool dihedral,
                ImageSignals* out) {
  auto area = [&](int x0, int y0, int x1, int y1) {
    return integral[y1 * stride + x1] - integral[y0 * stride + x1] - integral[y1 * stride + x0] +
           integral[y0 * stride + x0];
  };
  // Cell edges; a region narrower than 64 pixels repeats pixels rather than leaving cells empty.
  std::array<int, kSamples + 1> xs, ys;
  for (int i = 0; i <= kSamples; ++i) {
    xs[i] = r.x + r.width * i / kSamples;
    ys[i] = r.y + r.height * i / kSamples;
  }
  std::array<float, kSamples * kSamples> samples;
  for (int i = 0; i < kSamples; ++i) {
    const int ya = ys[i], yb = std::max(ys[i + 1], ya + 1);
    for (int j = 0; j < kSamples; ++j) {
      const int xa = xs[j], xb = std::max(xs[j + 1], xa + 1);
      samples[i * kSamples + j] =
          static_cast<float>(area(xa, ya, xb, yb)) / static_cast<float>((xb - xa) * (yb - ya));
    }
  }
  std::array<float, 256> dct;
  RegionHash& region = out->regions.emplace_back();
  region.quality = static_cast<uint8_t>(internal::Quality(samples.data()));
  internal::Dct(samples.data(), &dct);
  region.hash = internal::Threshold(dct);
  if (dihedral) {
    auto& variants = out->variants.emplace_back();
    for (int v = 0; v < 8; ++v) {
      variants[v] = internal::Threshold(internal::DihedralTransform(dct, static_cast<Dihedral>(v)));
    }
  }
}

// RegionChoice::kWholeAndCells: the whole and the cells of 2x2 and 3x1 collages.
bool IsWholeOrCell(const RegionSpec& spec) {
  return spec.name == "whole" || spec.name.starts_with("quadrant") ||
         spec.name.starts_with("column");
}

}  // namespace

std::string RegionName(int region) {
  const auto& spec = kRegions[(region & (kUntrimmedRegion - 1)) % kRegions.size()];
  return (region & kUntrimmedRegion ? "untrimmed:" : "") + std::string(spec.name);
}

std::optional<int> RegionFromName(std::string_view name) {
  int offset = 0;
  if (name.starts_with("untrimmed:")) name.remove_prefix(10), offset = kUntrimmedRegion;
  for (size_t r = 0; r < kRegions.size(); ++r) {
    if (kRegions[r].name == name) return static_cast<int>(r) + offset;
  }
  return std::nullopt;
}

bool IsStoredRegion(int region) {
  return kRegions[(region & (kUntrimmedRegion - 1)) % kRegions.size()].stored;
}

void SignalExtractor::Begin(int width, int height, int channels) {
  width_ = std::max(0, width);
  height_ = std::max(0, height);
  channels_ = channels;
  rows_added_ = 0;
  factor_ = std::max(1, std::max(width_, height_) / kPlaneLongSide);
  plane_width_ = (width_ + factor_ - 1) / factor_;
  plane_height_ = (height_ + factor_ - 1) / factor_;
  column_sums_.assign(width_, 0);
  plane_.clear();
  plane_.reserve(static_cast<size_t>(plane_width_) * plane_height_);
}

// Each pixel's grey is added to its column's sum in one pass with no per-pixel branches; the
// block sums across columns wait for the last image row of the plane row.
void SignalExtractor::AddRow(const uint8_t* row) {
  if (rows_added_ >= height_) return;
  const int y = rows_added_++;
  uint32_t* sums = column_sums_.data();
  if (channels_ == 1) {
    for (int x = 0; x < width_; ++x) sums[x] += row[x];
  } else {
    AddGreyRow(row, sums, width_);
  }
  if (y % factor_ == factor_ - 1 || y == height_ - 1) EmitPlaneRow();
}

// Averages the accumulated rows into one plane row, rounding; edge cells hold fewer pixels.
void SignalExtractor::EmitPlaneRow() {
  const int rows = (rows_added_ - 1) % factor_ + 1;
  for (int px = 0, x = 0; px < plane_width_; ++px) {
    uint32_t sum = 0;
    const int end = std::min(width_, x + factor_);
    const uint32_t count = static_cast<uint32_t>(rows * (end - x));
    for (; x < end; ++x) sum += column_sums_[x];
    plane_.push_back(static_cast<uint8_t>((sum + count / 2) / count));
  }
  std::fill(column_sums_.begin(), column_sums_.end(), 0);
}

Result<ImageSignals> SignalExtractor::Finish(bool dihedral, RegionChoice choice) {
  if (width_ < kMinSignalSide || height_ < kMinSignalSide) {
    return InvalidArgument("the image is " + std::to_string(width_) + "x" +
                           std::to_string(height_) + " pixels, too small for region signals (" +
                           std::to_string(kMinSignalSide) + "x" + std::to_string(kMinSignalSide) +
                           " at least)");
  }
  if (rows_added_ < height_) return InvalidArgument("the image ended before its last row");
  const Plane plane{plane_.data(), plane_width_, plane_height_};
  const auto [lo, hi] = std::minmax_element(plane_.begin(), plane_.end());
  if (*hi - *lo < kMinContrast) {
    return InvalidArgument("the image is a single colour: there is nothing in it to match on");
  }
  const Box box = TrimBorders(plane);
  const int min_side = kMinSignalSide / 2;
  uint8_t content_lo = 255, content_hi = 0;
  for (int y = box.y; y < box.y + box.height; ++y) {
    for (int x = box.x; x < box.x + box.width; ++x) {
      content_lo = std::min(content_lo, plane.At(x, y));
      content_hi = std::max(content_hi, plane.At(x, y));
    }
  }
  if (box.width <= min_side || box.height <= min_side || content_hi - content_lo < kMinContrast) {
    return InvalidArgument(
        "the image is all border: nothing but flat bands is left once they are "
        "trimmed");
  }

  // Summed areas of the plane: any rectangle's sum in four reads.
  const size_t stride = static_cast<size_t>(plane_width_) + 1;
  integral_.assign(stride * (plane_height_ + 1), 0);
  for (int y = 0; y < plane_height_; ++y) {
    uint32_t run = 0;
    for (int x = 0; x < plane_width_; ++x) {
      run += plane.At(x, y);
      integral_[(y + 1) * stride + x + 1] = integral_[y * stride + x + 1] + run;
    }
  }

  ImageSignals out;
  // Back to the image's pixels (the last plane column or row may stand for fewer pixels).
  out.content = {box.x * factor_, box.y * factor_,
                 std::min(width_, (box.x + box.width) * factor_) - box.x * factor_,
                 std::min(height_, (box.y + box.height) * factor_) - box.y * factor_};
  // The regions of the trimmed content; where trimming took something, also the stored regions
  // of the whole image (trimming may have taken a plain backdrop that a copy's crop keeps).
  const Box full{0, 0, plane_width_, plane_height_};
  for (int pass = 0; pass < (box == full ? 1 : 2); ++pass) {
    const Box& over = pass == 0 ? box : full;
    for (size_t r = 0; r < kRegions.size(); ++r) {
      const RegionSpec& spec = kRegions[r];
      if (pass == 1 && !spec.stored) continue;
      if (choice == RegionChoice::kWholeAndCells &&
          (pass == 1 ? r != kWholeRegion : !IsWholeOrCell(spec))) {
        continue;
      }
      const int x0 = over.x + over.width * spec.x0 / 1000;
      const int x1 = over.x + over.width * spec.x1 / 1000;
      const int y0 = over.y + over.height * spec.y0 / 1000;
      const int y1 = over.y + over.height * spec.y1 / 1000;
      if (x1 - x0 < min_side || y1 - y0 < min_side) continue;
      HashRegion(integral_.data(), stride, {x0, y0, x1 - x0, y1 - y0}, dihedral, &out);
      out.regions.back().region = static_cast<uint8_t>(r | (pass == 1 ? kUntrimmedRegion : 0));
    }
  }
  return out;
}

Result<ImageSignals> SignalExtractor::Extract(const PixelView& pixels, bool dihedral,
                                              RegionChoice choice) {
  Begin(pixels.width, pixels.height, pixels.channels);
  for (int y = 0; y < pixels.height; ++y)
    AddRow(pixels.data + static_cast<size_t>(y) * pixels.stride);
  return Finish(dihedral, choice);
}

}  // namespace takedown::hashing
