#include "hashing/signals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace takedown::hashing {
namespace {

// A grey picture with detail at every scale (so that every region has a useful hash).
struct Picture {
  int width, height;
  std::vector<uint8_t> pixels;
  PixelView view() const { return {pixels.data(), width, height, 1, static_cast<size_t>(width)}; }
};

Picture Detailed(int w, int h, uint32_t seed = 7) {
  Picture p{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h)};
  uint32_t state = seed;
  std::vector<int> blobs;
  for (int i = 0; i < 40; ++i) {
    state = state * 1664525u + 1013904223u;
    blobs.push_back(static_cast<int>(state >> 8));
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // Fine texture everywhere (nothing in the picture looks like a plain border) over blobs.
      int v = 128 + (x * 60 / w) - (y * 40 / h) +
              static_cast<int>((x * 7 + y * 13) ^ (x * y)) % 29 - 14;
      for (size_t b = 0; b + 3 < blobs.size(); b += 4) {
        const int cx = blobs[b] % w, cy = blobs[b + 1] % h, r = 5 + blobs[b + 2] % (w / 6 + 1);
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) v += blobs[b + 3] % 2 ? 45 : -45;
      }
      p.pixels[static_cast<size_t>(y) * w + x] = static_cast<uint8_t>(std::clamp(v, 0, 255));
    }
  }
  return p;
}

// `inner` centred on a canvas of the given size filled with `fill`.
Picture Padded(const Picture& inner, int w, int h, uint8_t fill) {
  Picture p{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h, fill)};
  const int x0 = (w - inner.width) / 2, y0 = (h - inner.height) / 2;
  for (int y = 0; y < inner.height; ++y) {
    std::copy_n(inner.pixels.data() + static_cast<size_t>(y) * inner.width, inner.width,
                p.pixels.data() + static_cast<size_t>(y0 + y) * w + x0);
  }
  return p;
}

const RegionHash& Whole(const ImageSignals& s) { return s.regions.front(); }

TEST(Signals, EveryRegionOfADetailedPhotoIsHashedAndNamed) {
  SignalExtractor extractor;
  auto signals = extractor.Extract(Detailed(300, 200).view(), false);
  ASSERT_TRUE(signals.ok()) << signals.status().message();
  EXPECT_EQ(signals->content, (Box{0, 0, 300, 200}));  // nothing to trim
  ASSERT_EQ(signals->regions.size(), kRegions.size());
  EXPECT_TRUE(signals->variants.empty());
  for (size_t r = 0; r < kRegions.size(); ++r) {
    EXPECT_EQ(signals->regions[r].region, r);
    EXPECT_EQ(RegionFromName(RegionName(static_cast<int>(r))), static_cast<int>(r));
  }
  EXPECT_GE(Whole(*signals).quality, 50);
  EXPECT_EQ(RegionFromName("untrimmed:centre90"), kUntrimmedRegion + *RegionFromName("centre90"));
  EXPECT_EQ(RegionFromName("nowhere"), std::nullopt);
  // Well under 4 KB even with the untrimmed image's regions: 34 bytes a region.
  EXPECT_LE(2 * kRegions.size() * 34 + 16, 4096u);
}

TEST(Signals, TheCrawlersChoiceIsTheWholeAndTheCollageCellsOfTheFullSet) {
  SignalExtractor extractor;
  const Picture framed = Padded(Detailed(300, 200), 300, 260, 0);  // black bars to trim
  auto all = extractor.Extract(framed.view(), false);
  auto crawl = extractor.Extract(framed.view(), false, RegionChoice::kWholeAndCells);
  ASSERT_TRUE(all.ok() && crawl.ok());
  std::vector<std::string> names;
  for (const RegionHash& r : crawl->regions) {
    names.push_back(RegionName(r.region));
    // The same hash as in the full set.
    EXPECT_NE(std::find(all->regions.begin(), all->regions.end(), r), all->regions.end())
        << names.back();
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"whole", "quadrant1", "quadrant2", "quadrant3", "quadrant4",
                                      "column1", "column2", "column3", "untrimmed:whole"}));
  EXPECT_EQ(crawl->content, all->content);
}

TEST(Signals, BordersOfAnyPlainColourAreTrimmedBackToThePhoto) {
  SignalExtractor extractor;
  const Picture photo = Detailed(240, 160);
  auto original = extractor.Extract(photo.view(), false);
  ASSERT_TRUE(original.ok());
  for (int fill : {0, 255, 90}) {
    for (auto [w, h] : {std::pair{240, 260}, std::pair{330, 160}, std::pair{300, 200}}) {
      auto copy = extractor.Extract(Padded(photo, w, h, static_cast<uint8_t>(fill)).view(), false);
      ASSERT_TRUE(copy.ok());
      EXPECT_EQ(copy->content, (Box{(w - 240) / 2, (h - 160) / 2, 240, 160}))
          << fill << " " << w << "x" << h;
      EXPECT_LE(HammingDistance(Whole(*copy).hash, Whole(*original).hash), 8);
      // Where trimming took something, the untrimmed image's regions follow.
      EXPECT_GT(copy->regions.size(), kRegions.size());
      EXPECT_EQ(copy->regions.back().region & kUntrimmedRegion, kUntrimmedRegion);
    }
  }
}

