#include "fetch/transfer.h"

#include <sys/socket.h>

#include <algorithm>
#include <ctime>

namespace takedown::fetch::internal {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool Encoded(const Response& r) {
  return !r.content_encoding.empty() && r.content_encoding != "identity";
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  Response& r = job->response;
  const size_t length = size * count;
  r.header_bytes += length;
  if (r.header_bytes > job->header_cap) {
    r.abort = Response::Abort::kHeaders;
    return 0;
  }
  const std::string_view line = Trim(std::string_view(data, length));
  if (line.substr(0, 5) == "HTTP/") {  // a new response (after 1xx ones): forget the last
    const size_t header_bytes = r.header_bytes;
    r = Response{};
    r.header_bytes = header_bytes;
    const size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      r.status = std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    }
    return length;
  }
  if (line.empty()) {  // the end of this response's headers
    if (IsRedirect(r.status) && !r.location.empty()) {
      r.discard_body = true;
    } else if (r.content_length && !Encoded(r)) {
      job->result.body.reserve(static_cast<size_t>(std::min(*r.content_length, job->body_cap)));
    }
    return length;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return length;
  std::string name(Trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(), Lower);
  const std::string value(Trim(line.substr(colon + 1)));
  if (name == "content-type") {
    r.content_type = value;
  } else if (name == "content-encoding") {
    r.content_encoding = value;
    std::transform(r.content_encoding.begin(), r.content_encoding.end(), r.content_encoding.begin(),
                   Lower);
  } else if (name == "etag") {
    r.etag = value;
  } else if (name == "last-modified") {
    r.last_modified = value;
  } else if (name == "retry-after") {
    r.retry_after = value;
  } else if (name == "cache-control") {
    r.cache_control = r.cache_control.empty() ? value : r.cache_control + ", " + value;
  } else if (name == "location") {
    r.location = value;
  } else if (name == "content-length") {
    char* end = nullptr;
    const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (end != value.c_str() && *end == '\0') r.content_length = n;
  }
  return length;
}

// Bodies go to memory only. The cap is checked on the decoded bytes curl hands over, so a
// small gzip or brotli bomb stops at the cap like any large body.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* job = static_cast<Job*>(user);
  const size_t length = size * count;
  if (job->response.discard_body) return length;
  std::vector<uint8_t>& body = job->result.body;
  if (body.size() + length > job->body_cap) {
    job->response.abort =
        Encoded(job->response) ? Response::Abort::kDecoded : Response::Abort::kBody;
    return 0;  // anything but `length` makes curl stop with CURLE_WRITE_ERROR
  }
  body.insert(body.end(), reinterpret_cast<const uint8_t*>(data),
              reinterpret_cast<const uint8_t*>(data) + length);
  return length;
}

// The same cap on the bytes as they arrive (compressed), so a stream that decodes to nothing
// cannot run on either.
int OnProgress(void* user, curl_off_t, curl_off_t now_down, curl_off_t, curl_off_t) {
  auto* job = static_cast<Job*>(user);
  if (now_down > 0 && static_cast<uint64_t>(now_down) > job->body_cap) {
    job->response.abort = Response::Abort::kBody;
    return 1;
  }
  return 0;
}

// The last line of the SSRF guard: curl may connect only to an address this job checked,
// whatever name resolution curl might have done itself.
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* job = static_cast<Job*>(user);
  const std::optional<IpAddress> ip =
      purpose == CURLSOCKTYPE_IPCXN ? IpAddress::FromSockaddr(&address->addr) : std::nullopt;
  if (!ip) {
    job->response.abort = Response::Abort::kAddress;
    job->response.refused = "curl asked for a socket that is not an IP connection";
    return CURL_SOCKET_BAD;
  }
  if (std::find(job->addresses.begin(), job->addresses.end(), *ip) == job->addresses.end()) {
    job->response.abort = Response::Abort::kAddress;
    job->response.refused =
        ip->ToString() + " is not an address that was checked for " + job->target.host;
    return CURL_SOCKET_BAD;
  }
  if (Status s = job->policy->Check(*ip); !s.ok()) {
    job->response.abort = Response::Abort::kAddress;
    job->response.refused = s.message();
    return CURL_SOCKET_BAD;
  }
  ++*job->connections_opened;
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

std::string Detail(const Job& job, CURLcode code) {
  return job.error_buffer[0] != '\0' ? std::string(job.error_buffer) : curl_easy_strerror(code);
}

std::string Millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

}  // namespace

