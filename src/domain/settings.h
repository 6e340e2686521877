// The organisation's settings: what Takedown may do without a person. Stored as text pairs
// (store::SettingsStore) and changed by admins (PUT /api/v1/settings); read by casework (drafting,
// approving) and discovery (confirming a repost). Every automatic step is audited with "system"
// as its actor and can be undone by a caseworker (docs/notices.md, "Automatic steps").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace takedown::domain {

// Who approves the first notice to an address no notice went to before.
enum class FirstContact {
  kPerson,     // a caseworker, always
  kPublished,  // nobody when the address is published for such notices: a channel in the platform
               // data, or a host's or registrar's abuse contact found by RDAP. A site's abuse@
               // mailbox (guessed, RFC 2142) still waits for a caseworker.
  kAny,        // nobody
};

std::string_view FirstContactName(FirstContact f);  // "person", "published", "any"
std::optional<FirstContact> ParseFirstContact(std::string_view name);

// A repost is confirmed without a person only when its PDQ match is this close to her hash and
// her hash is at least this good. Measured (docs/notices.md): in make bench-robust's 4.0 x 10^8
// unrelated image pairs no whole-image PDQ pair came within the matching radius of 31 bits; 24
// keeps a margin of 7 bits under it, and quality 70 leaves out the flat images whose hashes are
// the least distinct.
inline constexpr int kDefaultConfirmMaxDistance = 24;
inline constexpr int kDefaultConfirmMinQuality = 70;
inline constexpr int kMaxConfirmDistance = 31;  // never beyond the matching radius

struct Settings {
  // Approve a drafted email or webhook notice that lacks nothing, unless it is a first contact
  // that `first_contact` leaves to a person. Web forms always wait: a person fills them in.
  bool send_automatically = false;
  FirstContact first_contact = FirstContact::kPerson;
  // Draft the notices of a copy as soon as it is confirmed (a check saw her image there, she
  // reported it, or a repost was confirmed), without a caseworker pressing "Draft notices".
  bool draft_automatically = false;
  // Confirm a repost found by watching when its match is strong (the two thresholds below).
  bool confirm_automatically = false;
  int confirm_max_distance = kDefaultConfirmMaxDistance;  // PDQ bits, 0..kMaxConfirmDistance
  int confirm_min_quality = kDefaultConfirmMinQuality;    // of her hash, 0..100

  bool operator==(const Settings&) const = default;
};

// Read from the stored pairs; a missing or unreadable value keeps its default.
Settings SettingsFrom(const std::map<std::string, std::string>& stored);
// The pairs to store, one per setting.
std::map<std::string, std::string> SettingsEntries(const Settings& settings);

// Whether a repost at `distance` bits from her hash of quality `her_quality` is confirmed
// without a person.
bool ConfirmsAutomatically(const Settings& settings, int distance, int her_quality);

}  // namespace takedown::domain
