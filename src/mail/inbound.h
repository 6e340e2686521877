// Replies to notices: reading new messages from the reply mailbox over IMAP (libcurl) and parsing
// each one into what casework needs: who wrote, to which per-notice address, in reply to which
// Message-ID, the text, and whether a person wrote it or a machine (an auto-reply, a bounce).
//
// Parsing uses GMime 3 (Debian's libgmime-3.0): MIME structure, transfer encodings, charsets
// (Big5, GBK, ISO-8859-x, ...) and RFC 2047 encoded-words are what a mail library does well and
// what hand-written code gets wrong on real mail. An HTML-only body is reduced to text with
// libxml2's HTML parser.
//
// Everything here is a plain value or a function of its arguments; every function is safe to
// call from many threads at once (each FetchNewMessages uses its own connection).
//
// How a message is classified (the first rule that holds wins; bounces before auto-replies):
//  bounce:
//   - Content-Type multipart/report with report-type=delivery-status or global-delivery-status
//     (RFC 3464, RFC 6522, RFC 6533): the standard non-delivery report;
//   - From a MAILER-DAEMON or postmaster address, with a message/delivery-status part anywhere
//     (MTAs that wrap the report in multipart/mixed).
//  auto_reply:
//   - Auto-Submitted with any value but "no" (RFC 3834 section 5): vacation responders, Gmail,
//     Exchange and ticketing acknowledgements set it;
//   - X-Autoreply (Gmail's vacation responder sends "yes"), X-Autorespond (cPanel, BoxTrapper);
//   - Precedence or X-Precedence "auto_reply" (cPanel, BoxTrapper). "bulk", "junk" and "list"
//     are NOT used: Gmail's vacation reply carries "bulk" but also Auto-Submitted, while mailing
//     lists and the helpdesk software that platforms answer notices with set them on mail that
//     a person wrote;
//   - X-MS-Exchange-Generated-Message-Source or X-MS-Exchange-Inbox-Rules-Loop: Exchange Online
//     sets them on what its mailbox assistants generate (automatic replies, rule-made mail);
//   - a subject that starts with "Automatic reply:", "Auto:", "Autoreply:", "Auto-Reply:",
//     "Out of Office" (followed by ':', a space or nothing), "自動回覆", "自动回复" or
//     "Balasan automatik" (Outlook's prefixes in English, Chinese and Malay): Exchange servers
//     that set no header. Only the start of the subject counts, so "Re: <our notice>" with any
//     words later never matches.
//  X-Auto-Response-Suppress is deliberately ignored: it asks the receiver not to auto-reply, and
//  Outlook, Exchange, newsletters and helpdesks put it on ordinary mail that people wrote
//  (MS-OXCMAIL 2.1.3.2.20; helpdesks that filtered on it lost real replies). The body is never
//  looked at: a person's reply quotes our notice, and "we have removed the content" is exactly
//  the answer that must stay human.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "mail/mail.h"

