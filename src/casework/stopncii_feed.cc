// Casework: the hash exchange in StopNCII's shape (stopncii_feed.h).
#include "casework/stopncii_feed.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>

#include "casework/access.h"

namespace takedown::casework {
namespace {

// StopNCIICSPFeedbackValue, as the client spells each value.
constexpr std::array<std::string_view, 8> kFeedbackValues = {
    "Unknown", "None",       "QualityUnknown", "PendingReview",
    "Blocked", "NotBlocked", "Withdrawn",      "Deleted"};
constexpr size_t kMaxTags = 32;
constexpr size_t kMaxTagLength = 100;
constexpr UnixMillis kSecond = 1000;

// Where a run stands: from when it reads, the newest change when it began, and the last value
// it was given. Written "from.high_water.modified_at.id" in decimal.
struct RunPosition {
  UnixMillis from = 0;
  UnixMillis high_water = 0;
  store::ExchangeCursor after;
};

std::string Encode(const RunPosition& p) {
  return std::to_string(p.from) + "." + std::to_string(p.high_water) + "." +
         std::to_string(p.after.modified_at) + "." + std::to_string(p.after.id);
}

bool Decode(std::string_view token, RunPosition* p) {
  std::array<int64_t*, 4> fields = {&p->from, &p->high_water, &p->after.modified_at, &p->after.id};
  for (size_t i = 0; i < fields.size(); ++i) {
    const size_t dot = i + 1 < fields.size() ? token.find('.') : token.size();
    if (dot == std::string_view::npos || dot == 0) return false;
    const auto [end, error] = std::from_chars(token.data(), token.data() + dot, *fields[i]);
    if (error != std::errc() || end != token.data() + dot || *fields[i] < 0) return false;
    token.remove_prefix(std::min(dot + 1, token.size()));
  }
  return true;
}

bool IsHexOfLength(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

StopnciiRecord RecordOf(const store::SharedValue& v, bool shared) {
  StopnciiRecord r;
  r.last_modified = v.modified_at / kSecond;
  r.signal_type = v.kind == domain::MediaKind::kImage ? "ImagePDQ" : "VideoMD5";
  r.hash_value = v.value;
  r.status = shared ? "Active" : "Withdrawn";
  for (const auto& h : v.hashes) {
    r.cases[std::to_string(h.hash_id)] = h.withdrawn ? "Withdrawn" : "Active";
  }
  for (const auto& f : v.feedback) r.feedback.push_back({"", f.verdict, f.tags, f.partner});
  return r;
}

}  // namespace

StopnciiFeed::StopnciiFeed(store::HashExchangeStore& exchange, const Clock& clock)
    : exchange_(exchange), clock_(clock) {}

Result<StopnciiPage> StopnciiFeed::FetchHashes(const Actor& who, int64_t start_timestamp,
                                               int page_size, const std::string& page_token) {
  if (Status s = RequireScope(who, "hashes:read"); !s.ok()) return s;
  if (page_size < 1 || page_size > kMaxPageSize) {
    return InvalidArgument("pageSize must be 1 to " + std::to_string(kMaxPageSize));
  }
  if (start_timestamp < 0 || start_timestamp > INT64_MAX / kSecond) {
    return InvalidArgument("startTimestamp must be Unix seconds");
  }
  RunPosition run;
  if (page_token.empty()) {
    auto high_water = exchange_.ExchangeHighWater();
    if (!high_water.ok()) return high_water.status();
    run = {start_timestamp * kSecond, *high_water, {}};
  } else if (!Decode(page_token, &run)) {
    return InvalidArgument("nextPageToken is not one this server gave");
  }
  auto values = exchange_.ExchangedValues(run.from, run.after, page_size, who.id);
  if (!values.ok()) return values.status();
  StopnciiPage page;
  page.has_more = values->size() == static_cast<size_t>(page_size);
  page.next_set_timestamp = run.from / kSecond;
  for (const store::SharedValue& v : *values) {
    run.after = {v.modified_at, v.id};
    page.next_set_timestamp = v.modified_at / kSecond;
    const bool shared =
        std::any_of(v.hashes.begin(), v.hashes.end(), [](const auto& h) { return !h.withdrawn; });
    // A withdrawn value goes to a reader that may hold it: one whose earlier runs reached the
    // second it was shared in, or that may have been sent it earlier in this run.
    const bool may_hold = v.shared_at < run.from + kSecond || v.modified_at > run.high_water;
    if (shared || may_hold) page.records.push_back(RecordOf(v, shared));
  }
  page.next_page_token = Encode(run);
  return page;
}

Status StopnciiFeed::SubmitFeedback(const Actor& who,
                                    const std::vector<StopnciiFeedback>& feedback) {
  if (Status s = RequireScope(who, "feedback"); !s.ok()) return s;
  if (feedback.empty() || feedback.size() > kMaxFeedbacks) {
    return InvalidArgument("send 1 to " + std::to_string(kMaxFeedbacks) + " feedbacks at a time");
  }
  std::vector<store::ValueFeedback> stored;
  for (size_t i = 0; i < feedback.size(); ++i) {
    const StopnciiFeedback& f = feedback[i];
    const std::string where = "feedback " + std::to_string(i + 1) + ": ";
    const std::string value = Lower(f.hash_value);
    if (!IsHexOfLength(value, 64) && !IsHexOfLength(value, 32)) {
      return InvalidArgument(where + "hashValue must be a PDQ (64 hexadecimal characters) or an " +
                             "MD5 (32)");
    }
    if (std::find(kFeedbackValues.begin(), kFeedbackValues.end(), f.value) ==
        kFeedbackValues.end()) {
      return InvalidArgument(where + "feedbackValue must be one of StopNCII's values (Blocked, " +
                             "NotBlocked, PendingReview, ...)");
    }
    if (f.tags.size() > kMaxTags) {
      return InvalidArgument(where + "send at most " + std::to_string(kMaxTags) + " tags");
    }
    for (const std::string& tag : f.tags) {
      if (tag.empty() || tag.size() > kMaxTagLength) {
        return InvalidArgument(where + "each tag must be 1 to " + std::to_string(kMaxTagLength) +
                               " characters");
      }
    }
    stored.push_back({value, f.value, f.tags, 0, "", 0});
  }
  return exchange_.PutValueFeedback(who.id, stored, clock_.Now());
}

}  // namespace takedown::casework
