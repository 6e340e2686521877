// Webhooks: a signed JSON POST through libcurl, behind the fetcher's SSRF guard.
//
// fetch::Fetcher only GETs, so the POST is made here with libcurl directly, but the address is
// judged the way the fetcher judges it (fetch/address_policy.h): the host is resolved once here,
// every address must be allowed, curl is pinned to those addresses (CURLOPT_RESOLVE) and may open
// no socket to any other (CURLOPT_OPENSOCKETFUNCTION). Redirects are never followed: a receiver
// that moved must be configured again, since a redirect could point anywhere.
#include "delivery/webhook.h"

#include <curl/curl.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/address_policy.h"
#include "mail/mail_internal.h"

namespace takedown::notify {
namespace {

using fetch::AddressPolicy;
using fetch::IpAddress;

struct Exchange {
  const AddressPolicy* policy = nullptr;
  std::vector<IpAddress> checked;  // the addresses curl may connect to
  std::string refused;             // why a socket was refused, if one was
  std::string body;
  size_t max_body = 0;
  std::string location;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const size_t n = size * count;
  const size_t keep = std::min(n, x->max_body - std::min(x->max_body, x->body.size()));
  x->body.append(data, keep);
  return n;  // the rest is read and dropped
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.size() > 9) {
    std::string name(line.substr(0, 9));
    for (char& ch : name) ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if (name == "location:") {
      line.remove_prefix(9);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
      x->location = std::string(line.substr(0, 300));
    }
  }
  return size * count;
}

curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* x = static_cast<Exchange*>(user);
  const std::optional<IpAddress> ip = IpAddress::FromSockaddr(&address->addr);
  if (!ip.has_value()) {
    x->refused = "an address of an unknown family";
    return CURL_SOCKET_BAD;
  }
  if (std::find(x->checked.begin(), x->checked.end(), *ip) == x->checked.end() ||
      !x->policy->Check(*ip).ok()) {
    x->refused = ip->ToString() + " was not among the checked addresses";
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

std::string Hex(const unsigned char* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

// The addresses `host` stands for, every one allowed by `policy`; PermissionDenied naming the
// first refused one (no connection is made then), Unavailable when the name does not resolve.
Result<std::vector<IpAddress>> ResolveChecked(const std::string& url, const std::string& host,
                                              const AddressPolicy& policy) {
  Result<std::optional<IpAddress>> literal = fetch::ParseHostAddress(host);
  if (!literal.ok())
    return InvalidArgument("the webhook URL " + url + ": " + literal.status().message());
  std::vector<IpAddress> addresses;
  if (literal->has_value()) {
    addresses.push_back(**literal);
  } else {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc != 0) {
      return Unavailable("could not resolve the webhook host " + host + ": " + gai_strerror(rc));
    }
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      const std::optional<IpAddress> ip = IpAddress::FromSockaddr(a->ai_addr);
      if (ip.has_value() && std::find(addresses.begin(), addresses.end(), *ip) == addresses.end()) {
        addresses.push_back(*ip);
      }
    }
    ::freeaddrinfo(list);
    if (addresses.empty()) return Unavailable("the webhook host " + host + " has no address");
  }
  for (const IpAddress& ip : addresses) {
    if (std::optional<std::string> why = policy.WhyRefused(ip); why.has_value()) {
      const std::string subject =
          literal->has_value() ? ip.ToString() : host + " resolves to " + ip.ToString() + ", which";
      return PermissionDenied("refused to post to the webhook " + url + ": " + subject + " is " +
                              *why);
    }
  }
  return addresses;
}

}  // namespace

std::string WebhookSignature(std::string_view secret, int64_t timestamp_seconds,
                             std::string_view body) {
  const std::string signed_text = std::to_string(timestamp_seconds) + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac,
       &length);
  return "sha256=" + Hex(mac, length);
}

