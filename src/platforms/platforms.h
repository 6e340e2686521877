// The platform directory: every service Takedown writes to, loaded from data/platforms.toml
// (schema in docs/data-platforms.md), and the classification of a host to one of them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::platforms {

// One way to report to a platform. A plain value.
struct Channel {
  domain::ChannelKind kind = domain::ChannelKind::kWebForm;
  std::string url;      // https URL for web_form and api, "" otherwise
  std::string address;  // mailbox for email, "" otherwise
  std::string label;    // what the channel is for, shown to the caseworker

  // Where a notice by this channel goes: the mailbox for email, the URL otherwise (the rule
  // ReadChannel checks when the data file is read).
  const std::string& destination() const {
    return kind == domain::ChannelKind::kEmail ? address : url;
  }
};

// One [[platform]] entry. A plain value; field meanings are in docs/data-platforms.md.
struct Platform {
  std::string id;    // [a-z0-9_-]+, stable database key
  std::string name;  // display name
  std::string kind;  // social, messaging, forum, video, adult, search, cdn, hosting, ...
  std::string operator_name;
  std::vector<std::string> domains;    // lowercase, unique across the directory
  std::vector<std::string> languages;  // BCP 47 tags, the first is the notice default
  int deadline_hours = 0;              // > 0
  std::string deadline_basis;
  bool ncii_partner = false;
  std::vector<std::string> escalation;  // rungs from hosting, registrar, cdn, regulator
  std::string notes;                    // may be empty
  std::vector<Channel> channels;        // at least one, in order of preference
  // Where the platform takes reports of child sexual abuse material, in order of preference: a
  // notice about a person who was under 18 goes there (issue 21). Empty when none is published.
  std::vector<Channel> child_safety;
};

// The loaded, validated directory. Immutable after Load(): concurrent const use from any number
// of threads is safe. Pointers it returns stay valid for its lifetime, moves included.
class PlatformDirectory {
 public:
  // Reads and validates the file strictly: a directory is all good or not loaded at all, so a
  // typo in the data cannot silently send a notice to the wrong place. Errors name the file,
  // the line and platform where known, and the problem: kNotFound/kIoError when it cannot be
  // read, kCorrupt when it is not valid TOML, kInvalidArgument when it breaks the schema.
  static Result<PlatformDirectory> Load(const std::filesystem::path& path);

  // The platform whose domain is the host or a parent domain of it, the longest such domain
  // winning ("m.facebook.com" -> facebook); nullptr when none. Expects a normalised host
  // (NormalizedUrl::host): lowercase, punycode, no trailing dot.
  const Platform* Classify(std::string_view host) const;

  // The platform with this id, or nullptr.
  const Platform* Find(std::string_view id) const;

  const std::vector<Platform>& all() const { return platforms_; }
  const std::string& last_reviewed() const { return last_reviewed_; }  // "YYYY-MM-DD"

 private:
  // Lets the maps be searched with a string_view without building a std::string per lookup.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Positions in platforms_ rather than pointers, so copies of a directory stay correct.
  using Index = std::unordered_map<std::string, size_t, Hash, std::equal_to<>>;

  std::vector<Platform> platforms_;
  Index by_id_;      // id -> position in platforms_
  Index by_domain_;  // domain -> position in platforms_
  std::string last_reviewed_;
};

}  // namespace takedown::platforms
