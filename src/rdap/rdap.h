// Abuse contacts for the escalation ladder, found over RDAP (RFC 9082/9083, bootstrapped through
// IANA's registry, RFC 9224): the hosting provider of an address (the IP network's entity with
// the "abuse" role), the registrar of a domain (the registry's "registrar" entity and the abuse
// entity inside it), and the CDN in front of a site (Cloudflare, by address range or headers).
// Where RDAP names no abuse contact, a documented fallback (abuse@ the provider's or registrar's
// domain) is returned and marked as such. Every request goes through fetch::Fetcher (SSRF guard,
// size and time limits, redirects between RIRs). Answers are cached with their TTL. What is
// looked up, the fallbacks and what is not done: docs/rdap.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "fetch/address_policy.h"
#include "fetch/fetcher.h"

namespace takedown::notify {

namespace internal {
struct RdapAnswer;  // a parsed answer and the address it came from (rdap_internal.h)
}  // namespace internal

// Where to report abuse, as the registry published it (or as a fallback guessed it). A plain
// value; any field may be "".
struct AbuseContact {
  std::string name;      // the vCard's "fn" ("Abuse Desk")
  std::string email;     // "abuse@hostco.example"
  std::string phone;     // as published, without "tel:" ("+1-555-555-1234")
  std::string web_form;  // an address for reports, where the provider wants its form used
  std::string handle;    // the RDAP entity's handle
  // Where this came from: "rdap:<url of the answer>", "fallback:abuse@<domain>" (no abuse entity
  // was published: a guess), or "cdn:cloudflare".
  std::string source;