Status SetUpTransfer(Job* job, const FetcherConfig& config) {
  CURL* e = job->easy;
  curl_easy_reset(e);
  job->error_buffer[0] = '\0';
  job->response = Response{};
  job->result.body.clear();

  if (!job->literal_host) {
    // "+": an entry that expires from curl's DNS cache like a looked-up one (it is loaded
    // again at the start of every transfer), so a long crawl does not pile them up.
    std::string entry = "+" + job->target.host + ":" + std::to_string(job->target.port) + ":";
    for (size_t i = 0; i < job->addresses.size(); ++i) {
      entry += (i > 0 ? "," : "") + job->addresses[i].ToUrlHost();
    }
    job->resolve_list = curl_slist_append(nullptr, entry.c_str());
  }
  const std::string accept = job->request.accept.empty() ? config.accept : job->request.accept;
  job->header_list = curl_slist_append(nullptr, ("Accept: " + accept).c_str());
  if (!job->request.if_none_match.empty()) {
    job->header_list = curl_slist_append(job->header_list,
                                         ("If-None-Match: " + job->request.if_none_match).c_str());
  }
  if (!job->request.if_modified_since.empty()) {
    job->header_list = curl_slist_append(
        job->header_list, ("If-Modified-Since: " + job->request.if_modified_since).c_str());
  }

  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
  };
  set(CURLOPT_URL, job->target.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 0L);  // redirects are followed by the Fetcher, hop by hop
  set(CURLOPT_PROXY, "");           // never a proxy from the environment: it would resolve
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_USERAGENT, config.user_agent.c_str());
  set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl decodes: gzip, deflate, br, zstd
  set(CURLOPT_HTTP_VERSION, config.http2 ? static_cast<long>(CURL_HTTP_VERSION_2TLS)
                                         : static_cast<long>(CURL_HTTP_VERSION_1_1));
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) set(CURLOPT_CAINFO, config.ca_file.c_str());
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, job->timeout.count())));
  set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(job->body_cap));
  set(CURLOPT_WRITEFUNCTION, &OnBody);
  set(CURLOPT_WRITEDATA, static_cast<void*>(job));
  set(CURLOPT_HEADERFUNCTION, &OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(job));
  set(CURLOPT_NOPROGRESS, 0L);
  set(CURLOPT_XFERINFOFUNCTION, &OnProgress);
  set(CURLOPT_XFERINFODATA, static_cast<void*>(job));
  set(CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
  set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(job));
  if (job->resolve_list != nullptr) set(CURLOPT_RESOLVE, job->resolve_list);
  set(CURLOPT_HTTPHEADER, job->header_list);
  set(CURLOPT_PRIVATE, static_cast<void*>(job));
  set(CURLOPT_ERRORBUFFER, job->error_buffer);
  set(CURLOPT_PIPEWAIT, 1L);  // prefer another stream on an HTTP/2 connection to a new one
  if (rc != CURLE_OK) {
    return Internal(std::string("curl refused an option: ") + curl_easy_strerror(rc));
  }
  return Status::Ok();
}

void ReleaseTransferLists(Job* job) {
  curl_slist_free_all(job->resolve_list);
  curl_slist_free_all(job->header_list);
  job->resolve_list = nullptr;
  job->header_list = nullptr;
}

Outcome ClassifyTransfer(const Job& job, CURLcode code) {
  using Kind = Outcome::Kind;
  const Response& r = job.response;
  const std::string cap = std::to_string(job.body_cap) + " bytes";
  switch (r.abort) {
    case Response::Abort::kBody:
      return {Kind::kFailed, FetchError::kBodyTooLarge,
              TooLarge("the response body is larger than the limit of " + cap)};
    case Response::Abort::kDecoded:
      return {Kind::kFailed, FetchError::kDecodedTooLarge,
              TooLarge("the response body decompresses (" + r.content_encoding +
                       ") to more than the limit of " + cap)};
    case Response::Abort::kHeaders:
      return {Kind::kFailed, FetchError::kHeadersTooLarge,
              TooLarge("the response headers are larger than the limit of " +
                       std::to_string(job.header_cap) + " bytes")};
    case Response::Abort::kAddress:
      return {Kind::kFailed, FetchError::kRefused,
              PermissionDenied("refused to connect for " + job.target.url + ": " + r.refused)};
    case Response::Abort::kNone:
      break;
  }
  const std::string where = job.target.host;
  switch (code) {
    case CURLE_OK:
      return {};
    case CURLE_OPERATION_TIMEDOUT:
      return {Kind::kFailed, FetchError::kTimeout,
              Unavailable(where + " did not answer completely within " + Millis(job.timeout) +
                          " (" + Detail(job, code) + ")")};
    case CURLE_FILESIZE_EXCEEDED:
      return {Kind::kFailed, FetchError::kBodyTooLarge,
              TooLarge("the server announced a body larger than the limit of " + cap)};
    case CURLE_COULDNT_CONNECT:
      return {Kind::kRetryable, FetchError::kConnect,
              Unavailable("could not connect to " + where + ": " + Detail(job, code))};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {Kind::kFailed, FetchError::kDns,
              Unavailable("could not resolve " + where + ": " + Detail(job, code))};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return {Kind::kFailed, FetchError::kTls,
              Unavailable("the TLS connection to " + where + " failed: " + Detail(job, code))};
    case CURLE_BAD_CONTENT_ENCODING:
      return {Kind::kFailed, FetchError::kBadEncoding,
              Corrupt("the compressed body from " + where + " is damaged: " + Detail(job, code))};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return {Kind::kRetryable, FetchError::kNetwork,
              Unavailable("the connection to " + where + " broke: " + Detail(job, code))};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return {Kind::kFailed, FetchError::kInvalidUrl,
              InvalidArgument("curl cannot fetch " + job.target.url + ": " + Detail(job, code))};
    default:
      return {Kind::kFailed, FetchError::kNetwork,
              Unavailable("fetching from " + where + " failed: " + Detail(job, code))};
  }
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::chrono::milliseconds(999'999'999'000);  // years: too long
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto delta = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(delta));
}

}  // namespace takedown::fetch::internal
