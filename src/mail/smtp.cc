// SMTP delivery through libcurl's smtp:// and smtps://, with the message text from BuildMime
// uploaded as it is (see mime.cc for why the MIME text is built here rather than by curl_mime).
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "fetch/address_policy.h"
#include "mail/mail.h"
#include "mail/mail_internal.h"

namespace takedown::notify {
namespace internal {

void CurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  Result<std::optional<fetch::IpAddress>> address = fetch::ParseHostAddress(host);
  if (!address.ok() || !address->has_value()) return false;
  return fetch::ClassifyAddress(**address).kind == fetch::AddressKind::kLoopback;
}

Result<ServiceUrl> ParseServiceUrl(std::string_view what, const std::string& url,
                                   std::initializer_list<std::string_view> schemes) {
  UrlPtr u(curl_url());
  if (u == nullptr) return Internal("out of memory");
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument("the " + std::string(what) + " URL \"" + url + "\" cannot be read");
  }
  const auto part = [&](CURLUPart p) -> std::string {
    char* text = nullptr;
    if (curl_url_get(u.get(), p, &text, 0) != CURLUE_OK || text == nullptr) return "";
    CurlString owned(text);
    return text;
  };
  ServiceUrl parsed{part(CURLUPART_SCHEME), part(CURLUPART_HOST)};
  if (std::find(schemes.begin(), schemes.end(), parsed.scheme) == schemes.end()) {
    std::string list;
    for (std::string_view s : schemes) list += (list.empty() ? "" : " or ") + std::string(s);
    return InvalidArgument("the " + std::string(what) + " URL \"" + url + "\" must start with " +
                           list + "://");
  }
  const std::string path = part(CURLUPART_PATH);
  if (parsed.host.empty() || !part(CURLUPART_USER).empty() || !part(CURLUPART_PASSWORD).empty() ||
      !part(CURLUPART_QUERY).empty() || !part(CURLUPART_FRAGMENT).empty() ||
      (!path.empty() && path != "/")) {
    return InvalidArgument("the " + std::string(what) + " URL \"" + url +
                           "\" must be just scheme://host:port (credentials go in their own "
                           "settings)");
  }
  return parsed;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace internal

namespace {

using internal::CheckAddress;
using internal::CheckHeaderValue;
using internal::CurlPtr;
using internal::SlistPtr;

// What one Send saw: the upload's progress and the relay's replies.
struct Conversation {
  std::string_view message;
  size_t offset = 0;
  bool body_done = false;  // curl has read the whole message (its end is on the way)
  // The relay's last complete reply, and whether it came after the whole message was read.
  int reply_code = 0;
  std::string reply;
  bool reply_after_body = false;
  int end_reply_code = 0;    // the reply to the message's end (the first after body_done)
  std::string pending;       // lines of a multi-line reply so far
  std::string last_command;  // "RCPT TO:<x>", "AUTH": never a credential
  std::string replied_to;    // the command that `reply` answered
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* data) {
  auto* c = static_cast<Conversation*>(data);
  const size_t n = std::min(size * count, c->message.size() - c->offset);
  std::copy_n(c->message.data() + c->offset, n, buffer);
  c->offset += n;
  if (c->offset == c->message.size()) c->body_done = true;
  return n;
}

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  return line;
}

int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* c = static_cast<Conversation*>(user);
  std::string_view text(data, size);
  if (type == CURLINFO_HEADER_IN) {
    // Replies: "250-first line", "250 last line".
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = TrimLine(text.substr(start, end - start));
      start = end + 1;
      if (line.size() < 3 || !std::all_of(line.begin(), line.begin() + 3,
                                          [](char ch) { return ch >= '0' && ch <= '9'; }))
        continue;
      const std::string_view rest = line.size() > 4 ? line.substr(4) : std::string_view();
      if (!c->pending.empty()) c->pending += ' ';
      c->pending += rest;
      if (line.size() > 3 && line[3] == '-') continue;
      const int code = std::stoi(std::string(line.substr(0, 3)));
      if (c->body_done && c->end_reply_code == 0) c->end_reply_code = code;
      // An error stays the reply to report: curl's QUIT after it gets a 221 that says nothing.
      if (c->reply_code < 400 || code >= 400) {
        c->reply_code = code;
        c->reply = std::string(line.substr(0, 3)) + " " + c->pending;
        if (c->reply.size() > 500) c->reply.resize(500);
        c->reply_after_body = c->body_done;
        c->replied_to = c->last_command;
      }
      c->pending.clear();
    }
  } else if (type == CURLINFO_HEADER_OUT) {
    // Commands; SASL exchanges after AUTH are credentials and are never kept.
    const std::string_view line = TrimLine(text);
    static constexpr std::string_view kVerbs[] = {"EHLO", "HELO", "STARTTLS", "MAIL",
                                                  "RCPT", "DATA", "QUIT",     "RSET"};
    if (line.substr(0, 4) == "AUTH") {
      c->last_command = "AUTH";
    } else {
      for (std::string_view verb : kVerbs) {
        if (line.substr(0, verb.size()) == verb) c->last_command = std::string(line);
      }
    }
  }
  return 0;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

