// Reading RDAP answers (RFC 9083): entities and their roles, jCards, abuse contacts, networks'
// ranges, bootstrap base URLs, registrable domains, and the fallbacks when nothing is published.
// Pure functions of the JSON they are given (the public suffix list is loaded once and shared).
#include <libpsl.h>

#include <algorithm>
#include <array>
#include <limits>
#include <mutex>

#include "platforms/url.h"
#include "rdap/rdap_internal.h"

namespace takedown::notify::rdap_internal {
namespace {

using fetch::Cidr;
using fetch::IpAddress;

// Entities are followed at most this deep and this many.
constexpr int kMaxEntityDepth = 8;
constexpr size_t kMaxEntities = 512;
constexpr std::string_view kCloudflareForm = "https://abuse.cloudflare.com/";

}  // namespace

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string StringField(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool HasRole(const json& entity, std::string_view role) {
  auto it = entity.find("roles");
  if (it == entity.end() || !it->is_array()) return false;
  for (const json& r : *it) {
    if (r.is_string() && Lower(r.get<std::string>()) == role) return true;
  }
  return false;
}

// The entities under `object` (its "entities", theirs, ...), breadth first: shallow ones first.
std::vector<const json*> Entities(const json& object) {
  std::vector<std::pair<const json*, int>> queue;
  auto push_children = [&queue](const json& parent, int depth) {
    auto it = parent.find("entities");
    if (it == parent.end() || !it->is_array()) return;
    for (const json& e : *it) {
      if (e.is_object() && queue.size() < kMaxEntities) queue.emplace_back(&e, depth);
    }
  };
  if (object.is_object()) push_children(object, 1);
  std::vector<const json*> out;
  for (size_t i = 0; i < queue.size(); ++i) {
    auto [entity, depth] = queue[i];
    out.push_back(entity);
    if (depth < kMaxEntityDepth) push_children(*entity, depth + 1);
  }
  return out;
}

// An email address as published (a "mailto:" dropped), or "" when it does not look like one.
std::string CleanEmail(std::string_view text) {
  text = Trim(text);
  if (Lower(text.substr(0, 7)) == "mailto:") text.remove_prefix(7);
  size_t at = text.find('@');
  if (text.size() > 254 || at == 0 || at == std::string_view::npos ||
      text.find('@', at + 1) != std::string_view::npos ||
      text.find('.', at) == std::string_view::npos || text.back() == '.') {
    return {};
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',' || c == ';') {
      return {};
    }
  }
  return std::string(text.substr(0, at + 1)) + Lower(text.substr(at + 1));
}

Vcard ReadVcard(const json& entity) {
  Vcard card;
  auto it = entity.find("vcardArray");
  if (it == entity.end() || !it->is_array() || it->size() < 2 || !(*it)[1].is_array()) return card;
  for (const json& property : (*it)[1]) {
    if (!property.is_array() || property.size() < 4 || !property[0].is_string()) continue;
    const std::string name = Lower(property[0].get<std::string>());
    const json& value = property[3];
    if (!value.is_string()) continue;  // structured values (adr, n) are not needed
    std::string text = value.get<std::string>();
    if (name == "fn" && card.fn.empty()) {
      card.fn = std::string(Trim(text));
    } else if (name == "email" && card.email.empty()) {
      card.email = CleanEmail(text);
    } else if (name == "tel" && card.phone.empty()) {
      std::string_view tel = Trim(text);
      if (Lower(tel.substr(0, 4)) == "tel:") tel.remove_prefix(4);
      card.phone = std::string(tel);
    } else if (name == "url" && card.url.empty()) {
      card.url = std::string(Trim(text));
    }
  }
  return card;
}

AbuseContact ContactOf(const json& entity, const std::string& answer_url) {
  Vcard card = ReadVcard(entity);
  AbuseContact c;
  c.name = card.fn;
  c.email = card.email;
  c.phone = card.phone;
  c.handle = StringField(entity, "handle");
  c.source = "rdap:" + answer_url;
  return c;
}

// The first entity with the abuse role that has an email, else the first with a phone, else
// nullptr; among `entities` in their (breadth-first) order.
const json* PickAbuse(const std::vector<const json*>& entities) {
  const json* with_phone = nullptr;
  for (const json* e : entities) {
    if (!HasRole(*e, "abuse")) continue;
    Vcard card = ReadVcard(*e);
    if (!card.email.empty()) return e;
    if (!card.phone.empty() && with_phone == nullptr) with_phone = e;
  }
  return with_phone;
}

// The public suffix list, loaded once and then only read (libpsl lookups are thread-safe): the
// newer of libpsl's built-in list and the system's, as platforms/ uses.
const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* const list = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return list;
}

