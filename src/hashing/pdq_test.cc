#include "hashing/pdq.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "hashing/luminance_row.h"

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

// The spec's section 3 written as plainly as possible: whole-image passes, one line at a time.
// PdqHasher's strip and transpose machinery must agree with it bit for bit on any image size.
PdqHash ReferencePdq(const std::vector<uint8_t>& px, int w, int h, int channels) {
  std::vector<float> y(static_cast<size_t>(w) * h), tmp(y.size());
  for (size_t i = 0; i < y.size(); ++i) {
    y[i] = channels == 1 ? static_cast<float>(px[i])
                         : Luminance(px[3 * i], px[3 * i + 1], px[3 * i + 2]);
  }
  if (w < 5 || h < 5) return {};
  auto box = [](const float* in, float* out, int len, int step, int window) {
    const int fw = window / 2, cw = (window + 1) / 2;
    float sum = 0.0f;
    for (int i = 0; i < fw && i < len; ++i) sum += in[i * step];
    for (int k = 0; k < len; ++k) {
      if (k + fw < len) sum += in[(k + fw) * step];
      if (k - cw >= 0) sum -= in[(k - cw) * step];
      const int lo = std::max(0, k - cw + 1), hi = std::min(len - 1, k + fw);
      out[k * step] = sum / static_cast<float>(hi - lo + 1);
    }
  };
  const int wr = (w + 127) / 128, wc = (h + 127) / 128;
  for (int round = 0; round < 2; ++round) {
    for (int r = 0; r < h; ++r) box(&y[r * w], &tmp[r * w], w, 1, wr);
    for (int c = 0; c < w; ++c) box(&tmp[c], &y[c], h, w, wc);
  }
  std::vector<float> a(64 * 64);
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 64; ++j) {
      a[i * 64 + j] =
          y[static_cast<int>((i + 0.5) * h / 64) * w + static_cast<int>((j + 0.5) * w / 64)];
    }
  }
  int gradient = 0;
  for (int i = 0; i < 63; ++i) {
    for (int j = 0; j < 64; ++j) {
      gradient += std::abs(static_cast<int>(((a[i * 64 + j] - a[(i + 1) * 64 + j]) * 100) / 255));
      gradient += std::abs(static_cast<int>(((a[j * 64 + i] - a[j * 64 + i + 1]) * 100) / 255));
    }
  }
  std::vector<float> d(16 * 64), t(16 * 64, 0.0f);
  const float scale = static_cast<float>(std::sqrt(2.0 / 64.0));
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 64; ++j) {
      d[i * 64 + j] = static_cast<float>(scale * std::cos((M_PI / 128.0) * (i + 1) * (2 * j + 1)));
    }
  }
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 64; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 64; ++k) sum += d[i * 64 + k] * a[k * 64 + j];
      t[i * 64 + j] = sum;
    }
  }
  std::vector<float> b(256);
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 64; ++k) sum += t[i * 64 + k] * d[j * 64 + k];
      b[i * 16 + j] = sum;
    }
  }
  std::vector<float> sorted = b;
  std::nth_element(sorted.begin(), sorted.begin() + 127, sorted.end());
  PdqHash out;
  for (int k = 0; k < 256; ++k) {
    if (b[k] > sorted[127]) out.hash.set_bit(k);
  }
  out.quality = std::min(100, gradient / 90);
  return out;
}

TEST(PdqHasher, AgreesWithAPlainReadingOfTheSpecOnAnySize) {
  PdqHasher hasher;
  std::mt19937 rng(11);
  const std::vector<std::pair<int, int>> sizes = {
      {5, 5},     {6, 7},     {7, 1000},  {1000, 7}, {63, 65},  {64, 64},   {127, 129},
      {129, 127}, {255, 257}, {333, 251}, {640, 9},  {17, 640}, {1001, 333}};
  for (auto [w, h] : sizes) {
    for (int channels : {1, 3}) {
      std::vector<uint8_t> px(static_cast<size_t>(w) * h * channels);
      for (auto& v : px) v = static_cast<uint8_t>(rng());
      // Smooth structure on top of noise, so the hash is not all ties.
      for (int yy = 0; yy < h; ++yy) {
        for (int xx = 0; xx < w; ++xx) {
          px[(static_cast<size_t>(yy) * w + xx) * channels] ^=
              static_cast<uint8_t>((xx * 3 + yy * 5) & 0xC0);
        }
      }
      auto want = ReferencePdq(px, w, h, channels);
      auto got = hasher.Hash({px.data(), w, h, channels, static_cast<size_t>(w) * channels});
      EXPECT_EQ(got.hash, want.hash) << w << "x" << h << "x" << channels;
      EXPECT_EQ(got.quality, want.quality) << w << "x" << h << "x" << channels;
    }
  }
}

TEST(PdqHasher, StreamingRowsEqualsWholeImage) {
  PdqHasher whole, streamed;
  for (auto [w, h] : {std::pair{333, 251}, std::pair{64, 9}, std::pair{1000, 17}}) {
    auto px = Gradient(w, h, 3);
    const size_t stride = static_cast<size_t>(w) * 3;
    streamed.Begin(w, h, 3);
    for (int r = 0; r < h; ++r) streamed.AddRow(px.data() + r * stride);
    auto expected = whole.HashDihedral({px.data(), w, h, 3, stride});
    auto got = streamed.FinishDihedral();
    EXPECT_EQ(got.hashes, expected.hashes) << w << "x" << h;
    EXPECT_EQ(got.quality, expected.quality);
  }
}

TEST(PdqHasher, FinishingBeforeTheLastRowGivesNoHash) {
  PdqHasher hasher;
  auto px = Gradient(100, 100, 1);
  hasher.Begin(100, 100, 1);
  for (int r = 0; r < 60; ++r) hasher.AddRow(px.data() + r * 100);
  auto result = hasher.FinishHash();
  EXPECT_EQ(result.hash, Hash256{});
  EXPECT_EQ(result.quality, 0);
}

// Every one of the 2^24 RGB colours gets the spec's luminance, bit for bit, on every code path.
TEST(LuminanceRow, EveryPathGivesTheSpecsFloats) {
  std::vector<uint8_t> rgb(3 * 65536);
  std::vector<float> portable(65536), dispatched(65536);
  for (int red = 0; red < 256; ++red) {
    for (int i = 0; i < 65536; ++i) {
      rgb[3 * i] = static_cast<uint8_t>(red);
      rgb[3 * i + 1] = static_cast<uint8_t>(i >> 8);
      rgb[3 * i + 2] = static_cast<uint8_t>(i);
    }
    internal::LuminanceRowPortable(rgb.data(), portable.data(), 65536);
    internal::LuminanceRow(rgb.data(), dispatched.data(), 65536);
    for (int i = 0; i < 65536; ++i) {
      const float want = Luminance(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
      ASSERT_EQ(portable[i], want) << red << " " << i;
      ASSERT_EQ(dispatched[i], want) << red << " " << i;
    }
#ifdef TAKEDOWN_HAVE_AVX2_LUMINANCE
    if (__builtin_cpu_supports("avx2")) {
      std::vector<float> avx2(65536);
      internal::LuminanceRowAvx2(rgb.data(), avx2.data(), 65536);
      ASSERT_EQ(avx2, portable) << red;
    }
#endif
  }
}

}  // namespace
}  // namespace takedown::hashing
