#include "platforms/platforms.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "datafile/toml_data.h"

namespace takedown::platforms {
namespace {

using datafile::CheckKeys;
using datafile::Context;
using datafile::GetString;
using datafile::GetStrings;
using datafile::ValidDate;
using datafile::ValidLanguageTag;

constexpr int64_t kSchemaVersion = 1;
// A year: longer deadlines are surely a typo, and the bound keeps deadline arithmetic far from
// overflow in the modules that add it to a timestamp.
constexpr int64_t kMaxDeadlineHours = 24 * 365;

constexpr std::array<std::string_view, 10> kKinds = {"social",  "messaging",   "forum", "video",
                                                     "adult",   "search",      "cdn",   "hosting",
                                                     "storage", "content_farm"};
constexpr std::array<std::string_view, 4> kRungs = {"hosting", "registrar", "cdn", "regulator"};
constexpr std::array<std::string_view, 3> kTopKeys = {"schema_version", "last_reviewed",
                                                      "platform"};
constexpr std::array<std::string_view, 13> kPlatformKeys = {
    "id",        "name",           "kind",           "operator",     "domains",
    "languages", "deadline_hours", "deadline_basis", "ncii_partner", "escalation",
    "notes",     "channel",        "child_safety"};
constexpr std::array<std::string_view, 4> kChannelKeys = {"kind", "url", "address", "label"};

template <size_t N>
bool OneOf(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool ValidId(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(),
                                    [](char c) { return IsLowerAlnum(c) || c == '_' || c == '-'; });
}

// Returns why the domain is unusable, or "" when it is fine. Domains are compared byte for byte
// with normalised hosts, so they must already be in that form.
std::string DomainProblem(std::string_view d) {
  if (d.empty()) return "an empty domain";
  if (std::any_of(d.begin(), d.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return "domain \"" + std::string(d) + "\" must be lowercase";
  }
  if (d.substr(0, 4) == "www.") {
    return "domain \"" + std::string(d) + "\" must be listed without \"www.\"";
  }
  const bool chars_ok = std::all_of(d.begin(), d.end(),
                                    [](char c) { return IsLowerAlnum(c) || c == '-' || c == '.'; });
  if (!chars_ok || d.size() > 253 || d.front() == '.' || d.back() == '.' ||
      d.find("..") != std::string_view::npos || d.find('.') == std::string_view::npos) {
    return "\"" + std::string(d) +
           "\" is not a domain name (lowercase letters, digits, '-' and '.', punycode for "
           "international names, no scheme or path)";
  }
  return "";
}

bool ValidEmail(std::string_view a) {
  const size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && a.find('@', at + 1) == std::string_view::npos &&
         a.find('.', at) != std::string_view::npos && a.back() != '.' &&
         std::none_of(a.begin(), a.end(), [](char c) {
           return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',';
         });
}

// One channel of the table array `array` ("channel" or "child_safety").
Status ReadChannel(const toml::node& node, std::string_view array, const Context& c, Channel* ch) {
  const auto* t = node.as_table();
  if (t == nullptr) {
    return c.Fail(node, "each of its " + std::string(array) + " entries must be a [[platform." +
                            std::string(array) + "]] table");
  }
  if (Status s = CheckKeys(*t, kChannelKeys, c); !s.ok()) return s;
  std::string kind;
  for (Status s : {GetString(*t, "kind", true, c, &kind), GetString(*t, "url", false, c, &ch->url),
                   GetString(*t, "address", false, c, &ch->address),
                   GetString(*t, "label", true, c, &ch->label)}) {
    if (!s.ok()) return s;
  }
  // The kinds are domain's; the data file names one exactly (domain also reads the older
  // "webhook" for api).
  const std::optional<domain::ChannelKind> parsed = domain::ParseChannelKind(kind);
  if (!parsed || domain::ChannelKindName(*parsed) != kind) {
    std::string kinds;
    for (domain::ChannelKind k : domain::kChannelKinds) {
      kinds += (kinds.empty() ? "" : ", ") + std::string(domain::ChannelKindName(k));
    }
    return c.Fail(*t, "channel kind \"" + kind + "\" is not one of " + kinds);
  }
  ch->kind = *parsed;
  if (ch->kind == domain::ChannelKind::kEmail) {
    if (!ValidEmail(ch->address)) {
      return c.Fail(*t,
                    "email channel \"" + ch->label + "\" needs an address like name@example.org");
    }
  } else if (ch->url.rfind("https://", 0) != 0 || ch->url.size() <= 8 ||
             std::any_of(ch->url.begin(), ch->url.end(),
                         [](char u) { return static_cast<unsigned char>(u) <= ' '; })) {
    return c.Fail(*t, kind + " channel \"" + ch->label + "\" needs an https:// url");
  }
  return Status::Ok();
}

Status ReadPlatform(const toml::table& t, const Context& c, Platform* p) {
  if (Status s = CheckKeys(t, kPlatformKeys, c); !s.ok()) return s;
  for (Status s : {GetString(t, "name", true, c, &p->name), GetString(t, "kind", true, c, &p->kind),
                   GetString(t, "operator", true, c, &p->operator_name),
                   GetStrings(t, "domains", true, c, &p->domains),
                   GetStrings(t, "languages", true, c, &p->languages),
                   GetString(t, "deadline_basis", true, c, &p->deadline_basis),
                   GetStrings(t, "escalation", true, c, &p->escalation),
                   GetString(t, "notes", false, c, &p->notes)}) {
    if (!s.ok()) return s;
  }
  if (!OneOf(p->kind, kKinds)) {
    return c.Fail(t, "kind \"" + p->kind +
                         "\" is not one of social, messaging, forum, video, adult, search, cdn, "
                         "hosting, storage, content_farm");
  }
  for (const std::string& d : p->domains) {
    if (std::string problem = DomainProblem(d); !problem.empty()) return c.Fail(t, problem);
  }
  if (p->languages.empty()) return c.Fail(t, "\"languages\" needs at least one language tag");
  for (const std::string& tag : p->languages) {
    if (!ValidLanguageTag(tag)) {
      return c.Fail(t, "\"" + tag + "\" is not a language tag like \"en\" or \"zh-Hant\"");
    }
  }
  for (size_t i = 0; i < p->escalation.size(); ++i) {
    const std::string& rung = p->escalation[i];
    if (!OneOf(rung, kRungs)) {
      return c.Fail(
          t, "escalation rung \"" + rung + "\" is not one of hosting, registrar, cdn, regulator");
    }
    if (std::find(p->escalation.begin(), p->escalation.begin() + static_cast<ptrdiff_t>(i), rung) !=
        p->escalation.begin() + static_cast<ptrdiff_t>(i)) {
      return c.Fail(t, "escalation rung \"" + rung + "\" is listed twice");
    }
  }

  const toml::node* hours = t.get("deadline_hours");
  if (hours == nullptr) return c.Fail(t, "\"deadline_hours\" is missing");
  const auto* h = hours->as_integer();
  if (h == nullptr || h->get() <= 0 || h->get() > kMaxDeadlineHours) {
    return c.Fail(*hours, "\"deadline_hours\" must be a whole number of hours from 1 to " +
                              std::to_string(kMaxDeadlineHours));
  }
  p->deadline_hours = static_cast<int>(h->get());

  const toml::node* ncii = t.get("ncii_partner");
  if (ncii == nullptr) return c.Fail(t, "\"ncii_partner\" is missing");
  if (!ncii->is_boolean()) return c.Fail(*ncii, "\"ncii_partner\" must be true or false");
  p->ncii_partner = ncii->as_boolean()->get();

  const toml::node* channels = t.get("channel");
  const auto* list = channels != nullptr ? channels->as_array() : nullptr;
  if (list == nullptr || list->empty()) {
    return c.Fail(t, "it needs at least one [[platform.channel]]");
  }
  for (const toml::node& node : *list) {
    Channel ch;
    if (Status s = ReadChannel(node, "channel", c, &ch); !s.ok()) return s;
    p->channels.push_back(std::move(ch));
  }
  if (const toml::node* child = t.get("child_safety"); child != nullptr) {
    const auto* routes = child->as_array();
    if (routes == nullptr) return c.Fail(*child, "child_safety must be [[platform.child_safety]]");
    for (const toml::node& node : *routes) {
      Channel ch;
      if (Status s = ReadChannel(node, "child_safety", c, &ch); !s.ok()) return s;
      p->child_safety.push_back(std::move(ch));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<PlatformDirectory> PlatformDirectory::Load(const std::filesystem::path& path) {
  const std::string file = path.string();
  Result<toml::table> parsed = datafile::ParseFile(path, "the platform directory");
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;

  Context top{file, "top level"};
  if (Status s = CheckKeys(root, kTopKeys, top); !s.ok()) return s;
  const toml::node* version = root.get("schema_version");
  if (version == nullptr) return top.Fail(root, "\"schema_version\" is missing");
  if (version->as_integer() == nullptr || version->as_integer()->get() != kSchemaVersion) {
    return top.Fail(*version, "schema_version must be 1, the only version this program reads");
  }
  PlatformDirectory dir;
  if (Status s = GetString(root, "last_reviewed", true, top, &dir.last_reviewed_); !s.ok()) {
    return s;
  }
  if (!ValidDate(dir.last_reviewed_)) {
    return top.Fail(*root.get("last_reviewed"), "last_reviewed must be a date like 2026-01-31");
  }
  const toml::node* entries = root.get("platform");
  const auto* list = entries != nullptr ? entries->as_array() : nullptr;
  if (list == nullptr || list->empty()) return top.Fail(root, "there is no [[platform]] entry");

  for (size_t i = 0; i < list->size(); ++i) {
    const toml::node& node = *list->get(i);
    Context c{file, "platform #" + std::to_string(i + 1)};
    const auto* t = node.as_table();
    if (t == nullptr) return c.Fail(node, "each platform must be a [[platform]] table");
    Platform p;
    if (Status s = GetString(*t, "id", true, c, &p.id); !s.ok()) return s;
    if (!ValidId(p.id)) {
      return c.Fail(*t, "id \"" + p.id + "\" may only hold lowercase letters, digits, '_' and '-'");
    }
    c.where = "platform \"" + p.id + "\"";
    if (dir.by_id_.count(p.id) != 0) return c.Fail(*t, "the id is used by an earlier platform too");
    if (Status s = ReadPlatform(*t, c, &p); !s.ok()) return s;
    for (const std::string& d : p.domains) {
      auto [it, added] = dir.by_domain_.emplace(d, dir.platforms_.size());
      if (!added) {
        const std::string& owner =
            it->second < dir.platforms_.size() ? dir.platforms_[it->second].id : p.id;
        return c.Fail(*t, "domain \"" + d + "\" is already listed by platform \"" + owner + "\"");
      }
    }
    dir.by_id_.emplace(p.id, dir.platforms_.size());
    dir.platforms_.push_back(std::move(p));
  }
  return dir;
}

const Platform* PlatformDirectory::Classify(std::string_view host) const {
  // Walking from the full host towards its parents finds the longest listed domain first.
  while (!host.empty()) {
    if (auto it = by_domain_.find(host); it != by_domain_.end()) return &platforms_[it->second];
    const size_t dot = host.find('.');
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return nullptr;
}

const Platform* PlatformDirectory::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &platforms_[it->second];
}

}  // namespace takedown::platforms