  bool fallback() const { return source.starts_with("fallback:"); }
};

// The hosting side of a host name or address. A plain value.
struct HostContact {
  std::vector<std::string> addresses;  // what the host resolved to, in resolver order
  std::string queried_address;         // the one asked about (the first IPv4, else the first)
  std::string network_name, network_handle;
  std::string cidr;      // "198.51.100.0/24", or "start - end" when not one prefix
  std::string rdap_url;  // the answer's address, after redirects ("" when RDAP was not used)
  AbuseContact abuse;    // the network's abuse contact, or the fallback
  // The provider's registrable domain: of the abuse email, else of any email in the answer,
  // else of the host itself (then it is the site, not its provider: see docs/rdap.md).
  std::string provider_domain;
  std::optional<std::string> cdn;  // "cloudflare" when the host is behind a known CDN
  AbuseContact cdn_abuse;          // the CDN's abuse channel (Cloudflare: its web form)
};

// The registrar of a domain. A plain value.
struct RegistrarContact {
  std::string domain;  // the domain whose registration was found ("example.com")
  std::string registrar_name;
  std::string iana_id;   // the IANA Registrar ID ("292"), "" when not published
  std::string rdap_url;  // the answer the registrar came from (registry's, or registrar's)
  AbuseContact abuse;
};

// Response headers of the site (name, value), for CDN recognition; names in any case.
using ResponseHeaders = std::vector<std::pair<std::string, std::string>>;

// Host name -> addresses. NotFound when the name does not exist, Unavailable when the answer
// may come later. Must be safe to call from the thread using the RdapClient.
using HostResolver = std::function<Result<std::vector<fetch::IpAddress>>(const std::string& host)>;

// The resolver the fetcher itself would use: `config.resolve` first (so tests and air-gapped
// deployments map names to addresses in one place), then system DNS (getaddrinfo) when
// `config.system_dns` is on. The returned function is thread-safe.
HostResolver FetcherResolver(const fetch::FetcherConfig& config);

struct RdapConfig {
  // IANA's bootstrap files live here: ipv4.json, ipv6.json and dns.json.
  std::string bootstrap_base = "https://data.iana.org/rdap/";
  // The TTL of an answer without Cache-Control max-age; longer ones are cut to max_ttl.
  std::chrono::seconds default_ttl{24 * 3600};
  std::chrono::seconds max_ttl{7 * 24 * 3600};
  size_t max_cache_entries = 10'000;       // of a cache this client creates itself
  uint64_t max_response_bytes = 4u << 20;  // per answer (IANA's dns.json is about 40 KB)
  // Empty: FetcherResolver(fetcher.config()).
  HostResolver resolver;
};

// Answers and bootstrap files by URL, each until its TTL passes on the client's Clock; when full,
// the entry that expires first is dropped. Thread-safe (one mutex): clients on several threads,
// each with its own Fetcher, may share one.
class RdapCache {
 public:
  explicit RdapCache(size_t max_entries = 10'000);
  ~RdapCache();
  RdapCache(const RdapCache&) = delete;
  RdapCache& operator=(const RdapCache&) = delete;

  size_t size() const;
  void Clear();

 private:
  friend class RdapClient;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Counters over a client's life, for metrics and tests.
struct RdapStats {
  uint64_t requests = 0;    // HTTP requests made (bootstrap files and answers)
  uint64_t cache_hits = 0;  // answers served from the cache
};

// Looks abuse contacts up. Not thread-safe (its Fetcher belongs to one thread): one client per
// thread, sharing an RdapCache if wanted. Blocking: each lookup makes up to three requests
// (bootstrap, answer, and for a domain maybe the registrar's own server).
class RdapClient {
 public:
  // `fetcher` and `clock` must outlive the client. `cache`: shared, or nullptr for a private one.
  RdapClient(fetch::Fetcher& fetcher, const Clock& clock, RdapConfig config = {},
             std::shared_ptr<RdapCache> cache = nullptr);
  ~RdapClient();
  RdapClient(const RdapClient&) = delete;
  RdapClient& operator=(const RdapClient&) = delete;

  // The hosting provider of a host name, an address or a URL ("https://img.site.example/a.jpg").
  // `headers`: the site's response headers, when known, to recognise a CDN by them too.
  // Errors, one sentence each: InvalidArgument (not a host), NotFound (the name does not
  // resolve, no registry serves the address, the registry has no record, or nothing at all names
  // a contact), PermissionDenied (an RDAP server at a refused address), TooLarge, Corrupt (not
  // RDAP JSON), Unavailable (the server failed or answered an error). A recognised CDN (by
  // address or headers) turns a failed RDAP lookup into a contact with only the CDN's channel.
  Result<HostContact> LookupHost(std::string_view host_or_url, const ResponseHeaders& headers = {});

  // The registrar of a domain ("example.com"; a subdomain or URL is reduced to the registration,
  // by the ICANN section of the public suffix list: "github.io" for "someone.github.io").
  // NotFound when the registry has no record or names no registrar contact: the ladder then
  // goes on without that rung.
  Result<RegistrarContact> LookupDomain(std::string_view domain);

  RdapStats stats() const { return stats_; }
  const std::shared_ptr<RdapCache>& cache() const { return cache_; }

 private:
  // One JSON answer, from the cache or fetched (and then cached with its TTL).
  Result<internal::RdapAnswer> Get(const std::string& url, std::string_view what);
  // The base URL of the RDAP server for `key` (an address, or a domain) in IANA's bootstrap
  // `file` ("ipv4.json", "ipv6.json", "dns.json").
  Result<std::string> BaseFor(const std::string& file, std::string_view key);

  fetch::Fetcher& fetcher_;
  const Clock& clock_;
  RdapConfig config_;
  std::shared_ptr<RdapCache> cache_;
  RdapStats stats_;
};

// A known CDN, by address (published ranges) or by headers ("server: cloudflare", "cf-ray").
// Nullopt for none. Pure: thread-safe.
std::optional<std::string> RecogniseCdn(const std::vector<fetch::IpAddress>& addresses,
                                        const ResponseHeaders& headers = {});

// The max-age of a Cache-Control value in seconds; 0 for no-store or no-cache; nullopt when it
// says neither.
std::optional<std::chrono::seconds> ParseMaxAge(std::string_view cache_control);

}  // namespace takedown::notify
