// The mail and notice-API flags, turned into delivery's and mail's settings: the courier
// (delivery/courier.h, one sender per channel kind) and the reply mailbox (mail/inbound.h). Only
// configuration lives here; how a notice is sent is delivery's.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "casework/outbox.h"
#include "casework/replies.h"

namespace takedown::cli {

struct MailFlags {
  std::string smtp_url;  // smtp://host:587 (STARTTLS) or smtps://host:465
  std::string smtp_user;
  std::string smtp_password_file;    // read at start; never a flag value (ps would show it)
  bool smtp_plain_loopback = false;  // a relay on loopback without STARTTLS (a local MTA, tests)
  std::string mail_from, mail_from_name;
  std::string reply_domain;  // replies to notice+<token>@reply_domain
  std::string archive_bcc;   // every notice is BCC'd here ...
  std::string imap_url;      // ... and this mailbox is searched for it after a crash mid-send
  std::string imap_user, imap_password_file, imap_mailbox = "INBOX";
  bool imap_plain_loopback = false;  // IMAP on loopback without STARTTLS (tests)
  // Where mail to notice+<token>@reply_domain (and bounces) arrives, read every replies_every s.
  std::string replies_url;  // "imaps://host:993"; empty: replies are not read
  std::string replies_user, replies_password_file, replies_mailbox = "INBOX";
  int replies_every = 300;
  // Platforms' notice APIs ("api" channels): the shared secret of each endpoint, URL=FILE.
  std::vector<std::string> webhook_secrets;
  std::vector<std::string> webhook_allow;  // CIDR ranges let through although private (tests)
  bool webhook_allow_http = false;         // plain http:// endpoints (tests, an internal one)
};

void AddMailFlags(CLI::App* cmd, MailFlags* flags);

// The courier for `flags` (notify::MakeCourier), on the server's clock. kInvalidArgument for
// settings that do not make sense (a URL without a From address, an unreadable password file).
Result<std::unique_ptr<casework::Courier>> MakeCourier(const MailFlags& flags, const Clock& clock);

// The reply mailbox for `flags`, or nullptr when --replies-imap-url is not set.
Result<std::unique_ptr<casework::Mailbox>> MakeReplyMailbox(const MailFlags& flags);
// How replies are matched to notices and how often the mailbox is read.
casework::ReplySettings ReplySettingsOf(const MailFlags& flags);

}  // namespace takedown::cli
