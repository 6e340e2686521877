// The transform suite of bench/robust_bench (issue 18): the ways copies of a photo are changed
// when reposted (crops, borders, captions, screenshots, collages, stickers, recompression, and
// pairs of them), drawn with cairo. Deterministic for a given seed. Not thread-safe (cairo's
// toy font API); run transforms on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace takedown::bench {

// 8-bit R,G,B pixels, rows packed.
struct Rgb {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

// Other photos a transform may need (collage cells), none of them in the bank it is matched to.
struct Fillers {
  std::vector<const Rgb*> photos;
};

struct Transform {
  std::string name;
  std::function<Rgb(const Rgb&, const Fillers&, std::mt19937_64&)> apply;
  int jpeg_quality = 90;  // every copy is saved as a JPEG, as a reposted copy is
};

// Every transform the issue lists, then combinations of two.
std::vector<Transform> TransformSuite();

// A strong change of a part of a photo (a 15-45% crop, rescaled, maybe mirrored, tinted, or set
// beside a part of another photo): an image unrelated to any photo other than the ones it is cut
// from, for the false-match count.
Rgb UnrelatedImage(const Rgb& a, const Rgb& b, std::mt19937_64& rng);

// Every image file in `dir` that decodes, in name order, as RGB.
std::vector<Rgb> LoadPhotos(const std::string& dir);

// JPEG round trip through libjpeg-turbo.
Rgb JpegRoundTrip(const Rgb& image, int quality);

}  // namespace takedown::bench
