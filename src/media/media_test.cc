// Decoders for WebP, GIF, TIFF, HEIF, BMP and PNM, on images encoded here with each format's own
// library (BMP and PNM written by hand), plus forged headers and damaged files.
#include "media/media.h"

#include <gif_lib.h>
#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <tiffio.h>
#include <webp/encode.h>
#include <webp/mux.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "media/test_encoders.h"

// x265 (used here only to encode the HEIF samples) keeps a few buffers until exit; keep
// LeakSanitizer runs of this test about the decoders.
extern "C" const char* __lsan_default_suppressions() { return "leak:libx265"; }

namespace takedown::media {
namespace {

using namespace testing;

Result<DecodedImage> Decode(const Bytes& b, uint64_t max_pixels = 100'000'000) {
  DecodeOptions options;
  options.max_pixels = max_pixels;
  return DecodeImage(b, options);
}
// ---- tests ----
void ExpectImage(const Result<DecodedImage>& got, ImageFormat format, int w, int h, int channels,
                 const Bytes& pixels, int tolerance = 0) {
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->format, format);
  EXPECT_EQ(got->source_width, w);
  EXPECT_EQ(got->source_height, h);
  ASSERT_EQ(got->image.width, w);
  ASSERT_EQ(got->image.height, h);
  ASSERT_EQ(got->image.channels, channels);
  ASSERT_EQ(got->image.pixels.size(), pixels.size());
  int worst = 0;
  for (size_t i = 0; i < pixels.size(); ++i) {
    worst = std::max(worst, std::abs(got->image.pixels[i] - pixels[i]));
  }
  EXPECT_LE(worst, tolerance);
}

TEST(WebpDecoder, LosslessIsExactAndDropsAlphaKeepingColour) {
  const Bytes rgb = Pattern(7, 5, 3);
  ExpectImage(Decode(EncodeWebp(7, 5, Rgba(rgb, 255), true)), ImageFormat::kWebp, 7, 5, 3, rgb);
  // Fully transparent pixels keep their stored colour: alpha is dropped, not composited.
  ExpectImage(Decode(EncodeWebp(7, 5, Rgba(rgb, 0), true)), ImageFormat::kWebp, 7, 5, 3, rgb);
}

TEST(WebpDecoder, LossyIsClose) {
  Bytes rgb(32 * 32 * 3);
  for (size_t i = 0; i < rgb.size(); i += 3) rgb[i] = 180, rgb[i + 1] = 90, rgb[i + 2] = 40;
  ExpectImage(Decode(EncodeWebp(32, 32, Rgba(rgb, 255), false)), ImageFormat::kWebp, 32, 32, 3, rgb,
              6);
}

TEST(WebpDecoder, AnimationGivesTheFirstFrame) {
  const Bytes first = Pattern(9, 6, 3);
  Bytes second = first;
  for (auto& v : second) v = static_cast<uint8_t>(255 - v);
  const Bytes file = EncodeAnimatedWebp(9, 6, {Rgba(first, 255), Rgba(second, 255)});
  ExpectImage(Decode(file), ImageFormat::kWebp, 9, 6, 3, first);
}

Bytes ExpectedGif() {
  Bytes px;
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 6; ++x) {
      const bool inside = x >= 1 && x < 5 && y >= 1 && y < 7;
      const int index = inside ? (x - 1 + y - 1) % 4 : 2;
      const GifColorType& c = kGifPalette[index == 3 ? 2 : index];  // 3 is transparent
      px.insert(px.end(), {c.Red, c.Green, c.Blue});
    }
  }
  return px;
}

TEST(GifDecoder, FirstFrameOnBackgroundWithTransparency) {
  ExpectImage(Decode(EncodeGif(false)), ImageFormat::kGif, 6, 8, 3, ExpectedGif());
}

TEST(GifDecoder, InterlacedRowsLandInPlace) {
  ExpectImage(Decode(EncodeGif(true)), ImageFormat::kGif, 6, 8, 3, ExpectedGif());
}

TEST(TiffDecoder, RgbStripsAndTilesAreExact) {
  const Bytes rgb = Pattern(21, 13, 3);
  ExpectImage(Decode(EncodeTiff({21, 13}, rgb.data())), ImageFormat::kTiff, 21, 13, 3, rgb);
  TiffSpec tiled{21, 13};
  tiled.tile = 16;
  ExpectImage(Decode(EncodeTiff(tiled, rgb.data())), ImageFormat::kTiff, 21, 13, 3, rgb);
}

