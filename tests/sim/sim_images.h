// Test-only: the pictures of the simulated web. Each picture is drawn from a seed (smooth waves
// and blobs, so PDQ sees real structure and two seeds are far apart), and the copies that a site
// shows are the picture as it was, cropped or letterboxed (the transforms PDQ cannot match), all
// encoded as PNG in memory. Nothing here touches the disk.
#pragma once

#include <cstdint>
#include <vector>

namespace takedown::sim {

using Bytes = std::vector<uint8_t>;

// How a site's copy differs from her picture.
enum class Transform { kNone, kCrop94, kLetterbox8 };

// An RGB picture, `width` x `height`, drawn from `seed`.
struct Picture {
  int width = 0, height = 0;
  Bytes rgb;
};
Picture Draw(uint64_t seed, int width = 320, int height = 240);

// The copy a site shows: kCrop94 keeps the middle 94% of the area, kLetterbox8 adds black bars
// of 8% of the height above and below.
Picture Apply(const Picture& p, Transform t);

Bytes EncodePng(const Picture& p);

}  // namespace takedown::sim
