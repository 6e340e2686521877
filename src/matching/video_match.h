// Video matching with vPDQ's semantics (../shared/spec/pdq.md section 5): frames of quality below
// the minimum are dropped and identical hashes counted once; a query frame is matched when some
// frame of the other video is within the radius; both percentages are reported and a match needs
// query% >= its threshold and compared% >= its threshold. Frame order and timestamps are ignored,
// so trimmed, re-encoded or re-timed copies still match.
//
// A frame may carry alternate hashes (other crops of it: black borders cut off, centre crops; see
// video/video.h) so copies edited in ways PDQ is not invariant to still match: two frames match
// when any hash of one is within the radius of any hash of the other.
//
// Videos live in a HashBank as one entry per hash of each distinct frame (VideoFrameEntryId), so
// one bank and one bank file hold images and videos alike, and an image query can find a video's
// frame.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "hashing/pdq.h"
#include "matching/hash_bank.h"

namespace takedown::matching {

struct VideoMatchOptions {
  int radius = hashing::kDefaultMatchDistance;   // per-frame distance that matches
  int min_quality = hashing::kMinUsefulQuality;  // frames below are dropped on both sides
  double min_query_percent = 80;                 // of the query's frames matched
  double min_compared_percent = 0;               // of the stored video's frames matched
};

// A sampled frame as matching sees it.
struct VideoFrame {
  hashing::PdqHash pdq;                      // the frame's own (vPDQ) hash
  std::vector<hashing::PdqHash> alternates;  // other crops of it, at most kMaxAlternates
};
inline constexpr int kMaxAlternates = 7;

struct VideoSimilarity {
  int query_frames = 0;     // after the quality filter and dedupe
  int compared_frames = 0;  // likewise
  int query_matched = 0;
  int compared_matched = 0;
  double query_percent = 0;     // 100 * query_matched / query_frames (0 when no frames)
  double compared_percent = 0;  // 100 * compared_matched / compared_frames
};

// The spec's comparison of two videos, by brute force over their frames.
VideoSimilarity CompareVideos(const std::vector<VideoFrame>& query,
                              const std::vector<VideoFrame>& compared,
                              const VideoMatchOptions& options = {});
bool IsVideoMatch(const VideoSimilarity& similarity, const VideoMatchOptions& options = {});

// The frames that take part in matching, each as its hashes (own hash first, then the alternates
// of quality >= min_quality): frames whose own hash has quality >= min_quality, a frame whose own
// hash repeats an earlier one's counted once, in their first order.
std::vector<std::vector<hashing::Hash256>> UsableFrames(const std::vector<VideoFrame>& frames,
                                                        int min_quality);

// Bank entry ids of video frames: the top bit set, then the video id (< 2^43), the frame's index
// among the video's distinct frames (< 2^17) and which of its hashes (0: its own, 1..7 its
// alternates). Image entries must keep the top bit clear.
inline constexpr uint64_t kMaxVideoId = (uint64_t{1} << 43) - 1;
inline constexpr uint32_t kMaxVideoFrames = 1u << 17;
uint64_t VideoFrameEntryId(uint64_t video_id, uint32_t index, int hash = 0);
struct VideoFrameRef {
  uint64_t video_id = 0;
  uint32_t index = 0;
  int hash = 0;  // 0: the frame's own hash; 1..7: an alternate
};
std::optional<VideoFrameRef> AsVideoFrame(uint64_t entry_id);

// Stores a video's distinct frames (by own hash; quality is kept per entry and filtered at search
// time) with their alternates as bank entries of `owner`, replacing any earlier frames of that
// id. kInvalidArgument when the id, the frame count or an alternate count is out of range.
Status PutVideo(HashBank& bank, uint64_t video_id, uint64_t owner,
                const std::vector<VideoFrame>& frames);
// Removes a video's frames; returns how many there were.
size_t RemoveVideo(HashBank& bank, uint64_t video_id);

struct VideoMatch {
  uint64_t video_id = 0;
  uint64_t owner = 0;
  VideoSimilarity similarity;
};

// Finds the stored videos that match a query video: each usable query frame is searched in the
// bank (exact, through its index), the videos it hits are the candidates, and each candidate is
// then compared in full for its compared%. Holds a snapshot of the bank's videos taken at
// construction (the bank itself is only read); rebuild it after the bank changes.
// Thread-safe for concurrent Search calls.
class VideoMatcher {
 public:
  explicit VideoMatcher(const HashBank& bank);

  size_t video_count() const { return videos_.size(); }
  // Matching videos, best query% first (then compared%, then id).
  std::vector<VideoMatch> Search(const std::vector<VideoFrame>& query,
                                 const VideoMatchOptions& options = {}) const;

 private:
  struct StoredVideo {
    uint64_t owner = 0;
    std::vector<VideoFrame> frames;
  };
  const HashBank& bank_;
  std::unordered_map<uint64_t, StoredVideo> videos_;
};

}  // namespace takedown::matching
