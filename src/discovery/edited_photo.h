// Test helper: a photo as a reposter might change it, made in memory with libturbojpeg, for the
// discovery tests that serve such copies on a loopback web.
#pragma once

#include <string>

namespace takedown::discovery::testing {

struct Edit {
  bool mirror = false;   // left to right
  double crop = 0;       // share of each edge cut away
  double letterbox = 0;  // black bars added above and below, each this share of the height
  bool plain = false;    // every pixel the photo's first: too plain for PDQ to follow
};

// The file at `path` decoded, edited and re-encoded as a JPEG of quality 80.
std::string EditedPhoto(const std::string& path, const Edit& edit);

// The bytes of a file.
std::string ReadFile(const std::string& path);

}  // namespace takedown::discovery::testing
