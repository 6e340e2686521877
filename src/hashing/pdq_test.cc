#include "hashing/pdq.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace takedown::hashing {
namespace {

TEST(Hash256, HexRoundTripsAndIsLowercase) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100; ++i) {
    Hash256 h;
    for (auto& lane : h.lanes) lane = rng();
    const std::string hex = h.ToHex();
    ASSERT_EQ(hex.size(), 64u);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
    auto parsed = Hash256::FromHex(hex);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, h);
  }
}

TEST(Hash256, HexPutsWordFifteenFirst) {
  Hash256 h;
  h.set_bit(0);    // word 0, printed last
  h.set_bit(255);  // word 15, printed first
  EXPECT_EQ(h.ToHex(), "8" + std::string(62, '0') + "1");
}

TEST(Hash256, ParsingAcceptsUppercase) {
  auto parsed = Hash256::FromHex(std::string(64, 'F'));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ToHex(), std::string(64, 'f'));
}

TEST(Hash256, MalformedHexIsRejectedWithAReason) {
  for (std::string bad :
       {std::string(63, 'a'), std::string(65, 'a'), std::string(), std::string(63, 'a') + "g",
        " " + std::string(63, 'a'), "0x" + std::string(62, 'a')}) {
    auto parsed = Hash256::FromHex(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_FALSE(parsed.status().message().empty());
  }
}

TEST(HammingDistance, CountsDifferingBits) {
  Hash256 a, b;
  EXPECT_EQ(HammingDistance(a, b), 0);
  b.set_bit(3);
  b.set_bit(64);
  b.set_bit(255);
  EXPECT_EQ(HammingDistance(a, b), 3);
  for (auto& lane : b.lanes) lane = ~uint64_t{0};
  EXPECT_EQ(HammingDistance(a, b), 256);
}

std::vector<uint8_t> Gradient(int width, int height, int channels) {
  std::vector<uint8_t> px(static_cast<size_t>(width) * height * channels);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        px[(static_cast<size_t>(y) * width + x) * channels + c] =
            static_cast<uint8_t>((x * 7 + y * 3 + c * 50 + (x * y) % 31) & 255);
      }
    }
  }
  return px;
}

TEST(PdqHasher, TinyImagesHashToZeroWithQualityZero) {
  PdqHasher hasher;
  auto px = Gradient(4, 100, 3);
  auto result = hasher.Hash({px.data(), 4, 100, 3, 12});
  EXPECT_EQ(result.hash, Hash256{});
  EXPECT_EQ(result.quality, 0);
}

TEST(PdqHasher, FlatImageHasQualityZero) {
  PdqHasher hasher;
  std::vector<uint8_t> px(100 * 80, 128);
  EXPECT_EQ(hasher.Hash({px.data(), 100, 80, 1, 100}).quality, 0);
}

TEST(PdqHasher, HalfOfTheBitsAreSetOnATexturedImage) {
  PdqHasher hasher;
  auto px = Gradient(300, 200, 3);
  auto result = hasher.Hash({px.data(), 300, 200, 3, 900});
  int ones = 0;
  for (int k = 0; k < 256; ++k) ones += result.hash.bit(k);
  EXPECT_EQ(ones, 128);  // strictly above the lower median: exactly half unless values tie
  EXPECT_GT(result.quality, 50);
}

TEST(PdqHasher, GreyEqualsRgbWhoseLuminanceIsThatGrey) {
  // An RGB pixel (v, v, v) has luminance close to but not always exactly v in float32; the grey
  // path uses v unchanged (spec 2.1). Both must stay within a few bits of each other.
  PdqHasher hasher;
  auto grey = Gradient(200, 150, 1);
  std::vector<uint8_t> rgb;
  for (uint8_t v : grey) rgb.insert(rgb.end(), {v, v, v});
  auto g = hasher.Hash({grey.data(), 200, 150, 1, 200});
  auto c = hasher.Hash({rgb.data(), 200, 150, 3, 600});
  EXPECT_LE(HammingDistance(g.hash, c.hash), 4);
}

TEST(PdqHasher, StrideSkipsRowPadding) {
  PdqHasher hasher;
  auto packed = Gradient(120, 90, 3);
  std::vector<uint8_t> padded(static_cast<size_t>(90) * 400, 0xEE);
  for (int y = 0; y < 90; ++y) {
    std::copy_n(packed.begin() + y * 360, 360, padded.begin() + y * 400);
  }
  EXPECT_EQ(hasher.Hash({packed.data(), 120, 90, 3, 360}).hash,
            hasher.Hash({padded.data(), 120, 90, 3, 400}).hash);
}

// A smooth, asymmetric scene: low-frequency content, as in photos, so that sampling positions do
// not dominate the hash.
std::vector<uint8_t> SmoothScene(int width, int height) {
  std::vector<uint8_t> px(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double u = static_cast<double>(x) / width, v = static_cast<double>(y) / height;
      const double value =
          128 + 60 * std::sin(7 * u + 2 * v * v) + 50 * std::cos(5 * v + 3 * u * v);
      px[static_cast<size_t>(y) * width + x] = static_cast<uint8_t>(value);
    }
  }
  return px;
}

// Physically rotating or flipping the pixels must land near the matching dihedral variant of the
// original (spec section 4: close, not equal).
TEST(PdqHasher, DihedralVariantsTrackPhysicalTransforms) {
  const int w = 320, h = 240;
  auto px = SmoothScene(w, h);
  auto at = [&](int x, int y) { return px[static_cast<size_t>(y) * w + x]; };
  std::vector<uint8_t> rot90(px.size()), flipy(px.size()), transpose(px.size());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      rot90[static_cast<size_t>(w - 1 - x) * h + y] = at(x, y);  // counter-clockwise: h wide
      flipy[static_cast<size_t>(y) * w + (w - 1 - x)] = at(x, y);
      transpose[static_cast<size_t>(x) * h + y] = at(x, y);
    }
  }
  PdqHasher hasher;
  auto variants = hasher.HashDihedral({px.data(), w, h, 1, static_cast<size_t>(w)});
  EXPECT_EQ(variants.hashes[static_cast<int>(Dihedral::kOrig)],
            hasher.Hash({px.data(), w, h, 1, static_cast<size_t>(w)}).hash);
  auto near = [&](Dihedral d, const std::vector<uint8_t>& img, int iw, int ih) {
    auto direct = hasher.Hash({img.data(), iw, ih, 1, static_cast<size_t>(iw)});
    return HammingDistance(direct.hash, variants.hashes[static_cast<int>(d)]);
  };
  EXPECT_LE(near(Dihedral::kRot90, rot90, h, w), 20);
  EXPECT_LE(near(Dihedral::kFlipY, flipy, w, h), 20);
  EXPECT_LE(near(Dihedral::kFlipP, transpose, h, w), 20);
  // And a variant is far from the unrelated ones.
  EXPECT_GT(near(Dihedral::kFlipX, flipy, w, h), 31);
}

TEST(PdqHasher, ReusingAHasherGivesTheSameAnswer) {
  PdqHasher hasher;
  auto big = Gradient(640, 480, 3);
  auto small = Gradient(64, 48, 3);
  auto first = hasher.Hash({small.data(), 64, 48, 3, 192});
  hasher.Hash({big.data(), 640, 480, 3, 1920});
  EXPECT_EQ(hasher.Hash({small.data(), 64, 48, 3, 192}).hash, first.hash);
}

}  // namespace
}  // namespace takedown::hashing
