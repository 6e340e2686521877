// The hashing contract (spec/pdq.md section 6): our decode + PDQ reproduce the published hashes of
// ../shared/testdata/pdq bit for bit, so hashes we share are usable by HMA, StopNCII and others.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "hashfile/hash_file.h"
#include "hashing/pdq.h"
#include "media/media.h"

namespace takedown {
namespace {

using hashing::Hash256;

const std::string kPdqData = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";

struct VectorRow {
  std::string file;
  int width = 0, height = 0;
  std::string full_hash;
  int full_quality = 0;
  std::string squash_hash;
  int squash_quality = 0;
  std::vector<std::string> dihedral;  // rot90 .. flipm, the 7 derived variants
};

std::vector<VectorRow> LoadVectors() {
  std::ifstream in(kPdqData + "vectors.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<VectorRow> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    if (f.size() != 14) continue;
    VectorRow r{f[0], std::stoi(f[1]), std::stoi(f[2]),         f[3], std::stoi(f[4]),
                f[5], std::stoi(f[6]), {f.begin() + 7, f.end()}};
    rows.push_back(r);
  }
  return rows;
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

media::DecodedImage Decode(const std::string& relative,
                           media::DecodeMode mode = media::DecodeMode::kFull) {
  auto bytes = media::ReadFileLimited(kPdqData + relative, 1u << 30);
  EXPECT_TRUE(bytes.ok()) << relative << ": " << bytes.status().message();
  media::DecodeOptions options;
  options.mode = mode;
  auto decoded = media::DecodeImage(*bytes, options);
  EXPECT_TRUE(decoded.ok()) << relative << ": " << decoded.status().message();
  return decoded.ok() ? std::move(decoded).value() : media::DecodedImage{};
}

// The C++ reference tool's front end: any image with a side over 512 becomes exactly 512x512 by
// nearest neighbour (source index = floor(x * old / 512), in double).
media::Image Squash512(const media::Image& in) {
  if (in.width <= 512 && in.height <= 512) return in;
  media::Image out{512, 512, in.channels, {}};
  out.pixels.resize(512u * 512u * in.channels);
  for (int y = 0; y < 512; ++y) {
    const int sy = static_cast<int>(static_cast<double>(y) * in.height / 512);
    for (int x = 0; x < 512; ++x) {
      const int sx = static_cast<int>(static_cast<double>(x) * in.width / 512);
      for (int c = 0; c < in.channels; ++c) {
        out.pixels[(static_cast<size_t>(y) * 512 + x) * in.channels + c] =
            in.pixels[(static_cast<size_t>(sy) * in.width + sx) * in.channels + c];
      }
    }
  }
  return out;
}

class PdqVectors : public ::testing::Test {
 protected:
  std::vector<VectorRow> rows_ = LoadVectors();
  hashing::PdqHasher hasher_;
  hashfile::ImageFileHasher file_hasher_{hashfile::HashOptions{}};
};

TEST_F(PdqVectors, VectorFileIsPresent) { ASSERT_GE(rows_.size(), 50u); }

TEST_F(PdqVectors, JpegAndPngFullHashesAreBitIdentical) {
  int checked = 0;
  for (const auto& row : rows_) {
    if (EndsWith(row.file, ".webp")) continue;
    auto decoded = Decode(row.file);
    EXPECT_EQ(decoded.source_width, row.width) << row.file;
    EXPECT_EQ(decoded.source_height, row.height) << row.file;
    auto got = hasher_.HashDihedral(decoded.image.view());
    EXPECT_EQ(got.hashes[0].ToHex(), row.full_hash) << row.file;
    EXPECT_EQ(got.quality, row.full_quality) << row.file;
    for (int v = 1; v < 8; ++v) {
      EXPECT_EQ(got.hashes[v].ToHex(), row.dihedral[v - 1])
          << row.file << " " << hashing::kDihedralNames[v];
    }
    // The streaming path the CLI takes (rows straight from the decoder into the hasher).
    auto streamed = file_hasher_.HashFile(kPdqData + row.file);
    ASSERT_TRUE(streamed.ok()) << row.file;
    EXPECT_EQ(streamed->pdq.hash.ToHex(), row.full_hash) << row.file;
    EXPECT_EQ(streamed->pdq.quality, row.full_quality) << row.file;
    ++checked;
  }
  EXPECT_GE(checked, 45);
}

TEST_F(PdqVectors, NearestNeighbourSquashReproducesReferenceTool) {
  for (const auto& row : rows_) {
    if (EndsWith(row.file, ".webp")) continue;
    auto squashed = Squash512(Decode(row.file).image);
    auto got = hasher_.Hash(squashed.view());
    EXPECT_EQ(got.hash.ToHex(), row.squash_hash) << row.file;
    EXPECT_EQ(got.quality, row.squash_quality) << row.file;
  }
}

TEST_F(PdqVectors, WebpHashesWithinFourBits) {
  for (const auto& row : rows_) {
    if (!EndsWith(row.file, ".webp")) continue;
    auto got = hasher_.Hash(Decode(row.file).image.view());
    auto want = Hash256::FromHex(row.full_hash);
    ASSERT_TRUE(want.ok());
    EXPECT_LE(hashing::HammingDistance(got.hash, *want), 4) << row.file;
  }
}

TEST_F(PdqVectors, BridgeModificationsMatchTheOriginal) {
  auto original = hasher_.Hash(Decode("bridge-mods/aaa-orig.jpg").image.view());
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kPdqData + "bridge-mods")) {
    auto name = "bridge-mods/" + entry.path().filename().string();
    auto got = hasher_.Hash(Decode(name).image.view());
    EXPECT_LE(hashing::HammingDistance(got.hash, original.hash), hashing::kDefaultMatchDistance)
        << name;
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

TEST_F(PdqVectors, PixelModesOfOnePhotoAreWithinEightBits) {
  auto original = hasher_.Hash(Decode("misc-images/modes/original.jpg").image.view());
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kPdqData + "misc-images/modes")) {
    auto name = "misc-images/modes/" + entry.path().filename().string();
    auto got = hasher_.Hash(Decode(name).image.view());
    EXPECT_LE(hashing::HammingDistance(got.hash, original.hash), 8) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 14);
}

}  // namespace
}  // namespace takedown
