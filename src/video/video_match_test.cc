// Tests of vPDQ hashing against edits: copies of a slideshow (re-encoded, cropped, letterboxed)
// match it by the product's comparison (matching/), an unrelated slideshow does not. Clips are
// made at run time with the ffmpeg command (video_test.h).
#include "matching/video_match.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "video/video.h"
#include "video/video_test.h"

namespace takedown::video {
namespace {

using namespace video_testing;  // NOLINT: the clips and helpers every video test uses

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

}  // namespace
}  // namespace takedown::video
