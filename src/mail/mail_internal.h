// Internal to mail/ (mime.cc, smtp.cc, imap.cc, inbound_*.cc) and delivery/webhook.cc, which
// shares the libcurl set-up (curl_global_init once per process): checks of header values and
// addresses. Not an API.
#pragma once

#include <curl/curl.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "mail/mail.h"

namespace takedown::notify::internal {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
  void operator()(char* p) const { curl_free(p); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, CurlDeleter>;
using UrlPtr = std::unique_ptr<CURLU, CurlDeleter>;
using CurlString = std::unique_ptr<char, CurlDeleter>;

// OK, or InvalidArgument naming `field` when `value` holds CR or LF ("could inject headers") or
// another control character (tab is allowed).
Status CheckHeaderValue(std::string_view field, std::string_view value);

// A plain "local@domain" address, ASCII: a dot-atom local part and a domain of letters, digits,
// '-' and dots. InvalidArgument naming `field` otherwise.
Status CheckAddress(std::string_view field, std::string_view address);

// "<id-left@id-right>", both dot-atoms, at most 250 bytes.
Status CheckMessageId(std::string_view field, std::string_view id);

// The part after the last '@' ("" when there is none).
std::string_view DomainOf(std::string_view address);

// True when `text` is well-formed UTF-8.
bool IsUtf8(std::string_view text);

// curl_global_init, once per process (thread-safe).
void CurlGlobalInit();

// A service URL's scheme and host ("smtps", "mail.example.org").
struct ServiceUrl {
  std::string scheme, host;
};

// Reads a relay's or a mailbox server's URL: one of `schemes`, a host, maybe a port, nothing else
// (no credentials, no path but "/"). InvalidArgument naming `what` otherwise.
Result<ServiceUrl> ParseServiceUrl(std::string_view what, const std::string& url,
                                   std::initializer_list<std::string_view> schemes);

// The URL without trailing slashes.
std::string WithoutTrailingSlash(std::string url);

// Whether a URL's host is a loopback address or "localhost".
bool IsLoopbackHost(std::string_view host);

// What every IMAP client here checks before connecting: an imap:// or imaps:// URL, a mailbox
// name of printable ASCII without quotes or backslashes (it is quoted into commands), and no
// password over plain imap:// unless STARTTLS is required or the host is loopback.
// InvalidArgument naming `what` ("archive mailbox") otherwise. (In imap.cc.)
Result<ServiceUrl> CheckImapConfig(std::string_view what, const ImapConfig& config);

// The options every IMAP transfer shares: imap/imaps only, no proxy, TLS as configured and
// verified, the credentials, the timeouts, `error` (CURL_ERROR_SIZE bytes) as the error buffer.
// The first code curl refuses an option with, or CURLE_OK. (In imap.cc.)
CURLcode SetImapOptions(CURL* curl, const ImapConfig& config, char* error);

}  // namespace takedown::notify::internal
