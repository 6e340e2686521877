// Tests of the video formats: each container recognised and decoded (clips made at run time with
// the ffmpeg command, video_test.h), LooksLikeVideo refusing images and noise, and the vPDQ text
// form.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "video/video.h"
#include "video/video_test.h"

namespace takedown::video {
namespace {

using namespace video_testing;  // NOLINT: the clips and helpers every video test uses

// ---------------------------------------------------------------------------------------------
// Containers

struct Container {
  const char* file;
  const char* args;  // encoder arguments
  const char* name;  // FFmpeg's demuxer name
};
const Container kContainers[] = {
    {"c.mp4", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p", "mov,mp4,m4a,3gp,3g2,mj2"},
    {"c.mov", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p", "mov,mp4,m4a,3gp,3g2,mj2"},
    {"c.webm", "-c:v libvpx -deadline realtime -b:v 200k", "matroska,webm"},
    {"c.mkv", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p", "matroska,webm"},
    {"c.avi", "-c:v mpeg4", "avi"},
    {"c.ts", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p", "mpegts"},
    {"c.ogv", "-c:v libtheora", "ogg"},
    {"c.flv", "-c:v flv", "flv"},
    {"c.mpg", "-c:v mpeg2video", "mpeg"},
    {"c.wmv", "-c:v wmv2", "asf"},
    {"c.3gp", "-c:v mpeg4 -s 176x144", "mov,mp4,m4a,3gp,3g2,mj2"},
};

TEST(VideoContainers, EachIsRecognisedAndDecodes) {
  REQUIRE_FFMPEG();
  for (const auto& c : kContainers) {
    SCOPED_TRACE(c.file);
    const fs::path clip = ClipDir::Get().Clip(
        c.file, std::string("-f lavfi -i testsrc2=size=128x96:rate=10:duration=2 ") + c.args);
    const auto bytes = ReadAll(clip);
    EXPECT_TRUE(LooksLikeVideo(std::span(bytes).first(std::min<size_t>(bytes.size(), 512))));
    auto r = HashVideoBytes(bytes);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->container, c.name);
    EXPECT_EQ(r->frame_count, 20);
    EXPECT_EQ(r->frames.size(), 2u);
    EXPECT_EQ(r->frames[0].frame, 0);
  }
}

TEST(VideoContainers, LooksLikeVideoRefusesImagesAndNoise) {
  auto bytes = [](std::string_view s) { return std::vector<uint8_t>(s.begin(), s.end()); };
  using namespace std::string_view_literals;
  EXPECT_FALSE(LooksLikeVideo(ReadAll(kPhotos / "hma-resources/rgb.jpeg")));
  EXPECT_FALSE(LooksLikeVideo(ReadAll(kPhotos / "misc-images/c.png")));
  EXPECT_FALSE(LooksLikeVideo(ReadAll(kPhotos / "misc-images/modes/F.webp")));
  EXPECT_FALSE(
      LooksLikeVideo(bytes("\0\0\0\x18"
                           "ftypheic\0\0\0\0mif1heic"sv)));
  EXPECT_FALSE(
      LooksLikeVideo(bytes("\0\0\0\x1c"
                           "ftypavif\0\0\0\0avifmif1miaf"sv)));
  EXPECT_FALSE(
      LooksLikeVideo(bytes("\0\0\0\x1c"
                           "ftypmif1\0\0\0\0mif1heic"sv)));
  EXPECT_FALSE(
      LooksLikeVideo(bytes("\0\0\0\x1c"
                           "ftypmsf1\0\0\0\0msf1hevc"sv)));
  EXPECT_FALSE(
      LooksLikeVideo(bytes("\0\0\0\x1c"
                           "ftypheix\0\0\0\0mif1heix"sv)));
  EXPECT_TRUE(
      LooksLikeVideo(bytes("\0\0\0\x18"
                           "ftypisom\0\0\x02\0isomiso2"sv)));
  EXPECT_TRUE(
      LooksLikeVideo(bytes("\0\0\0\x14"
                           "ftypqt  \0\0\0\0qt  "sv)));
  EXPECT_FALSE(LooksLikeVideo(bytes("GIF89a\x10\0\x10\0"sv)));
  EXPECT_FALSE(LooksLikeVideo(bytes("RIFF\0\0\0\0WAVEfmt "sv)));
  EXPECT_FALSE(LooksLikeVideo(bytes("RIFF\0\0\0\0WEBPVP8 "sv)));
  EXPECT_FALSE(
      LooksLikeVideo(bytes("OggS\0\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\x1e"
                           "\x01vorbis"sv)));
  EXPECT_FALSE(LooksLikeVideo({}));
  EXPECT_FALSE(LooksLikeVideo(bytes("\x47"sv)));
  std::mt19937 rng(3);
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    std::vector<uint8_t> noise(512);
    for (auto& b : noise) b = static_cast<uint8_t>(rng());
    hits += LooksLikeVideo(noise);
  }
  EXPECT_EQ(hits, 0);
}

// ---------------------------------------------------------------------------------------------
// The vPDQ text form

TEST(VpdqFormat, RoundTrips) {
  std::vector<FrameHash> frames(3);
  frames[0] = {0, {*hashing::Hash256::FromHex(std::string(64, 'f')), 100}, 0, {}};
  frames[1] = {30, {*hashing::Hash256::FromHex(std::string(63, '0') + "1"), 49}, 1.0, {}};
  frames[2] = {12345,
               {*hashing::Hash256::FromHex("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e"
                                           "1d33e6b39c4e9c9b22"),
                77},
               411.5,
               {}};
  const std::string text = FormatVpdq(frames);
  EXPECT_EQ(
      text,
      "0,100," + std::string(64, 'f') + ",0.000\n" + "30,49," + std::string(63, '0') + "1,1.000\n" +
          "12345,77,f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,411.500\n");
  auto parsed = ParseVpdq(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*parsed)[i].frame, frames[i].frame);
    EXPECT_EQ((*parsed)[i].pdq.quality, frames[i].pdq.quality);
    EXPECT_EQ((*parsed)[i].pdq.hash, frames[i].pdq.hash);
    EXPECT_DOUBLE_EQ((*parsed)[i].timestamp, frames[i].timestamp);
  }
  EXPECT_EQ(FormatVpdq(*parsed), text);
  EXPECT_EQ(FormatVpdq({}), "");
  // Timestamps are rounded to 3 decimals.
  EXPECT_EQ(FormatVpdq({{7, {}, 7.0 / 30, {}}}), "7,0," + std::string(64, '0') + ",0.233\n");
}

TEST(VpdqFormat, AcceptsBlankLinesCrLfAndUppercase) {
  const std::string hex = "F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22";
  auto parsed = ParseVpdq("\n0,100," + hex + ",0.000\r\n\r\n  \n25,90," + hex + ",1.000");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].frame, 25);
  EXPECT_EQ((*parsed)[1].pdq.hash.ToHex(),
            "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");
  EXPECT_TRUE(ParseVpdq("").ok());
}

TEST(VpdqFormat, BadLinesNameTheirNumber) {
  const std::string hex(64, 'a');
  const std::string good = "0,100," + hex + ",0.000\n";
  const std::vector<std::string> bad = {
      "1,100," + hex,                       // 3 fields
      "1,100," + hex + ",1.0,extra",        // 5 fields
      "x,100," + hex + ",1.000",            // frame not a number
      "-1,100," + hex + ",1.000",           // negative frame
      "1,101," + hex + ",1.000",            // quality > 100
      "1,-5," + hex + ",1.000",             // quality < 0
      "1,100," + hex.substr(1) + ",1.000",  // 63 hex digits
      "1,100," + hex + "0,1.000",           // 65
      "1,100,zz" + hex.substr(2) + ",1.000",
      "1,100," + hex + ",abc",
      "1,100," + hex + ",-1",
      "1,100," + hex + ",inf",
      "1,100," + hex + ",",
  };
  for (const auto& line : bad) {
    SCOPED_TRACE(line);
    auto r = ParseVpdq(good + "\n" + line + "\n" + good);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("line 3 "), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace takedown::video
