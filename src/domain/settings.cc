#include "domain/settings.h"

#include <charconv>

namespace takedown::domain {
namespace {

constexpr std::string_view kSendAutomatically = "send_automatically";
constexpr std::string_view kFirstContact = "first_contact";
constexpr std::string_view kDraftAutomatically = "draft_automatically";
constexpr std::string_view kConfirmAutomatically = "confirm_automatically";
constexpr std::string_view kConfirmMaxDistance = "confirm_max_distance";
constexpr std::string_view kConfirmMinQuality = "confirm_min_quality";

const std::string* Find(const std::map<std::string, std::string>& stored, std::string_view key) {
  const auto it = stored.find(std::string(key));
  return it == stored.end() ? nullptr : &it->second;
}

void ReadFlag(const std::map<std::string, std::string>& stored, std::string_view key, bool* out) {
  if (const std::string* v = Find(stored, key)) *out = *v == "true";
}

void ReadInt(const std::map<std::string, std::string>& stored, std::string_view key, int lo, int hi,
             int* out) {
  const std::string* v = Find(stored, key);
  if (v == nullptr) return;
  int parsed = 0;
  const auto [end, error] = std::from_chars(v->data(), v->data() + v->size(), parsed);
  if (error == std::errc() && end == v->data() + v->size() && parsed >= lo && parsed <= hi) {
    *out = parsed;
  }
}

std::string Flag(bool on) { return on ? "true" : "false"; }

}  // namespace

std::string_view FirstContactName(FirstContact f) {
  switch (f) {
    case FirstContact::kPerson:
      return "person";
    case FirstContact::kPublished:
      return "published";
    case FirstContact::kAny:
      return "any";
  }
  return "person";
}

std::optional<FirstContact> ParseFirstContact(std::string_view name) {
  for (FirstContact f : {FirstContact::kPerson, FirstContact::kPublished, FirstContact::kAny}) {
    if (FirstContactName(f) == name) return f;
  }
  return std::nullopt;
}

Settings SettingsFrom(const std::map<std::string, std::string>& stored) {
  Settings out;
  ReadFlag(stored, kSendAutomatically, &out.send_automatically);
  if (const std::string* v = Find(stored, kFirstContact)) {
    out.first_contact = ParseFirstContact(*v).value_or(FirstContact::kPerson);
  }
  ReadFlag(stored, kDraftAutomatically, &out.draft_automatically);
  ReadFlag(stored, kConfirmAutomatically, &out.confirm_automatically);
  ReadInt(stored, kConfirmMaxDistance, 0, kMaxConfirmDistance, &out.confirm_max_distance);
  ReadInt(stored, kConfirmMinQuality, 0, 100, &out.confirm_min_quality);
  return out;
}

std::map<std::string, std::string> SettingsEntries(const Settings& settings) {
  return {{std::string(kSendAutomatically), Flag(settings.send_automatically)},
          {std::string(kFirstContact), std::string(FirstContactName(settings.first_contact))},
          {std::string(kDraftAutomatically), Flag(settings.draft_automatically)},
          {std::string(kConfirmAutomatically), Flag(settings.confirm_automatically)},
          {std::string(kConfirmMaxDistance), std::to_string(settings.confirm_max_distance)},
          {std::string(kConfirmMinQuality), std::to_string(settings.confirm_min_quality)}};
}

bool ConfirmsAutomatically(const Settings& settings, int distance, int her_quality) {
  return settings.confirm_automatically && distance >= 0 &&
         distance <= settings.confirm_max_distance && her_quality >= settings.confirm_min_quality;
}

}  // namespace takedown::domain