long Millis(std::chrono::milliseconds ms) {
  return static_cast<long>(std::max<int64_t>(1, ms.count()));
}

}  // namespace

Result<SmtpSender> SmtpSender::Create(SmtpConfig config) {
  Result<internal::ServiceUrl> url =
      internal::ParseServiceUrl("SMTP relay", config.url, {"smtp", "smtps"});
  if (!url.ok()) return url.status();
  config.url = internal::WithoutTrailingSlash(config.url);
  if (Status s = CheckAddress("the From address", config.from_address); !s.ok()) return s;
  if (Status s = CheckHeaderValue("the From name", config.from_name); !s.ok()) return s;
  if (!internal::IsUtf8(config.from_name)) {
    return InvalidArgument("the From name is not valid UTF-8");
  }
  if (!config.reply_domain.empty()) {
    if (Status s = CheckAddress("the reply domain", "notice@" + config.reply_domain); !s.ok()) {
      return InvalidArgument("the reply domain \"" + config.reply_domain +
                             "\" is not a domain name");
    }
  }
  if (!config.archive_bcc.empty()) {
    if (Status s = CheckAddress("the archive address", config.archive_bcc); !s.ok()) return s;
  }
  if (config.helo_name.empty())
    config.helo_name = std::string(internal::DomainOf(config.from_address));
  if (Status s = CheckAddress("the EHLO name", "x@" + config.helo_name); !s.ok()) {
    return InvalidArgument("the EHLO name \"" + config.helo_name + "\" is not a domain name");
  }
  if (Status s = CheckHeaderValue("the SMTP user name", config.username); !s.ok()) return s;
  if (Status s = CheckHeaderValue("the SMTP password", config.password); !s.ok()) return s;
  if (url->scheme == "smtp" && !config.starttls_required && !config.username.empty() &&
      !internal::IsLoopbackHost(url->host)) {
    return InvalidArgument("refusing to allow SMTP without TLS to " + url->host +
                           " with a password: starttls_required may be off only for a relay "
                           "on loopback");
  }
  if (config.connect_timeout.count() <= 0 || config.response_timeout.count() <= 0 ||
      config.total_timeout.count() <= 0) {
    return InvalidArgument("the SMTP timeouts must be positive");
  }
  internal::CurlGlobalInit();
  return SmtpSender(std::move(config));
}

std::string SmtpSender::ReplyAddress(std::string_view token) const {
  const bool ok =
      !token.empty() && token.size() <= 48 && std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
      });
  if (config_.reply_domain.empty() || !ok) return "";
  return "notice+" + std::string(token) + "@" + config_.reply_domain;
}

Email SmtpSender::WithDefaults(Email email) const {
  if (email.from_address.empty()) {
    email.from_address = config_.from_address;
    if (email.from_name.empty()) email.from_name = config_.from_name;
  }
  return email;
}

