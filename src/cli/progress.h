// A one-line progress bar on stderr for long runs ("hashing 1234/5000 files, 310/s, 12 s left").
// Thread-safe: workers call Advance() concurrently; only one thread redraws at a time, at most ten
// times a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace takedown::cli {

class ProgressBar {
 public:
  // Draws nothing unless `enabled` (callers pass "stderr is a terminal and the run is long").
  ProgressBar(std::string label, size_t total, bool enabled);
  ~ProgressBar();

  void Advance();

 private:
  void Draw(size_t done, bool final);

  const std::string label_;
  const size_t total_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  std::atomic<size_t> done_{0};
  std::mutex draw_mutex_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace takedown::cli
