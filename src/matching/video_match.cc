#include "matching/video_match.h"

#include <algorithm>
#include <unordered_set>

namespace takedown::matching {
namespace {

constexpr uint64_t kVideoBit = uint64_t{1} << 63;
constexpr int kHashBits = 3;                      // which hash of the frame: 0..kMaxAlternates
constexpr int kFrameBits = 17;                    // the frame's index: < kMaxVideoFrames
constexpr int kLowBits = kFrameBits + kHashBits;  // the video id sits above these

using Hashes = std::vector<hashing::Hash256>;

struct HashKey {
  size_t operator()(const hashing::Hash256& h) const {
    return static_cast<size_t>(h.lanes[0] ^ (h.lanes[1] * 0x9E3779B97F4A7C15ull) ^ h.lanes[2] ^
                               (h.lanes[3] >> 7));
  }
};

double Percent(int part, int whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

bool Near(const Hashes& a, const Hashes& b, int radius) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (hashing::HammingDistance(x, y) <= radius) return true;
    }
  }
  return false;
}

// How many of `frames` are near some frame of `others` (brute force: a candidate video has at
// most a few thousand frames).
int CountNear(const std::vector<Hashes>& frames, const std::vector<Hashes>& others, int radius) {
  int n = 0;
  for (const auto& f : frames) {
    n += std::any_of(others.begin(), others.end(),
                     [&](const Hashes& o) { return Near(f, o, radius); })
             ? 1
             : 0;
  }
  return n;
}

}  // namespace

std::vector<Hashes> UsableFrames(const std::vector<VideoFrame>& frames, int min_quality) {
  std::vector<Hashes> out;
  std::unordered_set<hashing::Hash256, HashKey> seen;
  for (const auto& f : frames) {
    if (f.pdq.quality < min_quality || !seen.insert(f.pdq.hash).second) continue;
    Hashes& hashes = out.emplace_back(1, f.pdq.hash);
    for (const auto& a : f.alternates) {
      if (a.quality >= min_quality) hashes.push_back(a.hash);
    }
  }
  return out;
}

VideoSimilarity CompareVideos(const std::vector<VideoFrame>& query,
                              const std::vector<VideoFrame>& compared,
                              const VideoMatchOptions& options) {
  const auto q = UsableFrames(query, options.min_quality);
  const auto c = UsableFrames(compared, options.min_quality);
  VideoSimilarity s;
  s.query_frames = static_cast<int>(q.size());
  s.compared_frames = static_cast<int>(c.size());
  s.query_matched = CountNear(q, c, options.radius);
  s.compared_matched = CountNear(c, q, options.radius);
  s.query_percent = Percent(s.query_matched, s.query_frames);
  s.compared_percent = Percent(s.compared_matched, s.compared_frames);
  return s;
}

bool IsVideoMatch(const VideoSimilarity& s, const VideoMatchOptions& options) {
  return s.query_frames > 0 && s.compared_frames > 0 &&
         s.query_percent >= options.min_query_percent &&
         s.compared_percent >= options.min_compared_percent;
}

uint64_t VideoFrameEntryId(uint64_t video_id, uint32_t index, int hash) {
  return kVideoBit | (video_id << kLowBits) | (uint64_t{index} << kHashBits) |
         static_cast<uint64_t>(hash);
}

std::optional<VideoFrameRef> AsVideoFrame(uint64_t entry_id) {
  if ((entry_id & kVideoBit) == 0) return std::nullopt;
  return VideoFrameRef{(entry_id & ~kVideoBit) >> kLowBits,
                       static_cast<uint32_t>((entry_id >> kHashBits) & (kMaxVideoFrames - 1)),
                       static_cast<int>(entry_id & ((1u << kHashBits) - 1))};
}

Status PutVideo(HashBank& bank, uint64_t video_id, uint64_t owner,
                const std::vector<VideoFrame>& frames) {
  if (video_id > kMaxVideoId) {
    return InvalidArgument("a video id must be below 2^43, not " + std::to_string(video_id));
  }
  // Keep each distinct frame (by its own hash) once: the first one seen, with the best quality.
  std::vector<VideoFrame> distinct;
  std::unordered_map<hashing::Hash256, size_t, HashKey> at;
  for (const auto& f : frames) {
    if (f.alternates.size() > static_cast<size_t>(kMaxAlternates)) {
      return InvalidArgument("a video frame can have at most " + std::to_string(kMaxAlternates) +
                             " alternate hashes");
    }
    auto [it, fresh] = at.try_emplace(f.pdq.hash, distinct.size());
    if (fresh) {
      distinct.push_back(f);
    } else {
      distinct[it->second].pdq.quality = std::max(distinct[it->second].pdq.quality, f.pdq.quality);
    }
  }
  if (distinct.size() >= kMaxVideoFrames) {
    return InvalidArgument("a video can have at most " + std::to_string(kMaxVideoFrames - 1) +
                           " distinct frames");
  }
  RemoveVideo(bank, video_id);
  for (uint32_t i = 0; i < distinct.size(); ++i) {
    const VideoFrame& f = distinct[i];
    bank.Put({VideoFrameEntryId(video_id, i, 0), f.pdq.hash, f.pdq.quality, owner});
    for (size_t k = 0; k < f.alternates.size(); ++k) {
      bank.Put({VideoFrameEntryId(video_id, i, static_cast<int>(k + 1)), f.alternates[k].hash,
                f.alternates[k].quality, owner});
    }
  }
  return Status::Ok();
}