TEST(TiffDecoder, LargeGreyImageReadInBandsIsExact) {
  // Over 4M pixels with 7-row strips: read in several bands that do not end on the image's end.
  TiffSpec spec{4096, 1100, 1, 8, PHOTOMETRIC_MINISBLACK};
  spec.rows_per_strip = 7;
  const Bytes grey = Pattern(4096, 1100, 1);
  ExpectImage(Decode(EncodeTiff(spec, grey.data())), ImageFormat::kTiff, 4096, 1100, 1, grey);
}

TEST(TiffDecoder, SixteenBitGreyIsScaledToOneChannel) {
  std::vector<uint16_t> samples = {0, 257, 32896, 65535, 1000, 40000};
  Bytes want;
  for (uint16_t v : samples) want.push_back(static_cast<uint8_t>((v * 255 + 32767) / 65535));
  const TiffSpec spec{3, 2, 1, 16, PHOTOMETRIC_MINISBLACK};
  ExpectImage(Decode(EncodeTiff(spec, samples.data())), ImageFormat::kTiff, 3, 2, 1, want,
              1);  // libtiff truncates (v >> 8): within one level of rounding
}

TEST(TiffDecoder, UnassociatedAlphaIsDroppedNotPremultiplied) {
  const Bytes rgb = Pattern(5, 4, 3);
  const Bytes rgba = Rgba(rgb, 0);
  TiffSpec spec{5, 4, 4};
  spec.extra = EXTRASAMPLE_UNASSALPHA;
  ExpectImage(Decode(EncodeTiff(spec, rgba.data())), ImageFormat::kTiff, 5, 4, 3, rgb);
}

TEST(TiffDecoder, OrientationTagIsNotApplied) {
  const Bytes rgb = Pattern(5, 4, 3);
  for (int orientation : {ORIENTATION_BOTRIGHT, ORIENTATION_LEFTBOT, ORIENTATION_RIGHTTOP}) {
    TiffSpec spec{5, 4};
    spec.orientation = static_cast<uint16_t>(orientation);
    ExpectImage(Decode(EncodeTiff(spec, rgb.data())), ImageFormat::kTiff, 5, 4, 3, rgb);
  }
}

Bytes Quadrants(int size) {
  const uint8_t colours[4][3] = {{200, 40, 40}, {40, 200, 40}, {40, 40, 200}, {220, 220, 220}};
  Bytes rgb;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const uint8_t* c = colours[(y >= size / 2) * 2 + (x >= size / 2)];
      rgb.insert(rgb.end(), c, c + 3);
    }
  }
  return rgb;
}

TEST(HeifDecoder, DecodesCloseToTheSource) {
  const Bytes rgb = Quadrants(64);
  const Bytes file = EncodeHeif(64, 64, rgb);
  if (file.empty()) GTEST_SKIP() << "libheif has no HEVC or AV1 encoder here";
  auto got = Decode(file);
  ExpectImage(got, ImageFormat::kHeif, 64, 64, 3, got.ok() ? got->image.pixels : rgb);
  for (int y : {8, 55}) {  // centres of the quadrants, away from edges and chroma bleeding
    for (int x : {8, 55}) {
      for (int c = 0; c < 3; ++c) {
        const size_t i = (static_cast<size_t>(y) * 64 + x) * 3 + c;
        EXPECT_NEAR(got->image.pixels[i], rgb[i], 12) << x << "," << y << " channel " << c;
      }
    }
  }
}

TEST(BmpDecoder, BottomUpAndTopDownAreExact) {
  const Bytes rgb = Pattern(5, 3, 3);  // 15-byte rows: padding in every row
  ExpectImage(Decode(EncodeBmp(5, 3, rgb)), ImageFormat::kBmp, 5, 3, 3, rgb);
  ExpectImage(Decode(EncodeBmp(5, 3, rgb, true)), ImageFormat::kBmp, 5, 3, 3, rgb);
}

