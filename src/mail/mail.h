// Mail: email built as MIME and sent through an SMTP relay (libcurl), and the archive check that
// lets the outbox send every notice at most once. (Webhooks are delivery/webhook.h.)
//
// The outbox contract (the caller's side, docs/delivery.md "Exactly once"): a notice is stored
// before it is sent; its idempotency key becomes the email's Message-ID (MessageIdForKey); the
// caller records "sending" before Send and "sent" after. A notice found in "sending" after a crash
// or an attempt whose outcome is unknown (SendDetails::outcome) is never sent again blindly:
// SendOnce asks the archive mailbox (which every message is BCC'd to, SmtpConfig::archive_bcc)
// whether a message with that Message-ID arrived, and sends only if none did.
//
// Everything here is a plain value or a function of its arguments, except SmtpSender, which is
// immutable after Create and safe to share between threads (each Send uses its own connection).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace takedown::notify {

// ---------------------------------------------------------------------------------------------
// Messages

// One email. Addresses are plain "local@domain" (ASCII; no display names, no comments); every
// header value is refused when it holds CR or LF (header injection), with a sentence naming it.
struct Email {
  // "<id-left@id-right>", exactly as it will be written: MessageIdForKey(notice key, from).
  std::string message_id;
  std::string from_address;      // empty: SmtpSender fills in SmtpConfig::from_address
  std::string from_name;         // UTF-8; empty: SmtpConfig::from_name (may stay empty)
  std::vector<std::string> to;   // one or more
  std::vector<std::string> cc;   // header and envelope
  std::vector<std::string> bcc;  // envelope only: never written into the message
  std::string reply_to;          // a per-notice address (SmtpSender::ReplyAddress); optional
  std::string in_reply_to;       // a Message-ID this one follows up (re-notices); optional
  std::string subject;           // UTF-8, one line
  std::string text;              // UTF-8, required: the text/plain part (LF or CRLF lines)
  std::string html;              // UTF-8, optional: the text/html alternative
  // More headers ("X-Takedown-Notice"). Names are field names (printable ASCII, no ':');
  // values are printable ASCII. The headers written here (From, To, Subject, Content-*, ...)
  // cannot be replaced this way.
  std::map<std::string, std::string> extra_headers;
  // The SMTP envelope sender (bounces go there); empty: the From address.
  std::string envelope_from;
};

// Checks what BuildMime checks, without building: OK or InvalidArgument naming the field.
Status ValidateEmail(const Email& email);

// The RFC 5322 message for `email`, dated `date` (written in UTC):
//  - headers Date, From, To, Cc, Reply-To, Subject, Message-ID, In-Reply-To and References,
//    MIME-Version, the extra headers; every line under 78 characters, folded with CRLF SP;
//  - a non-ASCII subject or display name as RFC 2047 encoded-words (UTF-8, base64), each a whole
//    number of characters;
//  - text only: one text/plain; charset=utf-8 part; text and html: multipart/alternative with
//    text/plain then text/html (the preferred one last);
//  - each part quoted-printable when it is mostly ASCII, base64 otherwise (lines of at most 76);
//  - CRLF line endings throughout; the text's own line ends (LF, CR, CRLF) become CRLF.
// Deterministic: the same email and date give the same bytes (the boundary comes from the
// Message-ID). InvalidArgument when ValidateEmail refuses the email.
Result<std::string> BuildMime(const Email& email, UnixMillis date);

// A valid Message-ID for an idempotency key: "<key@domain of from_address>". Letters, digits,
// '-' and '_' are kept; every other byte becomes "=XX", so different keys give different ids.
// InvalidArgument for an empty key or a from address without a domain.
Result<std::string> MessageIdForKey(std::string_view key, std::string_view from_address);

// The idempotency key a Message-ID of MessageIdForKey was made from, when its domain is `domain`
// (any case): what finds a notice from a reply's In-Reply-To. nullopt for any other id.
std::optional<std::string> KeyForMessageId(std::string_view message_id, std::string_view domain);

// RFC 2047 encoding of one unstructured header value (exposed for tests): ASCII text without
// "=?" stays as it is; anything else becomes UTF-8 base64 encoded-words of whole characters.
// `first_line_used` is how much of the first line the header name already takes ("Subject: ").
// Returns the folded value (lines joined with CRLF SP).
std::string EncodeHeaderText(std::string_view utf8, size_t first_line_used);

// ---------------------------------------------------------------------------------------------
// SMTP