size_t RemoveVideo(HashBank& bank, uint64_t video_id) {
  // PutVideo numbers a video's frames 0..n-1 without gaps, each with its own hash at 0.
  size_t removed = 0;
  for (uint32_t i = 0; i < kMaxVideoFrames && bank.Remove(VideoFrameEntryId(video_id, i, 0)); ++i) {
    ++removed;
    for (int k = 1; k <= kMaxAlternates; ++k) {
      removed += bank.Remove(VideoFrameEntryId(video_id, i, k)) ? 1 : 0;
    }
  }
  return removed;
}

VideoMatcher::VideoMatcher(const HashBank& bank) : bank_(bank) {
  std::vector<BankEntry> page;
  for (uint64_t cursor = 0;;) {
    page.clear();
    const uint64_t next = bank.Scan(cursor, 65536, &page);
    if (page.empty()) break;
    for (const BankEntry& e : page) {
      const auto ref = AsVideoFrame(e.id);
      if (!ref) continue;
      StoredVideo& v = videos_[ref->video_id];
      v.owner = e.owner;
      if (v.frames.size() <= ref->index) v.frames.resize(ref->index + 1);
      VideoFrame& frame = v.frames[ref->index];
      if (ref->hash == 0) {
        frame.pdq = {e.hash, e.quality};
      } else {
        if (frame.alternates.size() < static_cast<size_t>(ref->hash)) {
          frame.alternates.resize(static_cast<size_t>(ref->hash));
        }
        frame.alternates[static_cast<size_t>(ref->hash - 1)] = {e.hash, e.quality};
      }
    }
    cursor = next;
  }
}

std::vector<VideoMatch> VideoMatcher::Search(const std::vector<VideoFrame>& query,
                                             const VideoMatchOptions& options) const {
  const auto q = UsableFrames(query, options.min_quality);
  // For each candidate video, which query frames hit one of its frames.
  std::unordered_map<uint64_t, std::vector<bool>> hits;
  const BankSearchOptions search{options.radius, options.min_quality};
  for (size_t i = 0; i < q.size(); ++i) {
    for (const hashing::Hash256& hash : q[i]) {
      for (const BankMatch& m : bank_.Search(hash, search)) {
        const auto ref = AsVideoFrame(m.id);
        if (!ref) continue;
        const auto video = videos_.find(ref->video_id);
        // An alternate of a frame whose own hash is too weak: that frame does not take part.
        if (video == videos_.end() ||
            video->second.frames[ref->index].pdq.quality < options.min_quality) {
          continue;
        }
        auto& row = hits[ref->video_id];
        row.resize(q.size());
        row[i] = true;
      }
    }
  }
  std::vector<VideoMatch> out;
  for (const auto& [video_id, row] : hits) {
    VideoSimilarity s;
    s.query_frames = static_cast<int>(q.size());
    s.query_matched = static_cast<int>(std::count(row.begin(), row.end(), true));
    s.query_percent = Percent(s.query_matched, s.query_frames);
    if (s.query_percent < options.min_query_percent) continue;
    const StoredVideo& v = videos_.at(video_id);
    const auto c = UsableFrames(v.frames, options.min_quality);
    s.compared_frames = static_cast<int>(c.size());
    s.compared_matched = CountNear(c, q, options.radius);
    s.compared_percent = Percent(s.compared_matched, s.compared_frames);
    if (!IsVideoMatch(s, options)) continue;
    out.push_back({video_id, v.owner, s});
  }
  std::sort(out.begin(), out.end(), [](const VideoMatch& a, const VideoMatch& b) {
    if (a.similarity.query_percent != b.similarity.query_percent) {
      return a.similarity.query_percent > b.similarity.query_percent;
    }
    if (a.similarity.compared_percent != b.similarity.compared_percent) {
      return a.similarity.compared_percent > b.similarity.compared_percent;
    }
    return a.video_id < b.video_id;
  });
  return out;
}

}  // namespace takedown::matching
