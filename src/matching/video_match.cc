#include "matching/video_match.h"

#include <algorithm>
#include <unordered_set>

namespace takedown::matching {
namespace {

constexpr uint64_t kVideoBit = uint64_t{1} << 63;
constexpr int kIndexBits = 20;

struct HashKey {
  size_t operator()(const hashing::Hash256& h) const {
    return static_cast<size_t>(h.lanes[0] ^ (h.lanes[1] * 0x9E3779B97F4A7C15ull) ^ h.lanes[2] ^
                               (h.lanes[3] >> 7));
  }
};

double Percent(int part, int whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

// How many of `frames` are within `radius` of some hash in `others` (brute force: a candidate
// video has at most a few thousand frames).
int CountNear(const std::vector<hashing::Hash256>& frames,
              const std::vector<hashing::Hash256>& others, int radius) {
  int n = 0;
  for (const auto& f : frames) {
    n += std::any_of(
             others.begin(), others.end(),
             [&](const hashing::Hash256& o) { return hashing::HammingDistance(f, o) <= radius; })
             ? 1
             : 0;
  }
  return n;
}

}  // namespace

std::vector<hashing::Hash256> UsableFrames(const std::vector<hashing::PdqHash>& frames,
                                           int min_quality) {
  std::vector<hashing::Hash256> out;
  std::unordered_set<hashing::Hash256, HashKey> seen;
  for (const auto& f : frames) {
    if (f.quality < min_quality || !seen.insert(f.hash).second) continue;
    out.push_back(f.hash);
  }
  return out;
}

VideoSimilarity CompareVideos(const std::vector<hashing::PdqHash>& query,
                              const std::vector<hashing::PdqHash>& compared,
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

uint64_t VideoFrameEntryId(uint64_t video_id, uint32_t index) {
  return kVideoBit | (video_id << kIndexBits) | index;
}

std::optional<VideoFrameRef> AsVideoFrame(uint64_t entry_id) {
  if ((entry_id & kVideoBit) == 0) return std::nullopt;
  return VideoFrameRef{(entry_id & ~kVideoBit) >> kIndexBits,
                       static_cast<uint32_t>(entry_id & (kMaxVideoFrames - 1))};
}

Status PutVideo(HashBank& bank, uint64_t video_id, uint64_t owner,
                const std::vector<hashing::PdqHash>& frames) {
  if (video_id > kMaxVideoId) {
    return InvalidArgument("a video id must be below 2^43, not " + std::to_string(video_id));
  }
  // Keep each distinct hash once, with the best quality it was seen at.
  std::vector<hashing::PdqHash> distinct;
  std::unordered_map<hashing::Hash256, size_t, HashKey> at;
  for (const auto& f : frames) {
    auto [it, fresh] = at.try_emplace(f.hash, distinct.size());
    if (fresh) {
      distinct.push_back(f);
    } else {
      distinct[it->second].quality = std::max(distinct[it->second].quality, f.quality);
    }
  }
  if (distinct.size() >= kMaxVideoFrames) {
    return InvalidArgument("a video can have at most " + std::to_string(kMaxVideoFrames - 1) +
                           " distinct frame hashes");
  }
  RemoveVideo(bank, video_id);
  for (uint32_t i = 0; i < distinct.size(); ++i) {
    bank.Put({VideoFrameEntryId(video_id, i), distinct[i].hash, distinct[i].quality, owner});
  }
  return Status::Ok();
}

size_t RemoveVideo(HashBank& bank, uint64_t video_id) {
  // PutVideo numbers a video's frames 0..n-1 without gaps.
  size_t n = 0;
  while (n < kMaxVideoFrames &&
         bank.Remove(VideoFrameEntryId(video_id, static_cast<uint32_t>(n)))) {
    ++n;
  }
  return n;
}

VideoMatcher::VideoMatcher(const HashBank& bank) : bank_(bank) {
  std::vector<BankEntry> page;
  for (uint64_t cursor = 0;;) {
    page.clear();
    const uint64_t next = bank.Scan(cursor, 65536, &page);
    if (page.empty()) break;
    for (const BankEntry& e : page) {
      const auto frame = AsVideoFrame(e.id);
      if (!frame) continue;
      StoredVideo& v = videos_[frame->video_id];
      v.owner = e.owner;
      if (v.frames.size() <= frame->index) v.frames.resize(frame->index + 1);
      v.frames[frame->index] = {e.hash, e.quality};
    }
    cursor = next;
  }
}

std::vector<VideoMatch> VideoMatcher::Search(const std::vector<hashing::PdqHash>& query,
                                             const VideoMatchOptions& options) const {
  const auto q = UsableFrames(query, options.min_quality);
  // For each candidate video, which query frames hit one of its frames.
  std::unordered_map<uint64_t, std::vector<bool>> hits;
  const BankSearchOptions search{options.radius, options.min_quality};
  for (size_t i = 0; i < q.size(); ++i) {
    for (const BankMatch& m : bank_.Search(q[i], search)) {
      const auto frame = AsVideoFrame(m.id);
      if (!frame || !videos_.contains(frame->video_id)) continue;
      auto& row = hits[frame->video_id];
      row.resize(q.size());
      row[i] = true;
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