// The registrable domain by the ICANN section of the public suffix list: "hostco.example" for
// "noc.eu.hostco.example", "github.io" for "someone.github.io" (the private section's suffixes
// are where a provider's customers live, and the provider is who is written to, and who
// registered the name). "" for a suffix itself or something that is not a lowercase host name.
std::string RegistrableDomainOf(std::string_view host) {
  std::string name = Lower(host);
  while (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.front() == '.' || name.find("..") != std::string::npos ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos) {
    return {};
  }
  if (Result<std::optional<IpAddress>> ip = fetch::ParseHostAddress(name); !ip.ok() || *ip) {
    return {};
  }
  size_t previous = std::string::npos;  // where the label before the suffix tried starts
  for (size_t start = 0;;) {
    const std::string suffix = name.substr(start);
    if (psl_is_public_suffix2(PublicSuffixList(), suffix.c_str(), PSL_TYPE_ICANN) != 0) {
      return previous == std::string::npos ? std::string() : name.substr(previous);
    }
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) return {};
    previous = start;
    start = dot + 1;
  }
}

std::string EmailDomain(const std::string& email) {
  size_t at = email.find('@');
  return at == std::string::npos ? std::string() : RegistrableDomainOf(email.substr(at + 1));
}

std::string UrlDomain(const std::string& address) {
  Result<platforms::NormalizedUrl> url = platforms::NormalizeUrl(address);
  return url.ok() ? RegistrableDomainOf(url->host) : std::string();
}

// A fallback contact: abuse@domain, as RFC 2142 asks every domain to accept.
AbuseContact FallbackContact(const std::string& domain) {
  AbuseContact c;
  c.email = "abuse@" + domain;
  c.source = "fallback:abuse@" + domain;
  return c;
}

AbuseContact CdnContact(const std::string& cdn) {
  AbuseContact c;
  if (cdn == "cloudflare") {
    c.name = "Cloudflare Trust & Safety";
    c.web_form = std::string(kCloudflareForm);
  }
  c.source = "cdn:" + cdn;
  return c;
}

// The IP network's range as CIDR: from the cidr0 extension when present (ARIN, others), else from
// startAddress and endAddress when they span exactly one prefix, else "start - end".
std::string NetworkCidr(const json& network) {
  std::string out;
  if (auto it = network.find("cidr0_cidrs"); it != network.end() && it->is_array()) {
    for (const json& c : *it) {
      std::string prefix = StringField(c, "v4prefix");
      if (prefix.empty()) prefix = StringField(c, "v6prefix");
      auto length = c.is_object() ? c.find("length") : c.end();
      if (prefix.empty() || length == c.end() || !length->is_number_integer()) continue;
      if (!out.empty()) out += ", ";
      out += prefix + "/" + std::to_string(length->get<int64_t>());
    }
    if (!out.empty()) return out;
  }
  std::string start_text = StringField(network, "startAddress");
  std::string end_text = StringField(network, "endAddress");
  std::optional<IpAddress> start = IpAddress::Parse(start_text);
  std::optional<IpAddress> end = IpAddress::Parse(end_text);
  if (!start || !end) return start_text.empty() ? std::string() : start_text + " - " + end_text;
  if (start->is_v4() == end->is_v4()) {
    std::array<uint8_t, 16> a{}, b{};
    int bits = start->is_v4() ? 32 : 128;
    if (start->is_v4()) {
      for (int i = 0; i < 4; ++i) {
        a[i] = static_cast<uint8_t>(start->v4() >> (24 - 8 * i));
        b[i] = static_cast<uint8_t>(end->v4() >> (24 - 8 * i));
      }
    } else {
      a = start->v6();
      b = end->v6();
    }
    auto bit = [](const std::array<uint8_t, 16>& x, int i) {
      return (x[i / 8] >> (7 - i % 8)) & 1;
    };
    int common = 0;
    while (common < bits && bit(a, common) == bit(b, common)) ++common;
    bool prefix = true;
    for (int i = common; i < bits && prefix; ++i) prefix = bit(a, i) == 0 && bit(b, i) == 1;
    if (prefix) return start->ToString() + "/" + std::to_string(common);
  }
  return start_text + " - " + end_text;
}

// A bootstrap service's base URL: the first https one, else the first http one; with the
// trailing slash RFC 9224 requires (added when missing).
std::string PickBaseUrl(const json& urls) {
  std::string http;
  for (const json& u : urls) {
    if (!u.is_string()) continue;
    std::string url = u.get<std::string>();
    std::string lower = Lower(url.substr(0, 8));
    if (!url.empty() && url.back() != '/') url += '/';
    if (lower.starts_with("https://")) return url;
    if (lower.starts_with("http://") && http.empty()) http = url;
  }
  return http;
}

}  // namespace takedown::notify::rdap_internal
