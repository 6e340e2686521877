// The archive check: IMAP SEARCH HEADER Message-ID through libcurl's imap:// and imaps://.
#include <curl/curl.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "mail/mail.h"
#include "mail/mail_internal.h"

namespace takedown::notify {

namespace internal {

Result<ServiceUrl> CheckImapConfig(std::string_view what, const ImapConfig& config) {
  Result<ServiceUrl> parsed = ParseServiceUrl(what, config.url, {"imap", "imaps"});
  if (!parsed.ok()) return parsed.status();
  if (config.mailbox.empty() ||
      !std::all_of(config.mailbox.begin(), config.mailbox.end(),
                   [](char c) { return c >= ' ' && c <= '~' && c != '"' && c != '\\'; })) {
    return InvalidArgument("the " + std::string(what) + "'s name \"" + config.mailbox +
                           "\" must be printable ASCII without quotes or backslashes");
  }
  if (parsed->scheme == "imap" && !config.starttls_required && !config.username.empty() &&
      !IsLoopbackHost(parsed->host)) {
    return InvalidArgument("refusing IMAP without TLS to " + parsed->host +
                           " with a password: starttls_required may be off only on loopback");
  }
  return parsed;
}

CURLcode SetImapOptions(CURL* e, const ImapConfig& config, char* error) {
  const auto millis = [](std::chrono::milliseconds ms) {
    return static_cast<long>(std::max<int64_t>(1, ms.count()));
  };
  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
  };
  set(CURLOPT_PROTOCOLS_STR, "imap,imaps");
  set(CURLOPT_PROXY, "");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_USE_SSL,
      static_cast<long>(config.starttls_required ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) set(CURLOPT_CAINFO, config.ca_file.c_str());
  if (!config.username.empty()) {
    set(CURLOPT_USERNAME, config.username.c_str());
    set(CURLOPT_PASSWORD, config.password.c_str());
  }
  set(CURLOPT_CONNECTTIMEOUT_MS, millis(config.connect_timeout));
  set(CURLOPT_TIMEOUT_MS, millis(config.total_timeout));
  set(CURLOPT_ERRORBUFFER, error);
  return rc;
}

}  // namespace internal

namespace {

constexpr size_t kMaxAnswer = 1 << 20;  // a SEARCH answer of a million bytes is already absurd

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (out->size() + n > kMaxAnswer) return 0;  // ends the transfer: CURLE_WRITE_ERROR
  out->append(data, n);
  return n;
}

// Whether an untagged "* SEARCH 3 17" line names at least one message.
bool SearchFoundSome(std::string_view answer) {
  size_t start = 0;
  while (start < answer.size()) {
    size_t end = answer.find('\n', start);
    if (end == std::string_view::npos) end = answer.size();
    std::string_view line = answer.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    constexpr std::string_view kPrefix = "* SEARCH";
    if (line.size() < kPrefix.size()) continue;
    std::string head(line.substr(0, kPrefix.size()));
    for (char& ch : head) ch = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    if (head != kPrefix) continue;
    const std::string_view numbers = line.substr(kPrefix.size());
    if (std::any_of(numbers.begin(), numbers.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return true;
  }
  return false;
}

}  // namespace

Result<bool> ImapHasMessage(const ImapConfig& config, std::string_view message_id) {
  // The id goes into a quoted string: CheckMessageId allows neither '"' nor '\' nor CR/LF.
  if (Status s = internal::CheckMessageId("the Message-ID", message_id); !s.ok()) return s;
  Result<internal::ServiceUrl> parsed = internal::CheckImapConfig("archive mailbox", config);
  if (!parsed.ok()) return parsed.status();
  internal::CurlGlobalInit();
  internal::CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return Internal("curl_easy_init failed");
  CURL* e = curl.get();
  internal::CurlString mailbox(
      curl_easy_escape(e, config.mailbox.data(), static_cast<int>(config.mailbox.size())));
  if (mailbox == nullptr) return Internal("out of memory");
  const std::string base = internal::WithoutTrailingSlash(config.url);
  const std::string url = base + "/" + mailbox.get();
  const std::string command = "SEARCH HEADER Message-ID \"" + std::string(message_id) + "\"";
  std::string answer;
  char error[CURL_ERROR_SIZE] = {0};

  CURLcode rc = internal::SetImapOptions(e, config, error);
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
  };
  set(CURLOPT_URL, url.c_str());
  set(CURLOPT_CUSTOMREQUEST, command.c_str());
  set(CURLOPT_WRITEFUNCTION, &Collect);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&answer));
  if (rc != CURLE_OK) {
    return Internal(std::string("curl refused an IMAP option: ") + curl_easy_strerror(rc));
  }
  const CURLcode result = curl_easy_perform(e);
  if (result == CURLE_OK) return SearchFoundSome(answer);
  const std::string why = error[0] != '\0' ? error : curl_easy_strerror(result);
  const std::string where = "the archive mailbox " + base + "/" + config.mailbox;
  switch (result) {
    case CURLE_LOGIN_DENIED:
      return PermissionDenied(where + " refused the login of " + config.username + ": " + why);
    case CURLE_USE_SSL_FAILED:
      return Unavailable(where + " does not offer STARTTLS, and TLS is required: " + why);
    default:
      return Unavailable("could not search " + where + ": " + why);
  }
}

}  // namespace takedown::notify
