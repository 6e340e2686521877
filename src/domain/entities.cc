#include "domain/entities.h"

#include <algorithm>
#include <array>
#include <utility>

namespace takedown::domain {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& names,
                       std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, text] : names) {
    if (v == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<CaseStatus, std::string_view>, 2> kCaseStatuses = {
    {{CaseStatus::kOpen, "open"}, {CaseStatus::kClosed, "closed"}}};

constexpr std::array<std::pair<SightingState, std::string_view>, 7> kSightingStates = {{
    {SightingState::kFound, "found"},
    {SightingState::kNotified, "notified"},
    {SightingState::kOverdue, "overdue"},
    {SightingState::kEscalated, "escalated"},
    {SightingState::kRemoved, "removed"},
    {SightingState::kReappeared, "reappeared"},
    {SightingState::kDismissed, "dismissed"},
}};

constexpr std::array<std::pair<AgeGroup, std::string_view>, 3> kAgeGroups = {{
    {AgeGroup::kAdult, "adult"},
    {AgeGroup::kMinorWhenMade, "minor_when_made"},
    {AgeGroup::kMinorNow, "minor_now"},
}};

constexpr std::array<std::pair<SightingOrigin, std::string_view>, 3> kSightingOrigins = {
    {{SightingOrigin::kSurvivor, "survivor"},
     {SightingOrigin::kCaseworker, "caseworker"},
     {SightingOrigin::kWatch, "watch"}}};

constexpr std::array<std::pair<SourceKind, std::string_view>, 4> kSourceKinds = {
    {{SourceKind::kPage, "page"},
     {SourceKind::kFeed, "feed"},
     {SourceKind::kSitemap, "sitemap"},
     {SourceKind::kChannel, "channel"}}};

constexpr std::array<std::pair<NoticeState, std::string_view>, 7> kNoticeStates = {{
    {NoticeState::kDraft, "draft"},
    {NoticeState::kApproved, "approved"},
    {NoticeState::kSending, "sending"},
    {NoticeState::kSent, "sent"},
    {NoticeState::kSubmitted, "submitted"},
    {NoticeState::kFailed, "failed"},
    {NoticeState::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<Role, std::string_view>, 3> kRoles = {
    {{Role::kAdmin, "admin"}, {Role::kCaseworker, "caseworker"}, {Role::kReviewer, "reviewer"}}};

}  // namespace

std::string_view CaseStatusName(CaseStatus s) { return Name(kCaseStatuses, s); }
std::optional<CaseStatus> ParseCaseStatus(std::string_view name) {
  return Parse(kCaseStatuses, name);
}

std::string_view MediaKindName(MediaKind k) { return k == MediaKind::kImage ? "image" : "video"; }
std::string_view HashOriginName(HashOrigin o) {
  return o == HashOrigin::kSurvivor ? "survivor" : "discovered";
}

std::string_view ExchangedValue(const MediaHash& h) {
  return h.kind == MediaKind::kImage ? std::string_view(h.pdq) : std::string_view(h.md5);
}

std::string_view SightingStateName(SightingState s) { return Name(kSightingStates, s); }
std::optional<SightingState> ParseSightingState(std::string_view name) {
  return Parse(kSightingStates, name);
}

std::string_view AgeGroupName(AgeGroup a) { return Name(kAgeGroups, a); }
std::optional<AgeGroup> ParseAgeGroup(std::string_view name) { return Parse(kAgeGroups, name); }
bool IsMinor(AgeGroup a) { return a != AgeGroup::kAdult; }

std::string_view SightingOriginName(SightingOrigin o) { return Name(kSightingOrigins, o); }
std::optional<SightingOrigin> ParseSightingOrigin(std::string_view name) {
  return Parse(kSightingOrigins, name);
}

std::string_view NoticeStateName(NoticeState s) { return Name(kNoticeStates, s); }
std::optional<NoticeState> ParseNoticeState(std::string_view name) {
  return Parse(kNoticeStates, name);
}

bool CanTransition(NoticeState from, NoticeState to) {
  using N = NoticeState;
  static constexpr std::array<std::pair<N, N>, 10> kAllowed = {{
      {N::kDraft, N::kApproved},
      {N::kDraft, N::kSubmitted},
      {N::kDraft, N::kCancelled},
      {N::kApproved, N::kSending},
      {N::kApproved, N::kSubmitted},
      {N::kApproved, N::kCancelled},
      {N::kSending, N::kSent},
      {N::kSending, N::kFailed},
      {N::kFailed, N::kApproved},
      {N::kFailed, N::kCancelled},
  }};
  return std::find(kAllowed.begin(), kAllowed.end(), std::pair{from, to}) != kAllowed.end();
}

bool WentOut(NoticeState s) { return s == NoticeState::kSent || s == NoticeState::kSubmitted; }

std::vector<NoticeState> NoticeStatesWhere(bool (*rule)(NoticeState)) {
  std::vector<NoticeState> out;
  for (const auto& [state, name] : kNoticeStates) {
    if (rule(state)) out.push_back(state);
  }
  return out;
}

bool IsOpen(SightingState s) {
  return s != SightingState::kRemoved && s != SightingState::kDismissed;
}

std::vector<SightingState> SightingStatesWhere(bool (*rule)(SightingState)) {
  std::vector<SightingState> out;
  for (const auto& [state, name] : kSightingStates) {
    if (rule(state)) out.push_back(state);
  }
  return out;
}

std::string_view SourceKindName(SourceKind k) { return Name(kSourceKinds, k); }
std::optional<SourceKind> ParseSourceKind(std::string_view name) {
  return Parse(kSourceKinds, name);
}

bool CanTransition(SightingState from, SightingState to) {
  using S = SightingState;
  static constexpr std::array<std::pair<S, S>, 12> kAllowed = {{
      {S::kFound, S::kNotified},
      {S::kFound, S::kDismissed},
      {S::kFound, S::kRemoved},
      {S::kNotified, S::kRemoved},
      {S::kNotified, S::kOverdue},
      {S::kOverdue, S::kEscalated},
      {S::kOverdue, S::kRemoved},
      {S::kEscalated, S::kRemoved},
      {S::kEscalated, S::kOverdue},  // the next rung's deadline passed too
      {S::kRemoved, S::kReappeared},
      {S::kReappeared, S::kNotified},
      {S::kReappeared, S::kRemoved},
  }};
  return std::find(kAllowed.begin(), kAllowed.end(), std::pair{from, to}) != kAllowed.end();
}

std::string_view RecipientKindName(RecipientKind k) {
  switch (k) {
    case RecipientKind::kPlatform:
      return "platform";
    case RecipientKind::kHost:
      return "host";
    case RecipientKind::kRegistrar:
      return "registrar";
    case RecipientKind::kCdn:
      return "cdn";
    case RecipientKind::kRegulator:
      return "regulator";
  }
  return "unknown";
}

std::optional<RecipientKind> ParseRecipientKind(std::string_view name) {
  for (RecipientKind k : {RecipientKind::kPlatform, RecipientKind::kHost, RecipientKind::kRegistrar,
                          RecipientKind::kCdn, RecipientKind::kRegulator}) {
    if (name == RecipientKindName(k)) return k;
  }
  return std::nullopt;
}

std::string_view ChannelKindName(ChannelKind k) {
  switch (k) {
    case ChannelKind::kEmail:
      return "email";
    case ChannelKind::kWebForm:
      return "web_form";
    case ChannelKind::kApi:
      return "api";
  }
  return "unknown";
}

std::optional<ChannelKind> ParseChannelKind(std::string_view name) {
  for (ChannelKind k : kChannelKinds) {
    if (name == ChannelKindName(k)) return k;
  }
  if (name == "webhook") return ChannelKind::kApi;
  return std::nullopt;
}

bool SentByUs(ChannelKind k) { return k == ChannelKind::kEmail || k == ChannelKind::kApi; }

std::string NoticeReference(int64_t case_id, const std::vector<int64_t>& sighting_ids, int rung) {
  if (sighting_ids.empty()) return "";
  return "N" + std::to_string(case_id) + "-" + std::to_string(sighting_ids.front()) +
         (rung > 0 ? "-" + std::to_string(rung) : "");
}

std::string NoticeReference(const Notice& notice) {
  return NoticeReference(notice.case_id, notice.sighting_ids, notice.rung);
}

std::string_view RoleName(Role r) { return Name(kRoles, r); }
std::optional<Role> ParseRole(std::string_view name) { return Parse(kRoles, name); }

std::string_view JobStateName(JobState s) {
  switch (s) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
  }
  return "unknown";
}

UnixMillis RetryDelay(int attempts) {
  constexpr UnixMillis kFirst = 30 * kMillisPerSecond, kCap = 6 * kMillisPerHour;
  UnixMillis delay = kFirst;
  for (int i = 1; i < attempts && delay < kCap; ++i) delay *= 2;
  return std::min(delay, kCap);
}

}  // namespace takedown::domain