TEST(PnmDecoder, BinaryAndPlainVariants) {
  const Bytes rgb = Pattern(4, 3, 3);
  Bytes p6 = Str("P6\n# a comment\n4 3\n255\n");
  p6.insert(p6.end(), rgb.begin(), rgb.end());
  ExpectImage(Decode(p6), ImageFormat::kPnm, 4, 3, 3, rgb);
  Bytes p5 = Str("P5 3 1 65535\n");
  PutBe(p5, 0, 2), PutBe(p5, 32896, 2), PutBe(p5, 65535, 2);
  ExpectImage(Decode(p5), ImageFormat::kPnm, 3, 1, 1, {0, 128, 255});
  ExpectImage(Decode(Str("P2\n3 1\n15\n0 8 15\n")), ImageFormat::kPnm, 3, 1, 1, {0, 136, 255});
  ExpectImage(Decode(Str("P3 2 1 255\n1 2 3  250 251 252\n")), ImageFormat::kPnm, 2, 1, 3,
              {1, 2, 3, 250, 251, 252});
  ExpectImage(Decode(Str("P1\n3 2\n101\n0 1 0\n")), ImageFormat::kPnm, 3, 2, 1,
              {0, 255, 0, 255, 0, 255});
  Bytes p4 = Str("P4\n10 1\n");
  p4.insert(p4.end(), {0b10100000, 0b01000000});  // 10 pixels, the row padded to 2 bytes
  ExpectImage(Decode(p4), ImageFormat::kPnm, 10, 1, 1,
              {0, 255, 0, 255, 255, 255, 255, 255, 255, 0});
}

// One valid file per format for the checks every decoder shares.
std::vector<std::pair<std::string, Bytes>> Samples() {
  const Bytes rgb = Pattern(12, 10, 3);
  std::vector<std::pair<std::string, Bytes>> samples = {
      {"webp-lossless", EncodeWebp(12, 10, Rgba(rgb, 255), true)},
      {"webp-lossy", EncodeWebp(12, 10, Rgba(rgb, 255), false)},
      {"webp-animated", EncodeAnimatedWebp(12, 10, {Rgba(rgb, 255), Rgba(rgb, 9)})},
      {"gif", EncodeGif(true)},
      {"tiff", EncodeTiff({12, 10}, rgb.data())},
      {"bmp", EncodeBmp(12, 10, rgb)},
  };
  Bytes pnm = Str("P6 12 10 255\n");
  pnm.insert(pnm.end(), rgb.begin(), rgb.end());
  samples.emplace_back("pnm", pnm);
  if (Bytes heif = EncodeHeif(64, 64, Quadrants(64)); !heif.empty()) {
    samples.emplace_back("heif", heif);
  }
  return samples;
}

TEST(AllDecoders, RefuseImagesOverThePixelLimit) {
  for (const auto& [name, file] : Samples()) {
    auto full = Decode(file);
    ASSERT_TRUE(full.ok()) << name << ": " << full.status().message();
    const uint64_t pixels = static_cast<uint64_t>(full->source_width) * full->source_height;
    EXPECT_TRUE(Decode(file, pixels).ok()) << name;
    EXPECT_EQ(Decode(file, pixels - 1).status().code(), StatusCode::kTooLarge) << name;
  }
}

TEST(AllDecoders, TruncatedFilesAreCorruptNeverAWrongImage) {
  for (const auto& [name, file] : Samples()) {
    auto full = Decode(file);
    ASSERT_TRUE(full.ok()) << name;
    auto half = Decode(Bytes(file.begin(), file.begin() + file.size() / 2));
    EXPECT_EQ(half.status().code(), StatusCode::kCorrupt) << name;
    EXPECT_NE(half.status().message().find("truncated"), std::string::npos)
        << name << ": " << half.status().message();
    // Every shorter prefix that still carries the magic number fails as corrupt, or (when only
    // bytes after the first image are missing) decodes to exactly the same image.
    for (size_t n = 16; n < file.size(); ++n) {
      auto got = Decode(Bytes(file.begin(), file.begin() + n));
      if (got.ok()) {
        EXPECT_EQ(got->image.pixels, full->image.pixels) << name << " cut to " << n;
      } else {
        EXPECT_EQ(got.status().code(), StatusCode::kCorrupt)
            << name << " cut to " << n << ": " << got.status().message();
      }
    }
  }
}

Bytes Forged(std::string_view magic, int count = 256, uint32_t seed = 1) {
  Bytes b = Str(magic);
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) b.push_back(static_cast<uint8_t>(rng()));
  return b;
}

