#include "cli/progress.h"

namespace takedown::cli {

ProgressBar::ProgressBar(std::string label, size_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled && total > 0),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (!enabled_) return;
  Draw(done_.load(), true);
  std::fputc('\n', stderr);
}

void ProgressBar::Advance() {
  const size_t done = ++done_;
  if (!enabled_) return;
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done != total_) return;
  last_draw_ = now;
  Draw(done, false);
}

void ProgressBar::Draw(size_t done, bool final) {
  constexpr int kWidth = 30;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const int filled =
      static_cast<int>(kWidth * static_cast<double>(done) / static_cast<double>(total_));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, ' ');
  char tail[64] = "";
  if (!final && rate > 0) {
    std::snprintf(tail, sizeof tail, ", %.0f s left", static_cast<double>(total_ - done) / rate);
  }
  std::fprintf(stderr, "\r%s [%s] %zu/%zu files, %.1f/s%s   ", label_.c_str(), bar.c_str(), done,
               total_, rate, tail);
  std::fflush(stderr);
}

}  // namespace takedown::cli
