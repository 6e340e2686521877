#include "video/frame_numbering.h"

#include <algorithm>

namespace takedown::video::internal {

bool FrameNumberer::MaySkip(int64_t pts, std::span<const int64_t> later) const {
  if (!usable_ || broken_ || !any_output_ || pts == kNoPts || pts <= last_output_) return false;
  if (pending_default_.count(pts) || pending_skip_.count(pts)) return false;
  // Its number in a full decode: every frame numbered so far, plus every packet sent or still to
  // be sent (within the lookahead) that shows before it. Exact when no packet beyond `later`
  // shows before it; if one does, Output() notices that a sampled frame was discarded.
  int64_t number = next_;
  number += std::distance(pending_default_.begin(), pending_default_.lower_bound(pts));
  number += std::distance(pending_skip_.begin(), pending_skip_.lower_bound(pts));
  for (const int64_t p : later) {
    if (p == kNoPts || p == pts) return false;
    if (p < pts) ++number;
  }
  return number % frame_mod_ != 0;
}

void FrameNumberer::Sent(int64_t pts, bool skip) {
  if (broken_) return;
  const bool bad = pts == kNoPts || (any_output_ && pts <= last_output_) ||
                   pending_default_.count(pts) || pending_skip_.count(pts);
  if (bad) {
    // Without timestamps to order by, skipped frames could not be placed.
    if (skipped_any_ || skip) broken_ = true;
    usable_ = false;
    return;
  }
  if (!usable_) return;  // plain counting from here on: nothing to remember
  if (skip) {
    skipped_any_ = true;
    pending_skip_.insert(pts);
  } else {
    pending_default_.insert(pts);
  }
}

bool FrameNumberer::CountDiscardedBelow(int64_t pts) {
  while (!pending_skip_.empty() && *pending_skip_.begin() < pts) {
    pending_skip_.erase(pending_skip_.begin());
    if (next_ % frame_mod_ == 0) return false;  // a frame we must hash was discarded
    ++next_;
    ++discarded_;
  }
  return true;
}

int64_t FrameNumberer::Output(int64_t pts) {
  if (broken_) return -1;
  if (!skipped_any_) {
    // Plain counting is exact; keep the timestamp book only while it stays consistent.
    if (usable_) {
      const bool in_order = pts != kNoPts && (!any_output_ || pts > last_output_) &&
                            (pending_default_.empty() || *pending_default_.begin() >= pts) &&
                            pending_default_.count(pts) == 1;
      if (in_order) {
        pending_default_.erase(pts);
      } else {
        usable_ = false;
        pending_default_.clear();
      }
    }
    last_output_ = pts;
    any_output_ = true;
    return next_++;
  }
  // Skipping was used: the frame must be one that was sent, in pts order, with no normally
  // decoded frame before it left out.
  if (pts == kNoPts || pts <= last_output_ ||
      (!pending_default_.empty() && *pending_default_.begin() < pts) || !CountDiscardedBelow(pts)) {
    broken_ = true;
    return -1;
  }
  if (pending_default_.erase(pts) == 0 && pending_skip_.erase(pts) == 0) {
    broken_ = true;
    return -1;
  }
  last_output_ = pts;
  return next_++;
}

bool FrameNumberer::Finish() {
  if (broken_) return false;
  if (!skipped_any_) return true;
  if (!pending_default_.empty()) {
    broken_ = true;  // a normally decoded frame never came out: the decoder dropped frames
    return false;
  }
  if (!CountDiscardedBelow(std::numeric_limits<int64_t>::max())) {
    broken_ = true;
    return false;
  }
  return true;
}

}  // namespace takedown::video::internal