TEST(AllDecoders, RandomBytesAfterAMagicNumberAreAnError) {
  for (std::string_view magic :
       {std::string_view("RIFF\x40\x01\0\0WEBPVP8 ", 16),
        std::string_view("RIFF\x40\x01\0\0WEBPVP8L", 16), std::string_view("GIF89a"),
        std::string_view("II*\0", 4), std::string_view("MM\0*", 4),
        std::string_view("\0\0\0\x18"
                         "ftypheic",
                         12),
        std::string_view("BM"), std::string_view("P6\n")}) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
      auto got = Decode(Forged(magic, 256, seed));
      EXPECT_FALSE(got.ok()) << "magic " << magic.substr(0, 4) << " seed " << seed;
    }
  }
}

Bytes Chunk(std::string_view type, const Bytes& data) {  // a PNG chunk with its CRC
  Bytes c;
  PutBe(c, data.size(), 4);
  c.insert(c.end(), type.begin(), type.end());
  c.insert(c.end(), data.begin(), data.end());
  PutBe(c,
        crc32(crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4), data.data(),
              static_cast<uInt>(data.size())),
        4);
  return c;
}

TEST(AllDecoders, ForgedHugeHeadersAreTooLarge) {
  std::vector<std::pair<std::string, Bytes>> files;
  Bytes png = Str("\x89PNG\r\n\x1A\n"), ihdr;
  PutBe(ihdr, 100000, 4), PutBe(ihdr, 100000, 4), ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});
  for (const Bytes& c : {Chunk("IHDR", ihdr), Chunk("IDAT", {})}) {
    png.insert(png.end(), c.begin(), c.end());  // IDAT, so libpng stops reading the header
  }
  files.emplace_back("png", png);
  // VP8X canvas of an animation, 60000x60000 (libwebp itself refuses 2^32 pixels or more).
  Bytes webp = Str("RIFF");
  PutLe(webp, 22, 4);
  for (char ch : std::string_view("WEBPVP8X")) webp.push_back(static_cast<uint8_t>(ch));
  PutLe(webp, 10, 4), PutLe(webp, 0x02, 4), PutLe(webp, 59999, 3), PutLe(webp, 59999, 3);
  files.emplace_back("webp", webp);
  Bytes gif = Str("GIF89a");  // the largest screen GIF can declare
  PutLe(gif, 65535, 2), PutLe(gif, 65535, 2), PutLe(gif, 0, 3);
  files.emplace_back("gif", gif);
  Bytes tiff = Str(std::string_view("II*\0", 4));  // one IFD of 8 entries at offset 8
  PutLe(tiff, 8, 4), PutLe(tiff, 8, 2);
  const uint32_t entries[8][3] = {{256, 4, 100000}, {257, 4, 100000}, {258, 3, 8}, {259, 3, 1},
                                  {262, 3, 1},      {273, 4, 8},      {278, 4, 1}, {279, 4, 1}};
  for (const auto& e : entries) {  // tag, type (3 SHORT, 4 LONG), count 1, value
    PutLe(tiff, e[0], 2), PutLe(tiff, e[1], 2), PutLe(tiff, 1, 4), PutLe(tiff, e[2], 4);
  }
  PutLe(tiff, 0, 4);
  files.emplace_back("tiff", tiff);
  Bytes bmp = EncodeBmp(1, 1, {1, 2, 3});
  for (int at : {18, 22}) std::memcpy(&bmp[at], "\xA0\x86\x01\x00", 4);  // 100000
  files.emplace_back("bmp", bmp);
  files.emplace_back("pnm", Str("P5\n100000 100000\n255\n"));
  Bytes heif = EncodeHeif(64, 64, Quadrants(64));
  const auto ispe = std::search(heif.begin(), heif.end(), std::begin("ispe"), std::end("ispe") - 1);
  if (ispe != heif.end()) {
    // 100000 meets libheif's own limit (sides up to 32768); 20000x20000 meets ours.
    for (uint32_t side : {100000u, 20000u}) {
      const size_t at = static_cast<size_t>(ispe - heif.begin()) + 8;  // width, height (BE)
      Bytes forged(heif.begin(), heif.begin() + at);
      PutBe(forged, side, 4), PutBe(forged, side, 4);
      forged.insert(forged.end(), heif.begin() + at + 8, heif.end());
      files.emplace_back("heif " + std::to_string(side), forged);
    }
  }
  for (const auto& [name, file] : files) {
    auto got = Decode(file);
    EXPECT_EQ(got.status().code(), StatusCode::kTooLarge) << name << ": " << got.status().message();
  }
}

