// video_bench: how fast vPDQ hashes a video at one frame a second, beside FFmpeg's own decode of
// the same file (the ffmpeg command to a null output, one thread and FFmpeg's default threads).
// Prints a Markdown table, then one JSON line (docs/video.md holds a run).
//
// Usage: video_bench [--video FILE] [--repeat N]
// The default file is corpus/videos/cockatoo.mp4 (../shared/tools/fetch-dev-corpus.sh): 14 s of
// 1280x720 H.264 at 20 fps. Every time is the best of N runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "video/decode.h"
#include "video/video.h"

namespace {

using namespace takedown;

double BestSeconds(const std::function<bool()>& fn, int repeat) {
  double best = 1e30;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!fn()) return -1;
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string JsonEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "corpus/videos/cockatoo.mp4";
  int repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--video") {
      path = argv[i + 1];
    } else if (flag == "--repeat") {
      repeat = std::max(1, std::atoi(argv[i + 1]));
    } else {
      std::fprintf(stderr, "usage: video_bench [--video FILE] [--repeat N]\n");
      return 2;
    }
  }
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr,
                 "video_bench: %s not found (fetch it with ../shared/tools/fetch-dev-corpus.sh "
                 "corpus)\n",
                 path.c_str());
    return 1;
  }

  video::VideoHashRecord record;
  auto hash = [&](int threads, bool skip, bool alternates = true) {
    return [&, threads, skip, alternates] {
      video::VideoHashOptions options;
      options.decoder_threads = threads;
      options.alternates = alternates;
      video::internal::SetSkipDecodingForTesting(skip);
      auto r = video::HashVideoFile(path, options);
      video::internal::SetSkipDecodingForTesting(true);
      if (!r.ok()) {
        std::fprintf(stderr, "video_bench: %s\n", r.status().message().c_str());
        return false;
      }
      record = std::move(*r);
      return true;
    };
  };
  const double one = BestSeconds(hash(1, true), repeat);
  if (one < 0) return 1;
  const video::internal::DecodeStats stats = video::internal::LastDecodeStats();
  const double one_noskip = BestSeconds(hash(1, false), repeat);
  const double one_plain = BestSeconds(hash(1, true, false), repeat);
  const double two = BestSeconds(hash(2, true), repeat);

  auto ffmpeg = [&](const std::string& threads) {
    const std::string command = "ffmpeg -hide_banner -nostdin -loglevel error " + threads + " -i " +
                                Quoted(path) + " -map 0:v:0 -f null - >/dev/null 2>&1";
    return [command] { return std::system(command.c_str()) == 0; };
  };
  const double ff_one = BestSeconds(ffmpeg("-threads 1"), repeat);
  const double ff_default = BestSeconds(ffmpeg(""), repeat);

  const double seconds = record.duration;
  std::printf(
      "%s: %.1f s of %dx%d %s at %.2f fps, %lld frames, %zu hashed (1 a second); "
      "best of %d\n\n",
      path.c_str(), seconds, record.width, record.height, record.codec.c_str(), record.fps,
      static_cast<long long>(record.frame_count), record.frames.size(), repeat);
  std::printf("| %-48s | %8s | %14s |\n", "", "seconds", "x real time");
  std::printf("|%s|---------:|---------------:|\n", std::string(50, '-').c_str());
  auto row = [&](const char* what, double s) {
    if (s < 0) {
      std::printf("| %-48s | %8s | %14s |\n", what, "failed", "");
    } else {
      std::printf("| %-48s | %8.3f | %13.1fx |\n", what, s, seconds / s);
    }
  };
  row("vPDQ, 1 decoder thread", one);
  row("vPDQ, 1 decoder thread, no frame skipping", one_noskip);
  row("vPDQ, 1 decoder thread, no alternate hashes", one_plain);
  row("vPDQ, 2 decoder threads", two);
  row("ffmpeg -threads 1 -i X -f null - (decode only)", ff_one);
  row("ffmpeg -i X -f null - (decode only)", ff_default);
  std::printf(
      "\nskip-decoding: %lld of %lld packets sent with AVDISCARD_NONREF, %lld frames "
      "discarded%s; target >= 10x real time on one thread: %s\n\n",
      static_cast<long long>(stats.skipped_packets), static_cast<long long>(stats.packets),
      static_cast<long long>(stats.discarded_frames),
      stats.fell_back ? " (fell back to a full decode)" : "",
      seconds / one >= 10 ? "met" : "NOT met");
  std::printf(
      "{\"bench\":\"video\",\"file\":\"%s\",\"duration_s\":%.3f,\"frames\":%lld,\"hashed\":%zu,"
      "\"vpdq_1thread_s\":%.4f,\"vpdq_1thread_noskip_s\":%.4f,\"vpdq_1thread_plain_s\":%.4f,"
      "\"vpdq_2threads_s\":%.4f,"
      "\"ffmpeg_1thread_s\":%.4f,\"ffmpeg_default_s\":%.4f,\"vpdq_1thread_realtime_x\":%.2f,"
      "\"skipped_packets\":%lld,\"discarded_frames\":%lld}\n",
      JsonEscaped(path).c_str(), seconds, static_cast<long long>(record.frame_count),
      record.frames.size(), one, one_noskip, one_plain, two, ff_one, ff_default, seconds / one,
      static_cast<long long>(stats.skipped_packets),
      static_cast<long long>(stats.discarded_frames));
  return 0;
}
