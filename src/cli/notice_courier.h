// How the server's job loop sends notices: a casework::Courier over notify's SMTP sender (and the
// archive mailbox it searches after a crash mid-send), configured by flags. Without a relay every
// email notice fails with a sentence saying so, instead of waiting forever.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "casework/outbox.h"

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
};

void AddMailFlags(CLI::App* cmd, MailFlags* flags);

// The courier for `flags`: kInvalidArgument for settings that do not make sense (a URL without
// a From address, an unreadable password file).
Result<std::unique_ptr<casework::Courier>> MakeCourier(const MailFlags& flags);

}  // namespace takedown::cli