TEST(Signals, StreamedRowsGiveTheSameSignalsAsAWholeImage) {
  const Picture photo = Detailed(1100, 700, 3);  // reduced by 4 into the plane
  SignalExtractor whole, streamed;
  auto expected = whole.Extract(photo.view(), true);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(expected->variants.size(), expected->regions.size());
  streamed.Begin(photo.width, photo.height, 1);
  for (int y = 0; y < photo.height; ++y) streamed.AddRow(photo.pixels.data() + y * photo.width);
  auto got = streamed.Finish(true);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, *expected);
  // RGB rows with R = G = B give the grey image's signals.
  std::vector<uint8_t> rgb;
  for (uint8_t v : photo.pixels) rgb.insert(rgb.end(), {v, v, v});
  auto colour = whole.Extract(
      {rgb.data(), photo.width, photo.height, 3, static_cast<size_t>(photo.width) * 3}, true);
  ASSERT_TRUE(colour.ok());
  EXPECT_EQ(*colour, *expected);
}

TEST(Signals, TinyOneColourAndAllBorderImagesGetAClearAnswer) {
  SignalExtractor extractor;
  const Picture tiny = Detailed(12, 40);
  auto small = extractor.Extract(tiny.view(), false);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(small.status().message().find("too small"), std::string::npos);

  const Picture flat{200, 100, std::vector<uint8_t>(200 * 100, 77)};
  auto one = extractor.Extract(flat.view(), false);
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.status().message().find("single colour"), std::string::npos);

  Picture bands{200, 100, std::vector<uint8_t>(200 * 100, 0)};
  std::fill(bands.pixels.begin() + 200 * 50, bands.pixels.end(), 255);
  auto border = extractor.Extract(bands.view(), false);
  ASSERT_FALSE(border.ok());
  EXPECT_NE(border.status().message().find("all border"), std::string::npos);

  // Zero and negative sizes, and finishing before the last row.
  extractor.Begin(0, -5, 3);
  EXPECT_FALSE(extractor.Finish(false).ok());
  extractor.Begin(100, 100, 1);
  EXPECT_NE(extractor.Finish(false).status().message().find("ended before"), std::string::npos);
}

TEST(Signals, AHugeImageIsReducedRowByRowWithoutHoldingIt) {
  // 16000 x 12000 grey (192 megapixels), produced a row at a time.
  const int w = 16000, h = 12000;
  const Picture tile = Detailed(400, 300, 11);
  std::vector<uint8_t> row(w);
  SignalExtractor extractor;
  extractor.Begin(w, h, 1);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) row[x] = tile.pixels[(y / 40) * 400 + x / 40];
    extractor.AddRow(row.data());
  }
  auto signals = extractor.Finish(false);
  ASSERT_TRUE(signals.ok()) << signals.status().message();
  EXPECT_EQ(signals->content, (Box{0, 0, w, h}));
  // The same picture at its own size hashes alike.
  auto small = extractor.Extract(tile.view(), false);
  ASSERT_TRUE(small.ok());
  EXPECT_LE(HammingDistance(Whole(*signals).hash, Whole(*small).hash), 16);
}

TEST(Signals, ACollageCellAndACropMatchTheirRegions) {
  SignalExtractor extractor;
  const Picture photo = Detailed(320, 240, 5);
  auto original = extractor.Extract(photo.view(), false);
  ASSERT_TRUE(original.ok());
  // The top-left 90% x 90%: the query's whole matches the stored topleft90.
  Picture crop{288, 216, {}};
  for (int y = 0; y < 216; ++y) {
    crop.pixels.insert(crop.pixels.end(), photo.pixels.begin() + y * 320,
                       photo.pixels.begin() + y * 320 + 288);
  }
  auto cropped = extractor.Extract(crop.view(), false);
  ASSERT_TRUE(cropped.ok());
  const int topleft90 = *RegionFromName("topleft90");
  EXPECT_LE(HammingDistance(Whole(*cropped).hash, original->regions[topleft90].hash), 16);
  EXPECT_GT(HammingDistance(Whole(*cropped).hash, Whole(*original).hash), 24);
}

}  // namespace
}  // namespace takedown::hashing
