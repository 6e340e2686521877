// Internal to video/: frame numbers that stay exact while the decoder skips non-reference frames.
//
// vPDQ numbers frames in the order they come out of a full decode. When the decoder is told to
// discard non-reference frames (skip_frame = AVDISCARD_NONREF), those frames never come out, so
// counting outputs would renumber everything after them. FrameNumberer keeps the numbering by
// presentation timestamps instead: every packet sent is remembered by its pts, and a frame that
// comes out with pts P is numbered after every sent packet with a smaller pts (the discarded ones
// included). That equals the full decode's numbering exactly when each packet yields one frame and
// frames come out in pts order, which is what the checks below verify for every frame that is
// decoded; the first violation marks the numbering broken and the caller decodes again without
// skipping. Before anything is skipped it is plain output counting, whatever the timestamps.
//
// Not thread-safe: one per decode.
#pragma once

#include <cstdint>
#include <limits>
#include <set>
#include <span>

namespace takedown::video::internal {

class FrameNumberer {
 public:
  static constexpr int64_t kNoPts = std::numeric_limits<int64_t>::min();  // AV_NOPTS_VALUE

  explicit FrameNumberer(int64_t frame_mod) : frame_mod_(frame_mod < 1 ? 1 : frame_mod) {}

  // Whether the packet about to be sent (with `pts`, followed in the file by packets with the
  // pts in `later`) may be decoded with non-reference frames discarded: only when its frame's
  // number is known not to be sampled, after the first frame came out.
  bool MaySkip(int64_t pts, std::span<const int64_t> later) const;

  // Records a packet sent to the decoder, with or without the non-reference discard.
  void Sent(int64_t pts, bool skip);

  // A frame came out with `pts`: returns its frame number, or -1 when the numbering can no longer
  // be trusted (broken() is then true). Frames discarded before it are counted first.
  int64_t Output(int64_t pts);

  // End of stream: counts the discarded frames still pending. False when the numbering broke.
  bool Finish();

  bool broken() const { return broken_; }
  bool skipped_any() const { return skipped_any_; }
  int64_t frame_count() const { return next_; }     // frames numbered so far
  int64_t discarded() const { return discarded_; }  // of which discarded by the decoder

 private:
  bool CountDiscardedBelow(int64_t pts);  // false when a discarded frame was a sampled one

  int64_t frame_mod_;
  int64_t next_ = 0;
  int64_t discarded_ = 0;
  int64_t last_output_ = kNoPts;
  bool any_output_ = false;
  bool usable_ = true;  // timestamps so far allow skipping
  bool skipped_any_ = false;
  bool broken_ = false;
  std::set<int64_t> pending_default_;  // sent normally, not out yet
  std::set<int64_t> pending_skip_;     // sent with the discard, not out (or counted) yet
};

}  // namespace takedown::video::internal
