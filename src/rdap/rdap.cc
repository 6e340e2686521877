#include "rdap/rdap.h"

#include <libpsl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "platforms/url.h"
#include "rdap/rdap_internal.h"

namespace takedown::notify {

using namespace rdap_internal;  // NOLINT: this file is the client those helpers serve

namespace {

using json = nlohmann::json;
using fetch::Cidr;
using fetch::IpAddress;
using std::chrono::seconds;

constexpr std::string_view kAccept = "application/rdap+json, application/json;q=0.9";
// RDAP answers nest a few levels (network > organisation > abuse role); deeper JSON is refused
// before parsing (entities are followed only so deep and so many: rdap_answers.cc).
constexpr int kMaxJsonDepth = 64;

// Cloudflare's published ranges, from https://www.cloudflare.com/ips/ (ips-v4, ips-v6), as
// checked on 2026-12-01; the list has not changed since 2021. Verify against that page when
// touching this.
constexpr std::array<std::string_view, 22> kCloudflareRanges = {
    "173.245.48.0/20",  "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22",    "141.101.64.0/18",
    "108.162.192.0/18", "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17",
    "162.158.0.0/15",   "104.16.0.0/13",   "104.24.0.0/14",   "172.64.0.0/13",    "131.0.72.0/22",
    "2400:cb00::/32",   "2606:4700::/32",  "2803:f800::/32",  "2405:b500::/32",   "2405:8100::/32",
    "2a06:98c0::/29",   "2c0f:f248::/32",
};

// fetch::FetchResult carries no Cache-Control header yet: once it has a `cache_control` field
// this reads it, and until then every answer lives default_ttl (docs/rdap.md).
template <typename R>
std::string CacheControlOf(const R& result) {
  if constexpr (requires { result.cache_control; }) {
    return std::string(result.cache_control);
  } else {
    return {};
  }
}

// Whether JSON text nests arrays and objects deeper than `limit` (strings skipped).
bool NestedDeeperThan(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

std::optional<seconds> ParseMaxAge(std::string_view cache_control) {
  std::optional<seconds> max_age;
  while (!cache_control.empty()) {
    size_t comma = cache_control.find(',');
    std::string directive = Lower(Trim(cache_control.substr(0, comma)));
    cache_control = comma == std::string_view::npos ? "" : cache_control.substr(comma + 1);
    if (directive == "no-store" || directive == "no-cache") return seconds(0);
    if (directive.starts_with("max-age=") && !max_age) {
      std::string_view value = std::string_view(directive).substr(8);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (value.empty()) continue;
      int64_t n = 0;
      bool digits = true;
      for (char c : value) {
        if (c < '0' || c > '9') {
          digits = false;
          break;
        }
        n = std::min<int64_t>(n * 10 + (c - '0'), std::numeric_limits<int32_t>::max());
      }
      if (digits) max_age = seconds(n);
    }
  }
  return max_age;
}

std::optional<std::string> RecogniseCdn(const std::vector<IpAddress>& addresses,
                                        const ResponseHeaders& headers) {
  static const std::vector<Cidr> cloudflare = [] {
    std::vector<Cidr> ranges;
    for (std::string_view text : kCloudflareRanges) ranges.push_back(*Cidr::Parse(text));
    return ranges;
  }();
  for (const IpAddress& a : addresses) {
    for (const Cidr& range : cloudflare) {
      if (range.Contains(a)) return "cloudflare";
    }
  }
  for (const auto& [name, value] : headers) {
    std::string n = Lower(Trim(name));
    if (n == "cf-ray" || (n == "server" && Lower(Trim(value)) == "cloudflare")) {
      return "cloudflare";
    }
  }
  return std::nullopt;
}

HostResolver FetcherResolver(const fetch::FetcherConfig& config) {
  std::map<std::string, std::vector<std::string>> overrides;
  for (const auto& [name, addresses] : config.resolve) {
    std::string host = Lower(name);
    while (!host.empty() && host.back() == '.') host.pop_back();
    overrides[host] = addresses;
  }
  return [overrides = std::move(overrides), system_dns = config.system_dns](
             const std::string& name) -> Result<std::vector<IpAddress>> {
    std::string host = Lower(name);
    while (!host.empty() && host.back() == '.') host.pop_back();
    std::vector<IpAddress> out;
    if (auto it = overrides.find(host); it != overrides.end()) {
      for (const std::string& text : it->second) {
        std::optional<IpAddress> ip = IpAddress::Parse(text);
        if (!ip) {
          return InvalidArgument("the resolver override for " + host + " has \"" + text +
                                 "\", which is not an IP address");
        }
        out.push_back(*ip);
      }
      return out;
    }
    if (!system_dns) {
      return NotFound("no address is configured for " + host + " and system DNS is off");
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc != 0) {
      std::string why = gai_strerror(rc);
      if (rc == EAI_NONAME
#ifdef EAI_NODATA
          || rc == EAI_NODATA
#endif
      ) {
        return NotFound(host + " does not resolve to any address (" + why + ")");
      }
      return Unavailable("could not resolve " + host + " (" + why + ")");
    }
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      std::optional<IpAddress> ip = IpAddress::FromSockaddr(a->ai_addr);
      if (ip && std::find(out.begin(), out.end(), *ip) == out.end()) out.push_back(*ip);
    }
    freeaddrinfo(list);
    if (out.empty()) return NotFound(host + " does not resolve to any address");
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// The cache.

namespace internal {
struct RdapAnswer {
  std::shared_ptr<const nlohmann::json> body;
  std::string url;  // the final address, after redirects
};
}  // namespace internal

using Answer = internal::RdapAnswer;

struct RdapCache::Impl {
  struct Entry {
    Answer answer;
    UnixMillis expires = 0;
  };
  mutable std::mutex mu;
  size_t max_entries;
  std::map<std::string, Entry> entries;  // by the address asked for

  explicit Impl(size_t max) : max_entries(std::max<size_t>(max, 1)) {}

  std::optional<Answer> Find(const std::string& url, UnixMillis now) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = entries.find(url);
    if (it == entries.end()) return std::nullopt;
    if (it->second.expires <= now) {
      entries.erase(it);
      return std::nullopt;
    }
    return it->second.answer;
  }

  void Put(const std::string& url, Answer answer, UnixMillis expires, UnixMillis now) {
    std::lock_guard<std::mutex> lock(mu);
    entries.erase(url);
    if (entries.size() >= max_entries) {
      std::erase_if(entries, [now](const auto& e) { return e.second.expires <= now; });
    }
    while (entries.size() >= max_entries) {
      auto first = std::min_element(
          entries.begin(), entries.end(),
          [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
      entries.erase(first);
    }
    entries[url] = Entry{std::move(answer), expires};
  }
};

RdapCache::RdapCache(size_t max_entries) : impl_(std::make_unique<Impl>(max_entries)) {}
RdapCache::~RdapCache() = default;

size_t RdapCache::size() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->entries.size();
}

void RdapCache::Clear() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->entries.clear();
}

// ---------------------------------------------------------------------------------------------
// The client.

RdapClient::RdapClient(fetch::Fetcher& fetcher, const Clock& clock, RdapConfig config,
                       std::shared_ptr<RdapCache> cache)
    : fetcher_(fetcher),
      clock_(clock),
      config_(std::move(config)),
      cache_(cache ? std::move(cache) : std::make_shared<RdapCache>(config_.max_cache_entries)) {
  if (!config_.resolver) config_.resolver = FetcherResolver(fetcher_.config());
  if (!config_.bootstrap_base.empty() && config_.bootstrap_base.back() != '/') {
    config_.bootstrap_base += '/';
  }
}

RdapClient::~RdapClient() = default;

Result<Answer> RdapClient::Get(const std::string& url, std::string_view what) {
  const UnixMillis now = clock_.Now();
  if (std::optional<Answer> hit = cache_->impl_->Find(url, now)) {
    ++stats_.cache_hits;
    return std::move(*hit);
  }
  fetch::Request request(url);
  request.accept = std::string(kAccept);
  request.max_body_bytes = config_.max_response_bytes;
  ++stats_.requests;
  fetch::FetchResult r = fetcher_.Fetch(std::move(request));
  const std::string subject = "the RDAP lookup of " + std::string(what);
  if (!r.ok()) {
    return Status(r.status.code(), subject + " at " + url + " failed: " + r.status.message());
  }
  const std::string& at = r.final_url.empty() ? url : r.final_url;
  if (r.http_status == 404 || r.http_status == 410) {
    return NotFound(subject + " found no record: " + at + " answered HTTP " +
                    std::to_string(r.http_status));
  }
  if (r.http_status < 200 || r.http_status > 299) {
    return Unavailable(subject + " failed: " + at + " answered HTTP " +
                       std::to_string(r.http_status));
  }
  std::string_view text(reinterpret_cast<const char*>(r.body.data()), r.body.size());
  if (NestedDeeperThan(text, kMaxJsonDepth)) {
    return Corrupt(subject + " failed: " + at + " answered JSON nested deeper than " +
                   std::to_string(kMaxJsonDepth) + " levels");
  }
  auto body = std::make_shared<json>();
  try {
    *body = json::parse(text);
  } catch (const json::parse_error& e) {
    return Corrupt(subject + " failed: " + at + " did not answer with valid JSON (error at byte " +
                   std::to_string(e.byte) + ")");
  }
  if (!body->is_object()) {
    return Corrupt(subject + " failed: " + at + " did not answer with a JSON object");
  }
  Answer answer{std::move(body), at};
  seconds ttl =
      std::min(ParseMaxAge(CacheControlOf(r)).value_or(config_.default_ttl), config_.max_ttl);
  if (ttl.count() > 0) {
    cache_->impl_->Put(url, answer, now + ttl.count() * kMillisPerSecond, now);
  }
  return answer;
}

Result<std::string> RdapClient::BaseFor(const std::string& file, std::string_view key) {
  Result<Answer> bootstrap = Get(config_.bootstrap_base + file, "IANA's bootstrap file " + file);
  if (!bootstrap.ok()) return bootstrap.status();
  const json& doc = *bootstrap->body;
  auto services = doc.find("services");
  if (services == doc.end() || !services->is_array()) {
    return Corrupt(bootstrap->url + " is not an RDAP bootstrap file: it has no \"services\"");
  }
  const bool dns = file == "dns.json";
  std::optional<IpAddress> address;
  if (!dns) address = IpAddress::Parse(key);
  const std::string name = dns ? Lower(key) : std::string();

  int best = -1;
  std::string base;
  for (const json& service : *services) {
    if (!service.is_array() || service.size() < 2 || !service[0].is_array() ||
        !service[1].is_array()) {
      continue;
    }
    int score = -1;
    for (const json& entry : service[0]) {
      if (!entry.is_string()) continue;
      if (dns) {
        std::string suffix = Lower(entry.get<std::string>());
        while (!suffix.empty() && suffix.back() == '.') suffix.pop_back();
        if (name == suffix || (name.size() > suffix.size() && name.ends_with("." + suffix))) {
          score = std::max(score, static_cast<int>(suffix.size()));
        }
      } else if (address) {
        Result<Cidr> cidr = Cidr::Parse(entry.get<std::string>());
        if (cidr.ok() && cidr->Contains(*address)) score = std::max(score, cidr->prefix);
      }
    }
    if (score > best) {
      std::string url = PickBaseUrl(service[1]);
      if (!url.empty()) {
        best = score;
        base = url;
      }
    }
  }
  if (base.empty()) {
    std::string why;
    if (address) {
      if (std::optional<std::string> special = fetch::AddressPolicy().WhyRefused(*address)) {
        why = ", which is " + *special + " that no registry serves";
      }
    }
    return NotFound("IANA's RDAP bootstrap registry names no RDAP server for " + std::string(key) +
                    why);
  }
  return base;
}

Result<HostContact> RdapClient::LookupHost(std::string_view host_or_url,
                                           const ResponseHeaders& headers) {
  std::string_view input = Trim(host_or_url);
  if (input.empty()) return InvalidArgument("no host name or address was given");
  HostContact out;
  std::vector<IpAddress> addresses;
  std::string host, host_domain;
  if (std::optional<IpAddress> ip = IpAddress::Parse(input)) {  // a bare IPv6 address
    addresses.push_back(*ip);
    host = ip->ToString();
  } else {
    std::string url(input);
    if (url.find("://") == std::string::npos) url = "https://" + url + "/";
    Result<platforms::NormalizedUrl> parsed = platforms::NormalizeUrl(url);
    if (!parsed.ok()) {
      return InvalidArgument("\"" + std::string(input) + "\" is not a host name, address or URL");
    }
    host = parsed->host;
    host_domain = RegistrableDomainOf(host);
    Result<std::optional<IpAddress>> literal = fetch::ParseHostAddress(host);
    if (!literal.ok()) return literal.status();
    if (literal->has_value()) {
      addresses.push_back(**literal);
    } else {
      Result<std::vector<IpAddress>> resolved = config_.resolver(host);
      if (!resolved.ok()) {
        return Status(resolved.status().code(),
                      "could not find the host of " + host + ": " + resolved.status().message());
      }
      if (resolved->empty()) return NotFound(host + " does not resolve to any address");
      addresses = std::move(*resolved);
    }
  }
  for (const IpAddress& a : addresses) out.addresses.push_back(a.ToString());
  const IpAddress* queried = &addresses.front();
  for (const IpAddress& a : addresses) {
    if (a.is_v4()) {
      queried = &a;
      break;
    }
  }
  out.queried_address = queried->ToString();
  out.cdn = RecogniseCdn(addresses, headers);
  if (out.cdn) out.cdn_abuse = CdnContact(*out.cdn);

  // Without an RDAP answer a CDN is still worth writing to: it is all anyone can see of the host.
  auto cdn_only = [&out](const Status& failure) -> Result<HostContact> {
    if (!out.cdn) return failure;
    out.abuse = out.cdn_abuse;
    return out;
  };
  Result<std::string> base =
      BaseFor(queried->is_v4() ? "ipv4.json" : "ipv6.json", out.queried_address);
  if (!base.ok()) return cdn_only(base.status());
  Result<Answer> answer =
      Get(*base + "ip/" + out.queried_address, "the network of " + out.queried_address);
  if (!answer.ok()) return cdn_only(answer.status());
  const json& network = *answer->body;
  std::string kind = StringField(network, "objectClassName");
  if (!kind.empty() && Lower(kind) != "ip network") {
    return cdn_only(Corrupt(answer->url + " answered with an RDAP \"" + kind +
                            "\" object, not an \"ip network\""));
  }
  out.rdap_url = answer->url;
  out.network_handle = StringField(network, "handle");
  out.network_name = StringField(network, "name");
  out.cidr = NetworkCidr(network);

  const std::vector<const json*> entities = Entities(network);
  const json* abuse = PickAbuse(entities);
  if (abuse != nullptr) out.abuse = ContactOf(*abuse, answer->url);
  if (!out.abuse.email.empty()) {
    out.provider_domain = EmailDomain(out.abuse.email);
    return out;
  }
  // No abuse email: abuse@ the provider's domain, from the first email anywhere in the answer
  // (the registrant organisation's, its NOC's), else the host's own registrable domain.
  for (const json* e : entities) {
    std::string domain = EmailDomain(ReadVcard(*e).email);
    if (!domain.empty()) {
      out.provider_domain = domain;
      break;
    }
  }
  if (out.provider_domain.empty()) out.provider_domain = host_domain;
  if (out.provider_domain.empty()) {
    if (abuse != nullptr && !out.abuse.phone.empty()) return out;  // a phone number only
    return cdn_only(NotFound("the RDAP answer for " + out.queried_address + " (" + answer->url +
                             ") names no abuse contact and no domain to write to"));
  }
  AbuseContact fallback = FallbackContact(out.provider_domain);
  fallback.name = out.abuse.name;  // an abuse entity without email may still give these
  fallback.phone = out.abuse.phone;
  fallback.handle = out.abuse.handle;
  out.abuse = fallback;
  return out;
}

Result<RegistrarContact> RdapClient::LookupDomain(std::string_view domain) {
  std::string_view input = Trim(domain);
  if (input.empty()) return InvalidArgument("no domain was given");
  std::string url(input);
  if (url.find("://") == std::string::npos) url = "https://" + url + "/";
  Result<platforms::NormalizedUrl> parsed = platforms::NormalizeUrl(url);
  if (!parsed.ok()) return InvalidArgument("\"" + std::string(input) + "\" is not a domain name");
  if (Result<std::optional<IpAddress>> literal = fetch::ParseHostAddress(parsed->host);
      !literal.ok() || literal->has_value()) {
    return InvalidArgument("\"" + std::string(input) + "\" is an address, not a domain name");
  }
  // The registration: "example.co.uk" for "www.example.co.uk", "github.io" for
  // "someone.github.io" (registries know only what was registered).
  const std::string name = RegistrableDomainOf(parsed->host);
  if (name.empty()) {
    return InvalidArgument("\"" + std::string(input) +
                           "\" is a public suffix, not a domain anyone registers");
  }
  Result<std::string> base = BaseFor("dns.json", name);
  if (!base.ok()) return base.status();
  Result<Answer> answer = Get(*base + "domain/" + name, "the domain " + name);
  if (!answer.ok()) return answer.status();

  if (std::string kind = StringField(*answer->body, "objectClassName");
      !kind.empty() && Lower(kind) != "domain") {
    return Corrupt(answer->url + " answered with an RDAP \"" + kind +
                   "\" object, not a \"domain\"");
  }

  RegistrarContact out;
  out.domain = name;
  out.rdap_url = answer->url;
  // Reads the registrar entity of an answer, and the abuse entity inside it (where ICANN's RDAP
  // profile puts the registrar's abuse contact); keeps the registrar's own domain, from its
  // jCard email or web address, for the fallback.
  std::string registrar_domain;
  auto read_registrar = [&out, &registrar_domain](const json& doc, const std::string& at) -> bool {
    for (const json* e : Entities(doc)) {
      if (!HasRole(*e, "registrar")) continue;
      const Vcard card = ReadVcard(*e);
      if (registrar_domain.empty()) registrar_domain = EmailDomain(card.email);
      if (registrar_domain.empty() && !card.url.empty()) registrar_domain = UrlDomain(card.url);
      if (out.registrar_name.empty()) out.registrar_name = card.fn;
      if (out.registrar_name.empty()) out.registrar_name = StringField(*e, "handle");
      if (out.iana_id.empty()) {
        if (auto ids = e->find("publicIds"); ids != e->end() && ids->is_array()) {
          for (const json& id : *ids) {
            if (Lower(StringField(id, "type")) == "iana registrar id") {
              out.iana_id = StringField(id, "identifier");
              if (out.iana_id.empty() && id.is_object() && id.contains("identifier") &&
                  id["identifier"].is_number_integer()) {
                out.iana_id = std::to_string(id["identifier"].get<int64_t>());
              }
              break;
            }
          }
        }
      }
      if (const json* abuse = PickAbuse(Entities(*e))) {
        out.abuse = ContactOf(*abuse, at);
        out.rdap_url = at;
      }
      return true;
    }
    return false;
  };
  const bool found_registrar = read_registrar(*answer->body, answer->url);

  // A thin registry's answer may leave the contact to the registrar's own RDAP server, linked
  // as "related": ask it once.
  std::string related_error;
  if (out.abuse.email.empty()) {
    std::string related;
    if (auto links = answer->body->find("links");
        links != answer->body->end() && links->is_array()) {
      for (const json& link : *links) {
        std::string href = StringField(link, "href");
        std::string type = Lower(StringField(link, "type"));
        if (Lower(StringField(link, "rel")) == "related" &&
            href.find("/domain/") != std::string::npos &&
            (type == "application/rdap+json" || type.empty()) && href != answer->url) {
          related = href;
          break;
        }
      }
    }
    if (!related.empty()) {
      Result<Answer> registrar = Get(related, "the domain " + name + " at its registrar");
      if (registrar.ok()) {
        read_registrar(*registrar->body, registrar->url);
      } else {
        related_error = " (" + registrar.status().message() + ")";
      }
    }
  }
  if (!found_registrar && out.registrar_name.empty()) {
    return NotFound("the RDAP answer for " + name + " (" + answer->url + ") names no registrar" +
                    related_error);
  }
  if (out.abuse.email.empty()) {
    // abuse@ the registrar's own domain.
    if (registrar_domain.empty()) {
      if (!out.abuse.phone.empty()) return out;  // a phone number only
      return NotFound("the RDAP answer for " + name + " (" + answer->url + ") names " +
                      (out.registrar_name.empty() ? "a registrar" : out.registrar_name) +
                      " but no abuse contact for it" + related_error);
    }
    AbuseContact fallback = FallbackContact(registrar_domain);
    fallback.name = out.abuse.name;
    fallback.phone = out.abuse.phone;
    fallback.handle = out.abuse.handle;
    out.abuse = fallback;
  }
  return out;
}

}  // namespace takedown::notify