Status PostWebhook(const WebhookConfig& config, const WebhookRequest& request, UnixMillis now,
                   WebhookReply* reply) {
  if (request.secret.size() < 16) {
    return InvalidArgument("a webhook secret must be at least 16 bytes");
  }
  if (Status s = internal::CheckHeaderValue("the idempotency key", request.idempotency_key);
      !s.ok()) {
    return s;
  }
  std::initializer_list<std::string_view> https_only = {"https"};
  std::initializer_list<std::string_view> both = {"https", "http"};
  // ParseServiceUrl wants no path; a webhook has one, so the URL is read here.
  internal::UrlPtr u(curl_url());
  if (u == nullptr) return Internal("out of memory");
  if (curl_url_set(u.get(), CURLUPART_URL, request.url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument("the webhook URL \"" + request.url + "\" cannot be read");
  }
  const auto part = [&](CURLUPart p, unsigned flags = 0) -> std::string {
    char* text = nullptr;
    if (curl_url_get(u.get(), p, &text, flags) != CURLUE_OK || text == nullptr) return "";
    internal::CurlString owned(text);
    return text;
  };
  const std::string scheme = part(CURLUPART_SCHEME);
  const auto& schemes = config.allow_http ? both : https_only;
  if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) {
    return InvalidArgument("the webhook URL \"" + request.url + "\" must be https://" +
                           (config.allow_http ? " or http://" : ""));
  }
  std::string host = part(CURLUPART_HOST);
  const std::string port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (host.empty() || !part(CURLUPART_USER).empty() || !part(CURLUPART_PASSWORD).empty()) {
    return InvalidArgument("the webhook URL \"" + request.url +
                           "\" needs a host and no user name or password");
  }
  Result<AddressPolicy> policy = AddressPolicy::WithAllowed(config.allowed_ranges);
  if (!policy.ok()) return policy.status();
  Result<std::vector<IpAddress>> addresses = ResolveChecked(request.url, host, *policy);
  if (!addresses.ok()) return addresses.status();

  internal::CurlGlobalInit();
  internal::CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return Internal("curl_easy_init failed");
  CURL* e = curl.get();
  Exchange x;
  x.policy = &policy.value();
  x.checked = *addresses;
  x.max_body = config.max_reply_bytes;

  internal::SlistPtr resolve;
  if (Result<std::optional<IpAddress>> literal = fetch::ParseHostAddress(host);
      literal.ok() && !literal->has_value()) {
    std::string entry = host + ":" + port + ":";
    for (size_t i = 0; i < x.checked.size(); ++i) {
      entry += (i > 0 ? "," : "") + x.checked[i].ToUrlHost();
    }
    resolve.reset(curl_slist_append(nullptr, entry.c_str()));
  }
  const int64_t timestamp = now / 1000;
  internal::SlistPtr headers;
  const auto header = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  header("Content-Type: application/json");
  header("X-Takedown-Timestamp: " + std::to_string(timestamp));
  header("X-Takedown-Signature: " + WebhookSignature(request.secret, timestamp, request.body));
  if (!request.idempotency_key.empty()) header("Idempotency-Key: " + request.idempotency_key);
  header("Expect:");  // no 100-continue round trip
  char error[CURL_ERROR_SIZE] = {0};

  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
  };
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, config.allow_http ? "http,https" : "https");
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROXY, "");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_POST, 1L);
  set(CURLOPT_POSTFIELDS, request.body.data());
  set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  set(CURLOPT_HTTPHEADER, headers.get());
  set(CURLOPT_USERAGENT, config.user_agent.c_str());
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) set(CURLOPT_CAINFO, config.ca_file.c_str());
  set(CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(std::max<int64_t>(1, config.connect_timeout.count())));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, config.total_timeout.count())));
  set(CURLOPT_WRITEFUNCTION, &OnBody);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&x));
  set(CURLOPT_HEADERFUNCTION, &OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&x));
  set(CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
  set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(&x));
  if (resolve != nullptr) set(CURLOPT_RESOLVE, resolve.get());
  set(CURLOPT_ERRORBUFFER, error);
  if (rc != CURLE_OK) {
    return Internal(std::string("curl refused a webhook option: ") + curl_easy_strerror(rc));
  }
  const CURLcode result = curl_easy_perform(e);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  if (reply != nullptr) *reply = WebhookReply{status, x.body};
  const std::string where = "the webhook " + request.url;
  if (result != CURLE_OK) {
    if (!x.refused.empty()) {
      return PermissionDenied("refused to post to " + where + ": " + x.refused);
    }
    return Unavailable("could not post to " + where + ": " +
                       (error[0] != '\0' ? std::string(error) : curl_easy_strerror(result)));
  }
  if (status >= 200 && status < 300) return Status::Ok();
  std::string snippet = x.body.substr(0, 200);
  std::replace_if(
      snippet.begin(), snippet.end(), [](char c) { return c < ' '; }, ' ');
  const std::string answered = where + " answered HTTP " + std::to_string(status);
  if (status >= 300 && status < 400) {
    return FailedPrecondition(answered + " (a redirect" +
                              (x.location.empty() ? "" : " to " + x.location) +
                              "); webhooks do not follow redirects");
  }
  if (status == 408 || status == 429 || status >= 500) {
    return Unavailable(answered + " (try again later)" + (snippet.empty() ? "" : ": " + snippet));
  }
  return FailedPrecondition(answered + (snippet.empty() ? "" : ": " + snippet));
}

}  // namespace takedown::notify
