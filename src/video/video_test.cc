// Tests of vPDQ hashing. Clips are made at run time with the ffmpeg command (a slideshow of the
// shared test photos and edits of it) in a temporary directory that is removed afterwards.
// Without the ffmpeg command the tests are skipped, or fail when CI=true.
#include "video/video.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "matching/video_match.h"
#include "video/decode.h"
#include "video/frame_numbering.h"

namespace takedown::video {
namespace {

namespace fs = std::filesystem;

const fs::path kPhotos = fs::path(TAKEDOWN_SHARED_DIR) / "testdata" / "pdq";

// The source slideshow: distinct real photos (not the bridge edits, which are one photo).
const std::vector<std::string> kSourcePhotos = {
    "misc-images/c.png",
    "reg-test-input/exif-rotn/exif-rotn-1.jpg",
    "reg-test-input/labelme-subset/q0122.jpg",
    "reg-test-input/labelme-subset/q0291.jpg",
    "reg-test-input/labelme-subset/q0746.jpg",
    "reg-test-input/pen-and-coaster.png",
    "hma-resources/sample-b.jpg",
    "reg-test-input/labelme-subset/q1050.jpg",
};
// Other photos for a clip that must not match it.
const std::vector<std::string> kOtherPhotos = {
    "reg-test-input/labelme-subset/q2821.jpg",
    "misc-images/wee.jpg",
    "hma-resources/LA.png",
    "hma-resources/rgb.jpeg",
};

std::vector<uint8_t> ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void WriteAll(const fs::path& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

bool HaveFfmpeg() {
  static const bool have = std::system("ffmpeg -hide_banner -version >/dev/null 2>&1") == 0;
  return have;
}

// A temporary directory for the clips of one test program, removed at exit.
class ClipDir {
 public:
  static ClipDir& Get() {
    static ClipDir dir;
    return dir;
  }
  const fs::path& path() const { return path_; }

  // Runs `ffmpeg <args>` (quiet, overwriting); "" on success, else the command and its errors.
  std::string Ffmpeg(const std::string& args) const {
    const fs::path log = path_ / "ffmpeg.log";
    const std::string command =
        "ffmpeg -hide_banner -nostdin -loglevel error -y " + args + " 2>'" + log.string() + "'";
    if (std::system(command.c_str()) == 0) return "";
    const auto text = ReadAll(log);
    return command + "\n" + std::string(text.begin(), text.end());
  }

  // A clip made once per test program: `args` are ffmpeg's arguments before the output name.
  fs::path Clip(const std::string& name, const std::string& args) {
    const fs::path out = path_ / name;
    if (auto it = made_.find(name); it != made_.end()) {
      EXPECT_EQ(it->second, "") << "making " << name;
      return out;
    }
    const std::string error = Ffmpeg(args + " '" + out.string() + "'");
    made_[name] = error;
    EXPECT_EQ(error, "") << "making " << name;
    return out;
  }

 private:
  ClipDir() {
    std::string tmpl = (fs::temp_directory_path() / "takedown-video-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~ClipDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  fs::path path_;
  std::map<std::string, std::string> made_;
};

// ffmpeg arguments for a slideshow: each photo scaled to cover 1280x720, then shown for 1.5 s at
// 640x360 30 fps with a slow zoom (so that consecutive frames differ), H.264 with B-frames.
std::string SlideshowArgs(const std::vector<std::string>& photos) {
  std::string inputs, filter, concat;
  for (size_t i = 0; i < photos.size(); ++i) {
    const std::string n = std::to_string(i);
    inputs += " -i '" + (kPhotos / photos[i]).string() + "'";
    filter += "[" + n + ":v]scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720," +
              "setsar=1,zoompan=z='1+0.0015*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=45:" +
              "s=640x360:fps=30[v" + n + "];";
    concat += "[v" + n + "]";
  }
  return inputs + " -filter_complex \"" + filter + concat +
         "concat=n=" + std::to_string(photos.size()) +
         ":v=1:a=0,format=yuv420p[out]\" -map '[out]'" +
         " -c:v libx264 -preset veryfast -crf 23 -g 60 -bf 3";
}

fs::path SourceClip() { return ClipDir::Get().Clip("source.mp4", SlideshowArgs(kSourcePhotos)); }

// A 4 s clip of FFmpeg's test pattern: 100 frames at 25 fps, 160x120, H.264 with B-frames.
fs::path PatternClip() {
  return ClipDir::Get().Clip(
      "pattern.mp4",
      "-f lavfi -i testsrc2=size=160x120:rate=25:duration=4 -c:v libx264 -preset veryfast "
      "-pix_fmt yuv420p -bf 2");
}

// 5 s of the test pattern at 30 fps in Matroska, H.264 with 5 B-frames, pyramid (some of the
// B-frames are references, some not).
fs::path PyramidClip() {
  return ClipDir::Get().Clip("skip-h264-pyramid.mkv",
                             "-f lavfi -i testsrc2=size=192x108:rate=30:duration=5 -c:v libx264 "
                             "-preset medium -bf 5 -x264-params b-pyramid=normal");
}

#define REQUIRE_FFMPEG()                                                              \
  do {                                                                                \
    if (!HaveFfmpeg()) {                                                              \
      const char* ci = std::getenv("CI");                                             \
      if (ci && std::string(ci) == "true") FAIL() << "the ffmpeg command is missing"; \
      GTEST_SKIP() << "the ffmpeg command is missing";                                \
    }                                                                                 \
    ASSERT_FALSE(ClipDir::Get().path().empty()) << "no temporary directory";          \
  } while (0)

VideoHashRecord MustHash(const fs::path& path, const VideoHashOptions& options = {}) {
  auto record = HashVideoFile(path, options);
  EXPECT_TRUE(record.ok()) << path << ": " << record.status().message();
  return record.ok() ? *record : VideoHashRecord{};
}

// The share of matched frames, by the product's comparison (matching::CompareVideos: the spec's
// section 5 rules, each frame with its alternates) and by the spec's alone (own hashes only).
struct MatchPercent {
  double query = 0;
  double compared = 0;
  double query_own_hashes_only = 0;
};

std::vector<matching::VideoFrame> ForMatching(const std::vector<FrameHash>& frames,
                                              bool alternates) {
  std::vector<matching::VideoFrame> out;
  for (const auto& f : frames) {
    matching::VideoFrame& m = out.emplace_back();
    m.pdq = f.pdq;
    if (alternates) {
      for (const auto& a : f.alternates) m.alternates.push_back(a.pdq);
    }
  }
  return out;
}

std::vector<hashing::Hash256> Usable(const std::vector<FrameHash>& frames) {
  std::vector<hashing::Hash256> out;
  for (const auto& group : matching::UsableFrames(ForMatching(frames, false), 50)) {
    out.push_back(group[0]);
  }
  return out;
}

MatchPercent Compare(const std::vector<FrameHash>& query, const std::vector<FrameHash>& compared) {
  const auto with = matching::CompareVideos(ForMatching(query, true), ForMatching(compared, true));
  const auto own = matching::CompareVideos(ForMatching(query, false), ForMatching(compared, false));
  return {with.query_percent, with.compared_percent, own.query_percent};
}

// ---------------------------------------------------------------------------------------------
// Matching edited copies

TEST(VideoMatch, EditedCopiesOfASlideshowMatchIt) {
  REQUIRE_FFMPEG();
  const fs::path source = SourceClip();
  const VideoHashRecord original = MustHash(source);
  ASSERT_EQ(original.frames.size(), 12u);  // 12 s at one frame a second
  ASSERT_GE(Usable(original.frames).size(), 10u);

  const std::string in = "-i '" + source.string() + "' ";
  const std::string x264 = " -c:v libx264 -preset ultrafast -pix_fmt yuv420p";
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"low-bitrate.mp4", in + "-c:v libx264 -preset ultrafast -b:v 120k"},
      {"half-size.mp4", in + "-vf scale=320:180" + x264},
      {"trim-2s.mp4", "-ss 2 " + in + x264},
      {"24fps.mp4", in + "-vf fps=24" + x264},
      {"15fps.mp4", in + "-vf fps=15" + x264},
      {"mpeg4.avi", in + "-c:v mpeg4 -q:v 6 -bf 2"},
      {"crop-5pc.mp4", in + "-vf crop=iw*0.9:ih*0.9" + x264},       // 5% off each side
      {"letterbox.mp4", in + "-vf pad=640:480:0:60:black" + x264},  // 16:9 in 4:3
  };
  for (const auto& [name, args] : variants) {
    SCOPED_TRACE(name);
    const VideoHashRecord edited = MustHash(ClipDir::Get().Clip(name, args));
    const MatchPercent m = Compare(edited.frames, original.frames);
    std::printf("[ variant  ] %-16s query %5.1f%%  compared %5.1f%%  own hashes only %5.1f%%\n",
                name.c_str(), m.query, m.compared, m.query_own_hashes_only);
    RecordProperty(name + "_query_percent", std::to_string(m.query));
    EXPECT_GE(m.query, 80.0);
  }
}

// PDQ is not invariant to cropping or to black bars (a 5% crop moves the hashes of these photos by
// 60-110 bits, letterboxing by 90-115): by their own hashes alone these copies do not match; the
// alternates (centre crops, borders cut off) are what make them match above.
TEST(VideoMatch, CropsAndLetterboxingNeedTheAlternates) {
  REQUIRE_FFMPEG();
  const fs::path source = SourceClip();
  const VideoHashRecord original = MustHash(source);
  const std::string in = "-i '" + source.string() + "' ";
  const std::string x264 = " -c:v libx264 -preset ultrafast -pix_fmt yuv420p";
  for (const auto& [name, args] : std::vector<std::pair<std::string, std::string>>{
           {"crop-5pc.mp4", in + "-vf crop=iw*0.9:ih*0.9" + x264},
           {"letterbox.mp4", in + "-vf pad=640:480:0:60:black" + x264}}) {
    SCOPED_TRACE(name);
    const VideoHashRecord edited = MustHash(ClipDir::Get().Clip(name, args));
    EXPECT_LT(Compare(edited.frames, original.frames).query_own_hashes_only, 80.0);
    VideoHashOptions without;
    without.alternates = false;
    const VideoHashRecord plain = MustHash(ClipDir::Get().Clip(name, args), without);
    ASSERT_FALSE(plain.frames.empty());
    EXPECT_TRUE(plain.frames[0].alternates.empty());
    EXPECT_EQ(plain.frames[0].pdq.hash, edited.frames[0].pdq.hash);
  }
  // The letterboxed copy's frames carry the hash of their content inside the bars.
  const VideoHashRecord boxed = MustHash(ClipDir::Get().Clip("letterbox.mp4", ""));
  ASSERT_FALSE(boxed.frames.empty());
  EXPECT_EQ(boxed.frames[0].alternates.at(0).kind, AlternateKind::kContent);
}

TEST(VideoMatch, AnUnrelatedSlideshowDoesNotMatch) {
  REQUIRE_FFMPEG();
  const VideoHashRecord original = MustHash(SourceClip());
  const VideoHashRecord other =
      MustHash(ClipDir::Get().Clip("other.mp4", SlideshowArgs(kOtherPhotos)));
  ASSERT_FALSE(other.frames.empty());
  const MatchPercent m = Compare(other.frames, original.frames);
  const MatchPercent reverse = Compare(original.frames, other.frames);
  std::printf("[ unrelated] query %.1f%%, reverse %.1f%%\n", m.query, reverse.query);
  EXPECT_LT(m.query, 20.0);
  EXPECT_LT(reverse.query, 20.0);
}

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

// ---------------------------------------------------------------------------------------------
// The frame numbering behind skip-decoding (synthetic timestamps)

using internal::FrameNumberer;

TEST(FrameNumbering, PlainCountingWithoutSkips) {
  FrameNumberer n(3);
  // Decode order I P B B (pts 0 3 1 2): output in pts order.
  for (const int64_t pts : {0, 3, 1, 2}) n.Sent(pts, false);
  EXPECT_EQ(n.Output(0), 0);
  EXPECT_EQ(n.Output(1), 1);
  EXPECT_EQ(n.Output(2), 2);
  EXPECT_EQ(n.Output(3), 3);
  EXPECT_TRUE(n.Finish());
  EXPECT_EQ(n.frame_count(), 4);
  EXPECT_FALSE(n.skipped_any());
}

TEST(FrameNumbering, DiscardedFramesKeepTheirNumbers) {
  FrameNumberer n(4);
  n.Sent(0, false);
  EXPECT_EQ(n.Output(0), 0);
  // Decode order: P(4) B(2) b(1) b(3) P(8) b(5) B(6) b(7), lookahead included.
  const std::vector<int64_t> order = {4, 2, 1, 3, 8, 6, 5, 7};
  std::vector<bool> skip(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    skip[i] = n.MaySkip(order[i], std::span(order).subspan(i + 1));
    n.Sent(order[i], skip[i]);
  }
  // Frames 4 and 8 are sampled (mod 4): never sent with the discard.
  EXPECT_FALSE(skip[0]);
  EXPECT_FALSE(skip[4]);
  EXPECT_TRUE(skip[2]);
  // The decoder discarded 1, 3, 5 and 7 (non-reference); 2 and 6 were references.
  EXPECT_EQ(n.Output(2), 2);
  EXPECT_EQ(n.Output(4), 4);
  EXPECT_EQ(n.Output(6), 6);
  EXPECT_EQ(n.Output(8), 8);
  EXPECT_TRUE(n.Finish());
  EXPECT_EQ(n.frame_count(), 9);
  EXPECT_EQ(n.discarded(), 4);
}

TEST(FrameNumbering, InconsistenciesAfterSkippingBreakIt) {
  {
    FrameNumberer n(10);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, false);
    n.Sent(2, true);
    EXPECT_EQ(n.Output(2), -1);  // frame 1, decoded normally, never came out
    EXPECT_TRUE(n.broken());
  }
  {
    FrameNumberer n(2);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, true);
    n.Sent(2, true);  // wrongly predicted: frame 2 is sampled
    EXPECT_EQ(n.Output(1), 1);
    n.Sent(3, false);
    EXPECT_EQ(n.Output(3), -1);  // 2 was discarded although sampled
    EXPECT_TRUE(n.broken());
  }
  {
    FrameNumberer n(5);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, true);
    n.Sent(FrameNumberer::kNoPts, false);  // no timestamp once skipping began
    EXPECT_TRUE(n.broken());
  }
  {
    FrameNumberer n(5);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(2, false);
    n.Sent(1, true);
    EXPECT_EQ(n.Output(2), 2);
    EXPECT_EQ(n.Output(1), -1);  // out of order
  }
  {
    FrameNumberer n(5);
    n.Sent(0, false);
    n.Output(0);
    n.Sent(1, true);
    n.Sent(2, false);
    EXPECT_FALSE(n.Finish());  // frame 2 never came out
  }
}

TEST(FrameNumbering, NoTimestampsMeansNoSkipping) {
  FrameNumberer n(5);
  n.Sent(FrameNumberer::kNoPts, false);
  EXPECT_EQ(n.Output(FrameNumberer::kNoPts), 0);
  const int64_t later[] = {7};
  EXPECT_FALSE(n.MaySkip(3, later));
  n.Sent(FrameNumberer::kNoPts, false);
  EXPECT_EQ(n.Output(FrameNumberer::kNoPts), 1);
  EXPECT_TRUE(n.Finish());
}

}  // namespace
}  // namespace takedown::video
