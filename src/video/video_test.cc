// Tests of vPDQ hashing: sampling, the record, and damaged, odd and hostile input. Clips are made
// at run time with the ffmpeg command (a slideshow of the shared test photos and edits of it) in a
// temporary directory that is removed afterwards. Without the ffmpeg command the tests are skipped,
// or fail when CI=true. Matching edited copies is in video_match_test.cc, containers and the text
// form in video_formats_test.cc (fixtures: video_test.h).
#include "video/video.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "video/decode.h"
#include "video/video_test.h"

namespace takedown::video {
namespace {

using namespace video_testing;  // NOLINT: the clips and helpers every video test uses

// ---------------------------------------------------------------------------------------------
// Sampling and the record

TEST(VideoHash, SamplesOneFrameASecondInDecodeOrder) {
  REQUIRE_FFMPEG();
  const VideoHashRecord r = MustHash(PatternClip());
  EXPECT_EQ(r.container, "mov,mp4,m4a,3gp,3g2,mj2");
  EXPECT_EQ(r.codec, "h264");
  EXPECT_EQ(r.width, 160);
  EXPECT_EQ(r.height, 120);
  EXPECT_DOUBLE_EQ(r.fps, 25.0);
  EXPECT_NEAR(r.duration, 4.0, 0.05);
  EXPECT_EQ(r.frame_count, 100);
  ASSERT_EQ(r.frames.size(), 4u);
  for (size_t i = 0; i < r.frames.size(); ++i) {
    EXPECT_EQ(r.frames[i].frame, static_cast<int64_t>(25 * i));
    EXPECT_DOUBLE_EQ(r.frames[i].timestamp, static_cast<double>(i));
    EXPECT_GE(r.frames[i].pdq.quality, 50);
  }
  // The test pattern moves: the sampled frames differ.
  EXPECT_NE(r.frames[0].pdq.hash, r.frames[1].pdq.hash);
}

TEST(VideoHash, HalfASecondPerHash) {
  REQUIRE_FFMPEG();
  VideoHashOptions options;
  options.seconds_per_hash = 0.5;
  const VideoHashRecord r = MustHash(PatternClip(), options);
  // frameMod = int(0.5 * 25) = 12: frames 0, 12, ..., 96.
  ASSERT_EQ(r.frames.size(), 9u);
  for (size_t i = 0; i < r.frames.size(); ++i) {
    EXPECT_EQ(r.frames[i].frame, static_cast<int64_t>(12 * i));
    EXPECT_DOUBLE_EQ(r.frames[i].timestamp, 12.0 * static_cast<double>(i) / 25.0);
  }
  // Every sampled frame of the 1 s sampling is among them, with the same hash.
  const VideoHashRecord every_second = MustHash(PatternClip());
  for (const auto& f : every_second.frames) {
    const auto it = std::find_if(r.frames.begin(), r.frames.end(),
                                 [&](const FrameHash& g) { return g.frame == f.frame; });
    if (f.frame % 12 != 0) continue;
    ASSERT_NE(it, r.frames.end());
    EXPECT_EQ(it->pdq.hash, f.pdq.hash);
  }
}

TEST(VideoHash, EveryFrameWhenFrameModIsOne) {
  REQUIRE_FFMPEG();
  VideoHashOptions options;
  options.seconds_per_hash = 0.01;  // int(0.25) = 0 -> frameMod 1
  const VideoHashRecord r = MustHash(PatternClip(), options);
  ASSERT_EQ(r.frames.size(), 100u);
  for (size_t i = 0; i < r.frames.size(); ++i) EXPECT_EQ(r.frames[i].frame, int64_t(i));
}

TEST(VideoHash, ProgressIsReported) {
  REQUIRE_FFMPEG();
  VideoHashOptions options;
  std::vector<std::pair<double, double>> calls;
  options.progress = [&](double done, double total) { calls.emplace_back(done, total); };
  MustHash(PatternClip(), options);
  ASSERT_FALSE(calls.empty());
  EXPECT_NEAR(calls.back().first, 4.0, 0.05);
  EXPECT_NEAR(calls.back().second, 4.0, 0.05);
}

TEST(VideoHash, BytesAndFileGiveTheSameRecord) {
  REQUIRE_FFMPEG();
  const fs::path path = PatternClip();
  const VideoHashRecord from_file = MustHash(path);
  const auto bytes = ReadAll(path);
  auto from_bytes = HashVideoBytes(bytes);
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status().message();
  EXPECT_EQ(from_bytes->container, from_file.container);
  EXPECT_EQ(from_bytes->codec, from_file.codec);
  EXPECT_EQ(from_bytes->width, from_file.width);
  EXPECT_EQ(from_bytes->height, from_file.height);
  EXPECT_EQ(from_bytes->fps, from_file.fps);
  EXPECT_EQ(from_bytes->duration, from_file.duration);
  EXPECT_EQ(from_bytes->frame_count, from_file.frame_count);
  EXPECT_EQ(FormatVpdq(from_bytes->frames), FormatVpdq(from_file.frames));
}

TEST(VideoHash, DecoderThreadsGiveTheSameRecord) {
  REQUIRE_FFMPEG();
  const VideoHashRecord one = MustHash(SourceClip());
  VideoHashOptions options;
  options.decoder_threads = 2;
  const VideoHashRecord two = MustHash(SourceClip(), options);
  EXPECT_EQ(one.frame_count, two.frame_count);
  EXPECT_EQ(FormatVpdq(one.frames), FormatVpdq(two.frames));
}

// Skipping non-reference frames must not change a single frame number or hash.
TEST(VideoHash, SkipDecodingKeepsTheNumbering) {
  REQUIRE_FFMPEG();
  struct Case {
    std::string name, args;
  };
  const std::string pattern = "-f lavfi -i testsrc2=size=192x108:rate=30:duration=5 ";
  const std::vector<Case> cases = {
      {"skip-h264.mp4", pattern + "-c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p"},
      {"skip-h264-pyramid.mkv", ""},  // PyramidClip()
      {"skip-hevc.mp4", pattern + "-c:v libx265 -preset ultrafast -x265-params log-level=none"},
      {"skip-mpeg2.ts", pattern + "-c:v mpeg2video -bf 2 -q:v 4"},
      {"skip-mpeg4.mp4", pattern + "-c:v mpeg4 -bf 2 -q:v 4"},
      {"skip-editlist.mp4",
       "-ss 1.3 -i '" + (ClipDir::Get().path() / "skip-h264.mp4").string() + "' -c copy"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path clip = c.args.empty() ? PyramidClip() : ClipDir::Get().Clip(c.name, c.args);
    for (const double seconds : {1.0, 0.2}) {
      VideoHashOptions options;
      options.seconds_per_hash = seconds;
      for (const int threads : {1, 2}) {
        options.decoder_threads = threads;
        internal::SetSkipDecodingForTesting(true);
        const VideoHashRecord skipped = MustHash(clip, options);
        const internal::DecodeStats stats = internal::LastDecodeStats();
        internal::SetSkipDecodingForTesting(false);
        const VideoHashRecord full = MustHash(clip, options);
        internal::SetSkipDecodingForTesting(true);
        EXPECT_EQ(skipped.frame_count, full.frame_count);
        EXPECT_EQ(FormatVpdq(skipped.frames), FormatVpdq(full.frames));
        EXPECT_FALSE(stats.fell_back);
        if (seconds == 1.0 && threads == 1) {
          std::printf("[ skip     ] %-22s packets %ld, sent with NONREF %ld, discarded %ld\n",
                      c.name.c_str(), static_cast<long>(stats.packets),
                      static_cast<long>(stats.skipped_packets),
                      static_cast<long>(stats.discarded_frames));
        }
        if (c.name != "skip-hevc.mp4") {
          EXPECT_GT(stats.discarded_frames, 0);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Damaged, odd and hostile input

TEST(VideoHash, TruncatedFiles) {
  REQUIRE_FFMPEG();
  const fs::path dir = ClipDir::Get().path();
  // The moov index at the front: the first half decodes.
  const fs::path faststart = ClipDir::Get().Clip(
      "faststart.mp4", "-i '" + PatternClip().string() + "' -c copy -movflags +faststart");
  auto bytes = ReadAll(faststart);
  ASSERT_GT(bytes.size(), 4096u);
  const std::span<const uint8_t> half(bytes.data(), bytes.size() / 2);
  auto r = HashVideoBytes(half);
  if (r.ok()) {
    EXPECT_GT(r->frame_count, 0);
    EXPECT_LT(r->frame_count, 100);
    ASSERT_FALSE(r->frames.empty());
    EXPECT_EQ(r->frames[0].frame, 0);
  } else {
    EXPECT_EQ(r.status().code(), StatusCode::kCorrupt) << r.status().message();
  }
  // The index at the end (ffmpeg's default): half a file has no index.
  const auto plain = ReadAll(PatternClip());
  auto r2 = HashVideoBytes(std::span(plain.data(), plain.size() / 2));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.status().code(), StatusCode::kCorrupt) << r2.status().message();
  // 1 KB of either.
  EXPECT_FALSE(HashVideoBytes(std::span(bytes.data(), 1024)).ok());
  EXPECT_FALSE(HashVideoBytes(std::span(plain.data(), 1024)).ok());
  // A Matroska file cut anywhere: frames or an error, never a crash.
  const auto mkv = ReadAll(PyramidClip());
  for (size_t cut = 100; cut < mkv.size(); cut += mkv.size() / 7) {
    auto part = HashVideoBytes(std::span(mkv.data(), cut));
    if (part.ok()) {
      EXPECT_GT(part->frame_count, 0);
    }
  }
  const fs::path cut_file = dir / "cut.mp4";
  WriteAll(cut_file, half);
  auto from_file = HashVideoFile(cut_file);
  EXPECT_EQ(from_file.ok(), r.ok());
}

TEST(VideoHash, AudioOnlyIsUnsupported) {
  REQUIRE_FFMPEG();
  const fs::path audio =
      ClipDir::Get().Clip("sine.m4a", "-f lavfi -i sine=frequency=440:duration=1 -c:a aac");
  auto r = HashVideoFile(audio);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(r.status().message(), "the file has no video stream");
  EXPECT_FALSE(LooksLikeVideo(ReadAll(audio)));
}

TEST(VideoHash, RandomAndEmptyInputAreErrors) {
  std::mt19937 rng(7);
  for (const size_t size : {size_t{1}, size_t{100}, size_t{5000}, size_t{200000}}) {
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    auto r = HashVideoBytes(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.status().code() == StatusCode::kUnsupported ||
                r.status().code() == StatusCode::kCorrupt)
        << r.status().message();
  }
  auto empty = HashVideoBytes({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kCorrupt);

  auto missing = HashVideoFile("/nonexistent/clip.mp4");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto directory = HashVideoFile(fs::temp_directory_path());
  EXPECT_EQ(directory.status().code(), StatusCode::kIoError);
}

TEST(VideoHash, ImagesAreNotVideos) {
  // A JPEG: FFmpeg could read it as a one-frame stream, but it is not a video container.
  const auto jpeg = ReadAll(kPhotos / "hma-resources/rgb.jpeg");
  auto r = HashVideoBytes(jpeg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported) << r.status().message();
}

TEST(VideoHash, Limits) {
  REQUIRE_FFMPEG();
  const fs::path clip = PatternClip();
  auto expect_too_large = [&](const VideoLimits& limits, const char* what) {
    VideoHashOptions options;
    options.limits = limits;
    auto r = HashVideoFile(clip, options);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), StatusCode::kTooLarge) << what;
    std::printf("[ limit    ] %s: %s\n", what, r.status().message().c_str());
    auto b = HashVideoBytes(ReadAll(clip), options);
    ASSERT_FALSE(b.ok()) << what;
    EXPECT_EQ(b.status().code(), StatusCode::kTooLarge) << what;
  };
  VideoLimits l;
  l.max_frame_pixels = 160 * 120 - 1;
  expect_too_large(l, "max_frame_pixels");
  l = {};
  l.max_duration_seconds = 2;
  expect_too_large(l, "max_duration_seconds");
  l = {};
  l.max_decoded_frames = 50;
  expect_too_large(l, "max_decoded_frames");
  l = {};
  l.max_hashed_frames = 3;
  expect_too_large(l, "max_hashed_frames");
  l = {};
  l.max_file_bytes = 1000;
  expect_too_large(l, "max_file_bytes");

  // Exactly at the limits is fine.
  VideoHashOptions options;
  options.limits.max_frame_pixels = 160 * 120;
  options.limits.max_decoded_frames = 100;
  options.limits.max_hashed_frames = 4;
  options.limits.max_duration_seconds = 4.1;
  EXPECT_TRUE(HashVideoFile(clip, options).ok());
}

TEST(VideoHash, BadOptions) {
  VideoHashOptions options;
  options.seconds_per_hash = 0;
  EXPECT_EQ(HashVideoBytes(std::vector<uint8_t>(10), options).status().code(),
            StatusCode::kInvalidArgument);
  options.seconds_per_hash = -1;
  EXPECT_EQ(HashVideoBytes(std::vector<uint8_t>(10), options).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace takedown::video