struct SmtpConfig {
  // "smtp://host:port" (STARTTLS, usually port 587) or "smtps://host:port" (TLS from the start,
  // usually 465). No path: the EHLO name is helo_name.
  std::string url;
  std::string username, password;  // AUTH when username is set (after TLS)
  // smtp://: refuse to send unless the relay offers STARTTLS (CURLUSESSL_ALL). Off only for a
  // relay on loopback (a local Postfix, tests): with it off, TLS is still used when offered,
  // and credentials are refused for a host that is not loopback.
  bool starttls_required = true;
  std::string from_address;  // required: the From of every email that does not set its own
  std::string from_name;     // UTF-8 display name; optional
  // Replies to a notice go to "notice+<token>@reply_domain" (ReplyAddress); empty: no per-notice
  // reply address.
  std::string reply_domain;
  // Every message is also sent (envelope only) to this mailbox, which the exactly-once check
  // searches (ImapConfig). Empty: no archive copy, and SendOnce cannot resume a notice.
  std::string archive_bcc;
  std::string ca_file;    // PEM bundle to verify the relay with; empty: the system's
  std::string helo_name;  // empty: the domain of from_address
  std::chrono::milliseconds connect_timeout{10'000};
  // Longest wait for any one reply of the relay (the one after the message's end may be slow:
  // content filters run then).
  std::chrono::milliseconds response_timeout{120'000};
  std::chrono::milliseconds total_timeout{300'000};  // the whole conversation
};

// What became of one Send, for the outbox.
enum class SendOutcome {
  kAccepted,     // the relay answered 250 to the message's end: it is the relay's now
  kNotAccepted,  // certainly not accepted (refused, or failed before the message was complete)
  kUnknown,      // the whole message went out but no final answer came (timeout, reset): it may
                 // have been accepted. Keep the notice in "sending" and resume with SendOnce.
};

struct SendDetails {
  SendOutcome outcome = SendOutcome::kNotAccepted;
  int reply_code = 0;  // the relay's last reply code (250, 550, ...); 0 if none came
  std::string reply;   // the relay's last reply, its lines joined by spaces
};

// Sends email through one relay. Immutable after Create; Send is thread-safe (each call opens
// its own connection: notices are few, and a fresh connection per notice keeps a failure in one
// from touching another).
class SmtpSender {
 public:
  // InvalidArgument when the URL, the addresses or the settings do not make sense.
  static Result<SmtpSender> Create(SmtpConfig config);

  // Sends one email to its To, Cc and Bcc (and the archive). OK when the relay accepted it.
  // Otherwise:
  //  - Unavailable: the relay could not be reached, timed out or deferred (4xx): try later;
  //  - PermissionDenied: the relay refused the credentials;
  //  - FailedPrecondition: the relay refused the message or a recipient for good (5xx), or the
  //    connection could not be secured (no STARTTLS, a certificate that does not verify);
  //  - InvalidArgument: the email itself is malformed (ValidateEmail).
  // The message names the relay and quotes its reply. `details`, when given, says whether the
  // message may have been accepted anyway (SendOutcome::kUnknown).
  Status Send(const Email& email, SendDetails* details = nullptr) const;

  // The per-notice reply address "notice+<token>@reply_domain" for Email::reply_to. The token is
  // the caller's (a notice's reply token, kept with the notice): 1 to 48 letters, digits, '-' or
  // '_'. Empty when no reply_domain is configured or the token is not of that form (an empty
  // reply_to writes no Reply-To header).
  std::string ReplyAddress(std::string_view token) const;

  // The email as Send would write it (From filled in from the configuration).
  Email WithDefaults(Email email) const;

  const SmtpConfig& config() const { return config_; }

 private:
  explicit SmtpSender(SmtpConfig config) : config_(std::move(config)) {}
  SmtpConfig config_;
};

// ---------------------------------------------------------------------------------------------
// The archive check (IMAP)

// The mailbox that every message is BCC'd to (SmtpConfig::archive_bcc), or the relay's Sent
// folder where the provider files submitted mail there.
struct ImapConfig {
  std::string url;  // "imaps://host:993" or "imap://host:143" (STARTTLS)
  std::string username, password;
  std::string mailbox = "INBOX";  // ASCII name
  bool starttls_required = true;  // imap://: as SmtpConfig::starttls_required
  std::string ca_file;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
};

// Whether the mailbox holds a message whose Message-ID header is `message_id` ("<...>"), by
// IMAP SEARCH HEADER Message-ID. Unavailable when the server cannot be reached or searched,
// PermissionDenied when it refuses the login, InvalidArgument for a malformed id.
Result<bool> ImapHasMessage(const ImapConfig& config, std::string_view message_id);

enum class SendOnceResult {
  kSent,         // sent now
  kAlreadySent,  // resuming, and the archive already had it: not sent again
};

// The outbox's send: when `resuming` (the notice was found in "sending"), first asks the archive
// whether the message arrived and, if it did, returns kAlreadySent without sending. Otherwise
// sends. FailedPrecondition when resuming without an archive to ask; Unavailable when the
// archive cannot be asked now (nothing is sent then). Errors of Send come back as they are, and
// `details` is filled as Send fills it.
Result<SendOnceResult> SendOnce(const SmtpSender& sender, const ImapConfig* archive,
                                const Email& email, bool resuming, SendDetails* details = nullptr);

}  // namespace takedown::notify