Status SmtpSender::Send(const Email& original, SendDetails* details) const {
  SendDetails local;
  SendDetails& d = details != nullptr ? *details : local;
  d = SendDetails{};
  const Email email = WithDefaults(original);
  const UnixMillis now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  Result<std::string> message = BuildMime(email, now);
  if (!message.ok()) return message.status();

  // Every recipient once (addresses compare without case here: a relay would deliver twice).
  SlistPtr recipients;
  std::set<std::string> seen;
  const auto add = [&](const std::string& address) {
    if (!seen.insert(Lowercase(address)).second) return;
    recipients.reset(curl_slist_append(recipients.release(), ("<" + address + ">").c_str()));
  };
  for (const auto& list : {email.to, email.cc, email.bcc}) {
    for (const std::string& a : list) add(a);
  }
  if (!config_.archive_bcc.empty()) add(config_.archive_bcc);
  if (recipients == nullptr) return Internal("out of memory");

  CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return Internal("curl_easy_init failed");
  CURL* e = curl.get();
  Conversation c;
  c.message = *message;
  char error[CURL_ERROR_SIZE] = {0};
  const std::string url = config_.url + "/" + config_.helo_name;
  const std::string sender =
      "<" + (email.envelope_from.empty() ? email.from_address : email.envelope_from) + ">";

  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
  };
  set(CURLOPT_URL, url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  set(CURLOPT_PROXY, "");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_MAIL_FROM, sender.c_str());
  set(CURLOPT_MAIL_RCPT, recipients.get());
  set(CURLOPT_UPLOAD, 1L);
  set(CURLOPT_READFUNCTION, &ReadMessage);
  set(CURLOPT_READDATA, static_cast<void*>(&c));
  set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message->size()));
  set(CURLOPT_USE_SSL,
      static_cast<long>(config_.starttls_required ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config_.ca_file.empty()) set(CURLOPT_CAINFO, config_.ca_file.c_str());
  if (!config_.username.empty()) {
    set(CURLOPT_USERNAME, config_.username.c_str());
    set(CURLOPT_PASSWORD, config_.password.c_str());
  }
  set(CURLOPT_CONNECTTIMEOUT_MS, Millis(config_.connect_timeout));
  set(CURLOPT_SERVER_RESPONSE_TIMEOUT,
      std::max<long>(1, static_cast<long>(config_.response_timeout.count() / 1000)));
  set(CURLOPT_TIMEOUT_MS, Millis(config_.total_timeout));
  set(CURLOPT_ERRORBUFFER, error);
  set(CURLOPT_VERBOSE, 1L);  // for OnDebug: the relay's replies, to quote them in errors
  set(CURLOPT_DEBUGFUNCTION, &OnDebug);
  set(CURLOPT_DEBUGDATA, static_cast<void*>(&c));
  if (rc != CURLE_OK) {
    return Internal(std::string("curl refused an SMTP option: ") + curl_easy_strerror(rc));
  }

  const CURLcode result = curl_easy_perform(e);
  d.reply_code = c.reply_code;
  d.reply = c.reply;
  if (result == CURLE_OK) {
    d.outcome = SendOutcome::kAccepted;
    return Status::Ok();
  }
  const std::string relay = "the SMTP relay " + config_.url;
  const std::string curl_error = error[0] != '\0' ? error : curl_easy_strerror(result);
  if (c.end_reply_code == 250) {
    // Accepted; what failed came after (QUIT): the message is the relay's.
    d.outcome = SendOutcome::kAccepted;
    return Status::Ok();
  }
  const bool refused_at_end = c.end_reply_code >= 400;
  if (c.body_done && !refused_at_end) {
    d.outcome = SendOutcome::kUnknown;
    return Unavailable(relay + " gave no final answer after the whole message was sent (" +
                       curl_error + "): it may have been accepted, so check the archive for " +
                       email.message_id + " before sending it again");
  }
  d.outcome = SendOutcome::kNotAccepted;
  // After DATA's 354 the reply is to the message itself.
  const std::string command =
      c.replied_to.empty() || c.reply_after_body ? "the message" : c.replied_to;
  switch (result) {
    case CURLE_LOGIN_DENIED:
      return PermissionDenied(relay + " refused the login of " + config_.username + ": " +
                              (c.reply.empty() ? curl_error : c.reply));
    case CURLE_USE_SSL_FAILED:
      return FailedPrecondition(relay +
                                " does not offer STARTTLS, and TLS is required "
                                "(starttls_required): nothing was sent");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return FailedPrecondition(relay + " could not be verified over TLS: " + curl_error);
    default:
      break;
  }
  if (c.reply_code >= 500) {
    return FailedPrecondition(relay + " refused " + command + ": " + c.reply);
  }
  if (c.reply_code >= 400) {
    return Unavailable(relay + " deferred " + command + " (try again later): " + c.reply);
  }
  return Unavailable("could not deliver to " + relay + ": " + curl_error);
}

Result<SendOnceResult> SendOnce(const SmtpSender& sender, const ImapConfig* archive,
                                const Email& email, bool resuming, SendDetails* details) {
  if (resuming) {
    if (archive == nullptr) {
      return FailedPrecondition(
          "the notice " + email.message_id +
          " was left half-sent (the process stopped, or the relay's answer was lost), and no "
          "archive mailbox is configured to check whether it went out: a person must look in "
          "the sent mail before it is sent again");
    }
    Result<bool> found = ImapHasMessage(*archive, email.message_id);
    if (!found.ok()) {
      return Unavailable(
          "could not check the archive mailbox for " + email.message_id +
          " before sending it again, so it was not sent: " + found.status().message());
    }
    if (*found) {
      if (details != nullptr) *details = SendDetails{SendOutcome::kAccepted, 0, ""};
      return SendOnceResult::kAlreadySent;
    }
  }
  if (Status s = sender.Send(email, details); !s.ok()) return s;
  return SendOnceResult::kSent;
}

}  // namespace takedown::notify