namespace takedown::notify {

enum class ReplyKind { kHuman, kAutoReply, kBounce };

// "human", "auto_reply", "bounce".
std::string_view ReplyKindName(ReplyKind kind);

// One received message, as casework sees it. Every string is valid UTF-8.
struct InboundMessage {
  uint32_t uid = 0;                     // IMAP UID (0 when parsed from bytes)
  std::string message_id;               // "<...>" or ""
  std::string in_reply_to;              // "<...>" or ""
  std::vector<std::string> references;  // "<...>" each, oldest first
  std::string from_address, from_name;  // the first From mailbox; the name decoded
  // Lower-cased addresses, each once: Delivered-To and X-Original-To first (the envelope
  // recipient, written by the receiving server), then To and Cc.
  std::vector<std::string> recipients;
  std::string subject;  // RFC 2047 decoded
  UnixMillis date = 0;  // the Date header; 0 when absent or unreadable
  // The first text/plain part that is not an attachment, else the first text/html part reduced
  // to text; converted from its charset. Attached messages (a forwarded mail, a bounce's copy of
  // our notice) are not searched. At most max_text_bytes, cut on a character boundary.
  std::string text;
  bool truncated = false;  // `text` was cut
  // A bounce's copy of the returned message (message/rfc822 or text/rfc822-headers): its
  // Message-ID, "<...>" or "". The notice a bounce is about, when no reply address says it.
  std::string bounced_message_id;
  ReplyKind kind = ReplyKind::kHuman;
  // Why, quoting what decided: "Auto-Submitted: auto-replied",
  // "multipart/report delivery-status", "subject: Automatic reply:". Empty for kHuman.
  std::string kind_reason;
};

// Parses one RFC 5322 message. Never crashes on hostile input (fuzz_mail). InvalidArgument with
// a sentence when the bytes are not a message (no From, To, Subject, Date or Message-ID
// header); TooLarge above max_message_bytes.
Result<InboundMessage> ParseMessage(std::string_view rfc822, size_t max_text_bytes = 64 * 1024,
                                    size_t max_message_bytes = 10 * 1024 * 1024);

// The token of a per-notice address among the recipients: "notice+<token>@<reply_domain>"
// (SmtpSender::ReplyAddress) or the VERP bounce address "bounce+<token>@<reply_domain>", with
// the domain compared without case; "" when there is none. The first such recipient wins (the
// envelope's). The token comes back lower-cased, because recipients are: mail systems may change
// the case of a local part, so tokens must be issued, and compared, in lower case.
std::string ReplyToken(const InboundMessage& message, std::string_view reply_domain);

// A batch of new messages from the reply mailbox.
struct MailboxBatch {
  uint32_t uidvalidity = 0;  // the mailbox's, to pass back next time
  // The highest UID this batch dealt with (fetched or skipped); pass it back as after_uid.
  // after_uid when there was nothing new (0 after a UIDVALIDITY change).
  uint32_t last_uid = 0;
  std::vector<InboundMessage> messages;  // oldest first, `uid` set
  // One sentence per message left out, which will not be offered again:
  // "uid 17: 12582912 bytes, over the limit of 10485760".
  std::vector<std::string> skipped;
  bool more = false;  // more new messages wait: call again with last_uid
};

// The messages with UID > after_uid, oldest first, at most max_messages. When the mailbox's
// UIDVALIDITY is not `uidvalidity` (and `uidvalidity` is not 0) the UIDs were renumbered, so it
// starts from the beginning. Read-only: the mailbox is opened with EXAMINE, so no flag (\Seen
// included) changes. A message over max_message_bytes is not downloaded (or, where the server
// understated its size, the download stops at the limit), and one that does not parse is
// listed in `skipped` too. Unavailable when the server cannot be reached or answers wrongly
// (nothing of the batch is returned then), PermissionDenied when it refuses the login, NotFound
// when the mailbox cannot be opened, InvalidArgument for a bad config (the rules of
// ImapHasMessage). Each command is bounded by config.total_timeout.
Result<MailboxBatch> FetchNewMessages(const ImapConfig& config, uint32_t uidvalidity,
                                      uint32_t after_uid, size_t max_messages = 50,
                                      size_t max_message_bytes = 10 * 1024 * 1024);

// Where replies are read from: an IMAP mailbox in the server, scripted in tests (casework's
// ReplyReader reads it; casework::Mailbox is this).
class Mailbox {
 public:
  virtual ~Mailbox() = default;
  // A name that identifies the mailbox across restarts (where the reader stopped is kept by it).
  virtual std::string Name() const = 0;
  // New messages after `after_uid` (FetchNewMessages).
  virtual Result<MailboxBatch> Fetch(uint32_t uidvalidity, uint32_t after_uid) = 0;
};

// The mailbox at `config` ("<url>/<mailbox>" is its name), read with FetchNewMessages.
std::unique_ptr<Mailbox> MakeImapMailbox(ImapConfig config);

}  // namespace takedown::notify
