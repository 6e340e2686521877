// The RDAP client's transport: answers fetched, checked and parsed (RdapClient::Get), cached
// with their TTL (RdapCache), and the helpers around them (Cache-Control, CDN ranges, the
// resolver). Bootstrap and the lookups themselves are in rdap_lookup.cc.
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

}  // namespace takedown::notify
