#include "video/alternates.h"

#include <algorithm>

namespace takedown::video {

std::string_view AlternateKindName(AlternateKind kind) {
  switch (kind) {
    case AlternateKind::kContent:
      return "content";
    case AlternateKind::kCentre95:
      return "centre95";
    case AlternateKind::kCentre90:
      return "centre90";
    case AlternateKind::kCentre85:
      return "centre85";
    case AlternateKind::kCentre80:
      return "centre80";
  }
  return "content";
}

namespace internal {
namespace {

// A pixel of a black bar after lossy compression: each channel at most this (bars are encoded
// as luma 16, which converts to 0, plus a little ringing).
constexpr uint8_t kNearBlack = 40;

bool DarkRow(const hashing::PixelView& v, int y, int x0, int x1) {
  const uint8_t* row = v.data + static_cast<size_t>(y) * v.stride;
  for (int i = x0 * 3; i < x1 * 3; ++i) {
    if (row[i] > kNearBlack) return false;
  }
  return true;
}

bool DarkColumn(const hashing::PixelView& v, int x, int y0, int y1) {
  for (int y = y0; y < y1; ++y) {
    const uint8_t* p = v.data + static_cast<size_t>(y) * v.stride + static_cast<size_t>(x) * 3;
    if (p[0] > kNearBlack || p[1] > kNearBlack || p[2] > kNearBlack) return false;
  }
  return true;
}

hashing::PixelView Crop(const hashing::PixelView& v, int x, int y, int width, int height) {
  return {v.data + static_cast<size_t>(y) * v.stride + static_cast<size_t>(x) * 3, width, height, 3,
          v.stride};
}

}  // namespace

std::optional<ContentBox> FindContentBox(const hashing::PixelView& rgb) {
  int top = 0, bottom = rgb.height, left = 0, right = rgb.width;
  while (top < bottom && DarkRow(rgb, top, 0, rgb.width)) ++top;
  while (bottom > top && DarkRow(rgb, bottom - 1, 0, rgb.width)) --bottom;
  while (left < right && DarkColumn(rgb, left, top, bottom)) ++left;
  while (right > left && DarkColumn(rgb, right - 1, top, bottom)) --right;
  const int width = right - left, height = bottom - top;
  if (width * 5 < rgb.width || height * 5 < rgb.height) return std::nullopt;  // dark all over
  const bool rows = (rgb.height - height) * 50 >= rgb.height;
  const bool columns = (rgb.width - width) * 50 >= rgb.width;
  if (!rows && !columns) return std::nullopt;
  return ContentBox{left, top, width, height};
}

std::vector<AlternateHash> HashAlternates(hashing::PdqHasher& hasher,
                                          const hashing::PixelView& rgb) {
  std::vector<AlternateHash> out;
  if (const auto box = FindContentBox(rgb)) {
    out.push_back(
        {AlternateKind::kContent, hasher.Hash(Crop(rgb, box->x, box->y, box->width, box->height))});
  }
  for (const auto& [kind, tenths_of_percent] :
       {std::pair{AlternateKind::kCentre95, 25}, std::pair{AlternateKind::kCentre90, 50},
        std::pair{AlternateKind::kCentre85, 75}, std::pair{AlternateKind::kCentre80, 100}}) {
    const int dx = rgb.width * tenths_of_percent / 1000, dy = rgb.height * tenths_of_percent / 1000;
    if (rgb.width - 2 * dx < 8 || rgb.height - 2 * dy < 8) continue;  // too small to crop
    out.push_back({kind, hasher.Hash(Crop(rgb, dx, dy, rgb.width - 2 * dx, rgb.height - 2 * dy))});
  }
  return out;
}

}  // namespace internal
}  // namespace takedown::video