TEST(DecodeImage, EmptyIsCorruptAndUnknownIsUnsupported) {
  EXPECT_EQ(Decode({}).status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(Decode(Forged("", 64)).status().code(), StatusCode::kUnsupported);
}

TEST(SniffImageFormat, RecognisesMagicBytes) {
  const std::pair<Bytes, ImageFormat> cases[] = {
      {{0xFF, 0xD8, 0xFF, 0xE0}, ImageFormat::kJpeg},
      {Str("\x89PNG\r\n\x1A\n"), ImageFormat::kPng},
      {EncodeWebp(2, 2, Bytes(16, 255), true), ImageFormat::kWebp},
      {EncodeGif(false), ImageFormat::kGif},
      {Str(std::string_view("MM\0*", 4)), ImageFormat::kTiff},
      {EncodeTiff({2, 2}, Bytes(12).data()), ImageFormat::kTiff},
      {Str(std::string_view("\0\0\0\x1C"
                            "ftypheic",
                            12)),
       ImageFormat::kHeif},
      {Str(std::string_view("\0\0\0\x1C"
                            "ftypavif",
                            12)),
       ImageFormat::kHeif},
      {Str(std::string_view("\0\0\0\x1C"
                            "ftypisom",
                            12)),
       ImageFormat::kUnknown},  // video
      {EncodeBmp(1, 1, {0, 0, 0}), ImageFormat::kBmp},
      {Str("P5 1 1 255\n"), ImageFormat::kPnm},
      {Str("P7\n"), ImageFormat::kUnknown},
      {Str("RIFF\0\0\0\0WAVE"), ImageFormat::kUnknown},
  };
  for (const auto& [bytes, format] : cases) {
    EXPECT_EQ(SniffImageFormat(bytes), format) << ImageFormatName(format);
  }
}

// Collects streamed rows, to compare with the whole-image path.
struct RowCollector : RowSink {
  int width = 0, height = 0, channels = 0;
  Bytes pixels;
  void Begin(int w, int h, int c) override { width = w, height = h, channels = c; }
  void Row(const uint8_t* row) override {
    pixels.insert(pixels.end(), row, row + static_cast<size_t>(width) * channels);
  }
};

TEST(DecodeImageRows, PngStreamsTheSameRowsPlainOrInterlaced) {
  for (int channels : {1, 3}) {
    for (bool interlaced : {false, true}) {
      const Bytes pixels = Pattern(37, 23, channels);
      const Bytes png = EncodePng(37, 23, channels, pixels, interlaced);
      RowCollector rows;
      auto streamed = DecodeImageRows(png, {}, rows);
      ASSERT_TRUE(streamed.ok()) << streamed.status().message();
      EXPECT_EQ(streamed->format, ImageFormat::kPng);
      EXPECT_EQ(streamed->source_width, 37);
      EXPECT_EQ(streamed->source_height, 23);
      EXPECT_TRUE(streamed->image.pixels.empty());
      EXPECT_EQ(rows.channels, channels);
      EXPECT_EQ(rows.pixels, pixels) << channels << " " << interlaced;
      ExpectImage(Decode(png), ImageFormat::kPng, 37, 23, channels, pixels);
    }
  }
}

TEST(DecodeImageRows, TruncatedPngIsAnErrorEvenAfterSomeRows) {
  const Bytes png = EncodePng(64, 64, 3, Pattern(64, 64, 3), false);
  RowCollector rows;
  auto streamed = DecodeImageRows(Bytes(png.begin(), png.begin() + png.size() * 3 / 4), {}, rows);
  ASSERT_FALSE(streamed.ok());
  EXPECT_EQ(streamed.status().code(), StatusCode::kCorrupt);
}

TEST(DecodeImage, FastModeDecodesTheseFormatsAtFullSize) {
  DecodeOptions fast;
  fast.mode = DecodeMode::kFast;
  for (const auto& [name, file] : Samples()) {
    auto got = DecodeImage(file, fast);
    ASSERT_TRUE(got.ok()) << name;
    EXPECT_EQ(got->image.pixels, Decode(file)->image.pixels) << name;
  }
}

}  // namespace
}  // namespace takedown::media
