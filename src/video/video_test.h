// The video tests' shared fixtures, for video_test.cc, video_match_test.cc and
// video_formats_test.cc: the shared test photos, clips made once per test program with the ffmpeg
// command in a temporary directory removed at exit, and REQUIRE_FFMPEG (skips without the ffmpeg
// command, fails when CI=true).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "video/video.h"

namespace takedown::video::video_testing {

namespace fs = std::filesystem;

inline const fs::path kPhotos = fs::path(TAKEDOWN_SHARED_DIR) / "testdata" / "pdq";

// The source slideshow: distinct real photos (not the bridge edits, which are one photo).
inline const std::vector<std::string> kSourcePhotos = {
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
inline const std::vector<std::string> kOtherPhotos = {
    "reg-test-input/labelme-subset/q2821.jpg",
    "misc-images/wee.jpg",
    "hma-resources/LA.png",
    "hma-resources/rgb.jpeg",
};

inline std::vector<uint8_t> ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void WriteAll(const fs::path& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

inline bool HaveFfmpeg() {
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
inline std::string SlideshowArgs(const std::vector<std::string>& photos) {
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

inline fs::path SourceClip() {
  return ClipDir::Get().Clip("source.mp4", SlideshowArgs(kSourcePhotos));
}

// A 4 s clip of FFmpeg's test pattern: 100 frames at 25 fps, 160x120, H.264 with B-frames.
inline fs::path PatternClip() {
  return ClipDir::Get().Clip(
      "pattern.mp4",
      "-f lavfi -i testsrc2=size=160x120:rate=25:duration=4 -c:v libx264 -preset veryfast "
      "-pix_fmt yuv420p -bf 2");
}

// 5 s of the test pattern at 30 fps in Matroska, H.264 with 5 B-frames, pyramid (some of the
// B-frames are references, some not).
inline fs::path PyramidClip() {
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

inline VideoHashRecord MustHash(const fs::path& path, const VideoHashOptions& options = {}) {
  auto record = HashVideoFile(path, options);
  EXPECT_TRUE(record.ok()) << path << ": " << record.status().message();
  return record.ok() ? *record : VideoHashRecord{};
}

}  // namespace takedown::video::video_testing
