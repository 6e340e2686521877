// Safe HTTP fetching for discovery and rechecks: many transfers at once over libcurl's multi
// interface, with the SSRF guard, limits, redirects, retries and per-host politeness done here.
//
// Every address is resolved once by the fetcher (system DNS on worker threads, or the
// configured resolver override), every resolved address is checked against the AddressPolicy,
// and curl is pinned to the checked addresses (CURLOPT_RESOLVE) and refused any other at
// connect time (CURLOPT_OPENSOCKETFUNCTION). Redirects are followed here, not by curl, so each
// hop is checked the same way. Bodies live in memory only: nothing is ever written to disk
// (no cookie jar, no alt-svc or HSTS cache, no temporary files). Limits, retries, politeness and
// their defaults: docs/fetch.md.
//
// Thread-safety: a Fetcher is not thread-safe. Use each from one thread (one Fetcher per
// worker thread); callbacks run on that thread, inside Run/Poll/FetchAll, and may call Submit.
// DNS lookups run on the fetcher's own helper threads; that is internal.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace takedown::fetch {

struct FetcherConfig {
  // Sent on every request: names the service and where to read about it or complain.
  std::string user_agent = "TakedownBot/0.1 (+https://example.org/takedown-bot)";
  // Address ranges let through the SSRF guard although special ("127.0.0.0/8" in tests).
  std::vector<std::string> allowed_ranges;
  // Resolver override, like curl --resolve: host name -> addresses (IPv4 or IPv6 text). Used
  // before DNS; its addresses are checked like any other.
  std::map<std::string, std::vector<std::string>> resolve;
  bool system_dns = true;  // false: only `resolve` answers (air-gapped, tests)
  std::string ca_file;     // PEM bundle for TLS verification; "" is the system's

  int max_redirects = 5;
  int max_attempts = 3;  // per address, for 429, 5xx and broken connections
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds transfer_timeout{30'000};   // one request and its response
  std::chrono::milliseconds request_deadline{120'000};  // all redirects, retries and waits
  std::chrono::milliseconds initial_backoff{1'000};     // doubles per attempt
  std::chrono::milliseconds max_backoff{30'000};
  // A Retry-After asking for longer is not waited for: the request fails and says so.
  std::chrono::milliseconds max_retry_after{60'000};

  uint64_t max_body_bytes = 64ull << 20;  // per response, after decompression (and before)
  size_t max_header_bytes = 64u << 10;    // all header lines of one response together

  int max_concurrent = 64;                        // transfers (and DNS lookups) in flight
  int max_per_host = 2;                           // at once per host name
  std::chrono::milliseconds per_host_delay{250};  // between request starts to one host name
  std::chrono::milliseconds dns_cache_ttl{60'000};
  int dns_threads = 4;
  bool http2 = true;  // offer HTTP/2 over TLS (ALPN); plain http stays HTTP/1.1
  std::string accept = "text/html,application/xhtml+xml,image/*,video/*;q=0.9,*/*;q=0.8";
};

struct Request {
  Request() = default;
  Request(std::string address) : url(std::move(address)) {}  // NOLINT: a URL is a request

  std::string url;  // absolute http or https
  // Conditional recheck: the ETag and Last-Modified of an earlier response, sent as
  // If-None-Match and If-Modified-Since (on every hop). A 304 answer has no body.
  std::string if_none_match;
  std::string if_modified_since;
  uint64_t max_body_bytes = 0;  // 0: the fetcher's max_body_bytes
  std::string accept;           // "": the fetcher's accept
};

// Why a fetch failed, for programs (the Status says it for people).
enum class FetchError {
  kNone,
  kInvalidUrl,         // not an http(s) address with a host
  kRefused,            // the SSRF guard refused an address (no connection was made)
  kDns,                // the name did not resolve
  kConnect,            // no connection (refused, unreachable) after all attempts
  kTls,                // TLS handshake or certificate verification failed
  kTimeout,            // transfer_timeout or request_deadline passed
  kTooManyRedirects,   // more than max_redirects
  kBadRedirect,        // a redirect to a non-http(s) or invalid address
  kBodyTooLarge,       // more than max_body_bytes on the wire
  kDecodedTooLarge,    // more than max_body_bytes once decompressed (gzip, br bombs)
  kHeadersTooLarge,    // more than max_header_bytes of headers
  kBadEncoding,        // the compressed body was damaged
  kHttpStatus,         // 429 or 5xx on every attempt
  kRetryAfterTooLong,  // the server asked to wait longer than max_retry_after
  kNetwork,            // the connection broke mid-transfer, after all attempts
  kInternal,
};

std::string_view FetchErrorName(FetchError error);  // "refused", "timeout", ...

// One redirect that was followed.
struct RedirectHop {
  std::string url;       // the address that answered with the redirect
  int http_status = 0;   // 301, 302, 303, 307 or 308
  std::string location;  // the absolute address it pointed to
};

// The outcome of one Request. A plain value.
struct FetchResult {
  uint64_t id = 0;        // as Submit returned it
  std::string url;        // as requested
  std::string final_url;  // the last address asked for (after redirects)
  std::vector<RedirectHop> redirects;
  // The response from final_url (the last attempt's, after retries); each redirect's own
  // status is in `redirects`.
  int http_status = 0;         // 0 when no response came
  int http_version = 0;        // 10, 11, 20 (0: no response)
  std::string remote_address;  // the checked address the response came from
  std::string content_type;    // its headers ("" when absent)
  std::string content_encoding;
  std::string etag;
  std::string last_modified;
  std::string retry_after;
  std::string cache_control;  // every Cache-Control header, joined by ", " (RDAP answers' TTL)
  std::vector<uint8_t> body;  // decoded; empty for 304 and redirects
  std::chrono::milliseconds elapsed{0};  // first attempt's start to the end
  int attempts = 0;                      // requests sent, over all hops
  Status status;                         // OK when a final response came (whatever its status)
  FetchError error = FetchError::kNone;

  bool ok() const { return status.ok(); }
  bool not_modified() const { return http_status == 304; }
};

// Counters over a Fetcher's life, for metrics and tests.
struct FetcherStats {
  uint64_t completed = 0;  // requests finished, failed ones included
  uint64_t attempts = 0;   // HTTP requests started
  uint64_t retries = 0;
  uint64_t redirects = 0;
  uint64_t refused = 0;             // requests the SSRF guard stopped
  uint64_t connections_opened = 0;  // sockets created (keep-alive reuse keeps this low)
  uint64_t dns_lookups = 0;         // system DNS queries (cache misses)
};

class Fetcher {
 public:
  using Callback = std::function<void(FetchResult&&)>;

  // InvalidArgument for a bad allowed range, override address or limit.
  static Result<std::unique_ptr<Fetcher>> Create(FetcherConfig config);
  ~Fetcher();  // abandons unfinished requests without calling their callbacks
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues a request; `done` runs once, with the result, inside a later Run/Poll/FetchAll.
  uint64_t Submit(Request request, Callback done);
  // Works until every submitted request (also those submitted by callbacks) is done.
  void Run();
  // Works for at most about `max_wait`; returns whether requests are still unfinished.
  bool Poll(std::chrono::milliseconds max_wait);
  // Fetches all, concurrently within the limits; results in the order of `requests`.
  // Both work until every submitted request is done, earlier Submits included.
  std::vector<FetchResult> FetchAll(std::vector<Request> requests);
  FetchResult Fetch(Request request);

  size_t pending() const;
  FetcherStats stats() const;
  const FetcherConfig& config() const;

 private:
  class Impl;
  explicit Fetcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace takedown::fetch
