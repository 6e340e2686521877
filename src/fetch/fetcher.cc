#include "fetch/fetcher.h"

#include <algorithm>
#include <mutex>

#include "fetch/fetcher_impl.h"

namespace takedown::fetch {

using std::chrono::milliseconds;

std::string_view FetchErrorName(FetchError error) {
  switch (error) {
    case FetchError::kNone:
      return "none";
    case FetchError::kInvalidUrl:
      return "invalid_url";
    case FetchError::kRefused:
      return "refused";
    case FetchError::kDns:
      return "dns";
    case FetchError::kConnect:
      return "connect";
    case FetchError::kTls:
      return "tls";
    case FetchError::kTimeout:
      return "timeout";
    case FetchError::kTooManyRedirects:
      return "too_many_redirects";
    case FetchError::kBadRedirect:
      return "bad_redirect";
    case FetchError::kBodyTooLarge:
      return "body_too_large";
    case FetchError::kDecodedTooLarge:
      return "decoded_too_large";
    case FetchError::kHeadersTooLarge:
      return "headers_too_large";
    case FetchError::kBadEncoding:
      return "bad_encoding";
    case FetchError::kHttpStatus:
      return "http_status";
    case FetchError::kRetryAfterTooLong:
      return "retry_after_too_long";
    case FetchError::kNetwork:
      return "network";
    case FetchError::kInternal:
      return "internal";
  }
  return "internal";
}

Result<std::unique_ptr<Fetcher>> Fetcher::Create(FetcherConfig config) {
  static std::once_flag curl_init;
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (config.max_redirects < 0 || config.max_attempts < 1 || config.max_concurrent < 1 ||
      config.max_per_host < 1 || config.max_body_bytes == 0 || config.max_header_bytes == 0 ||
      config.transfer_timeout.count() <= 0 || config.request_deadline.count() <= 0) {
    return InvalidArgument(
        "fetcher limits must be positive (attempts, concurrency, sizes, timeouts)");
  }
  Result<AddressPolicy> policy = AddressPolicy::WithAllowed(config.allowed_ranges);
  if (!policy.ok()) return policy.status();
  std::unordered_map<std::string, std::vector<IpAddress>> overrides;
  for (const auto& [name, addresses] : config.resolve) {
    std::string host = name;
    std::transform(host.begin(), host.end(), host.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    while (!host.empty() && host.back() == '.') host.pop_back();
    if (host.empty() || addresses.empty()) {
      return InvalidArgument("a resolver override needs a host name and at least one address");
    }
    for (const std::string& text : addresses) {
      std::optional<IpAddress> ip = IpAddress::Parse(text);
      if (!ip) {
        return InvalidArgument("the resolver override for " + host + " has \"" + text +
                               "\", which is not an IP address");
      }
      overrides[host].push_back(*ip);
    }
  }
  auto impl = std::make_unique<Impl>(std::move(config), std::move(*policy), std::move(overrides));
  if (Status s = impl->Init(); !s.ok()) return s;
  return std::unique_ptr<Fetcher>(new Fetcher(std::move(impl)));
}

Fetcher::Fetcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Fetcher::~Fetcher() = default;

uint64_t Fetcher::Submit(Request request, Callback done) {
  return impl_->Submit(std::move(request), std::move(done));
}

void Fetcher::Run() {
  while (impl_->Poll(milliseconds(1000))) {
  }
}

bool Fetcher::Poll(milliseconds max_wait) { return impl_->Poll(max_wait); }

std::vector<FetchResult> Fetcher::FetchAll(std::vector<Request> requests) {
  std::vector<FetchResult> results(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    Submit(std::move(requests[i]), [&results, i](FetchResult&& r) { results[i] = std::move(r); });
  }
  Run();
  return results;
}

FetchResult Fetcher::Fetch(Request request) {
  std::vector<Request> one;
  one.push_back(std::move(request));
  return std::move(FetchAll(std::move(one)).front());
}

size_t Fetcher::pending() const { return impl_->pending(); }
FetcherStats Fetcher::stats() const { return impl_->stats(); }
const FetcherConfig& Fetcher::config() const { return impl_->config(); }

}  // namespace takedown::fetch
