#include "cli/notice_courier.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "notify/delivery.h"

namespace takedown::cli {
namespace {

Result<std::string> ReadSecret(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read the password file " + path);
  std::stringstream s;
  s << in.rdbuf();
  std::string secret = s.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

class NoRelay : public casework::Courier {
 public:
  Status Deliver(const domain::Notice& notice, bool*) override {
    return FailedPrecondition("no SMTP relay is configured (--smtp-url): the " + notice.channel +
                              " notice to " + notice.address + " was not sent");
  }
  Result<bool> AlreadyDelivered(const domain::Notice&) override {
    return Unsupported("no SMTP relay is configured");
  }
};

class EmailCourier : public casework::Courier {
 public:
  EmailCourier(notify::SmtpSender sender, std::optional<notify::ImapConfig> archive)
      : sender_(std::move(sender)), archive_(std::move(archive)) {}

  Status Deliver(const domain::Notice& notice, bool* outcome_unknown) override {
    if (notice.channel != "email") {
      return Unsupported("sending by " + notice.channel + " is not set up on this server");
    }
    auto email = ToEmail(notice);
    if (!email.ok()) return email.status();
    notify::SendDetails details;
    const Status s = sender_.Send(*email, &details);
    *outcome_unknown = details.outcome == notify::SendOutcome::kUnknown;
    return s;
  }

  Result<bool> AlreadyDelivered(const domain::Notice& notice) override {
    if (!archive_) return Unsupported("no archive mailbox is configured (--imap-url)");
    auto id = notify::MessageIdForKey(IdempotencyKey(notice), sender_.config().from_address);
    if (!id.ok()) return id.status();
    return notify::ImapHasMessage(*archive_, *id);
  }

 private:
  // Notices drafted without a key still get a stable Message-ID from their id.
  static std::string IdempotencyKey(const domain::Notice& notice) {
    return notice.idempotency_key.empty() ? "notice-" + std::to_string(notice.id)
                                          : notice.idempotency_key;
  }

  Result<notify::Email> ToEmail(const domain::Notice& notice) const {
    notify::Email email;
    auto id = notify::MessageIdForKey(IdempotencyKey(notice), sender_.config().from_address);
    if (!id.ok()) return id.status();
    email.message_id = *id;
    email.to = {notice.address};
    email.subject = notice.subject;
    email.text = notice.body;
    email.html = notice.html;
    email.reply_to = sender_.ReplyAddress("n" + std::to_string(notice.id));
    email.extra_headers["X-Takedown-Notice"] = std::to_string(notice.id);
    return email;
  }

  notify::SmtpSender sender_;
  std::optional<notify::ImapConfig> archive_;
};

}  // namespace

void AddMailFlags(CLI::App* cmd, MailFlags* flags) {
  cmd->add_option("--smtp-url", flags->smtp_url,
                  "Relay for email notices: smtp://host:587 (STARTTLS) or smtps://host:465");
  cmd->add_option("--smtp-user", flags->smtp_user, "Relay login");
  cmd->add_option("--smtp-password-file", flags->smtp_password_file,
                  "File holding the relay password");
  cmd->add_flag("--smtp-plain-loopback", flags->smtp_plain_loopback,
                "Allow a relay on loopback without STARTTLS (a local MTA)");
  cmd->add_option("--mail-from", flags->mail_from, "From address of notices");
  cmd->add_option("--mail-from-name", flags->mail_from_name, "From name of notices");
  cmd->add_option("--reply-domain", flags->reply_domain,
                  "Replies to a notice go to notice+<token>@this domain");
  cmd->add_option("--archive-bcc", flags->archive_bcc,
                  "Mailbox every notice is BCC'd to, searched after a crash mid-send");
  cmd->add_option("--imap-url", flags->imap_url,
                  "IMAP address of the archive mailbox: imaps://host:993");
  cmd->add_option("--imap-user", flags->imap_user, "Archive mailbox login");
  cmd->add_option("--imap-password-file", flags->imap_password_file,
                  "File holding the archive mailbox password");
  cmd->add_option("--imap-mailbox", flags->imap_mailbox, "Archive folder")->capture_default_str();
}

Result<std::unique_ptr<casework::Courier>> MakeCourier(const MailFlags& flags) {
  if (flags.smtp_url.empty()) return std::unique_ptr<casework::Courier>(new NoRelay());
  notify::SmtpConfig smtp;
  smtp.url = flags.smtp_url;
  smtp.username = flags.smtp_user;
  auto password = ReadSecret(flags.smtp_password_file);
  if (!password.ok()) return password.status();
  smtp.password = *password;
  smtp.starttls_required = !flags.smtp_plain_loopback;
  smtp.from_address = flags.mail_from;
  smtp.from_name = flags.mail_from_name;
  smtp.reply_domain = flags.reply_domain;
  smtp.archive_bcc = flags.archive_bcc;
  auto sender = notify::SmtpSender::Create(smtp);
  if (!sender.ok()) return sender.status();
  std::optional<notify::ImapConfig> archive;
  if (!flags.imap_url.empty()) {
    archive.emplace();
    archive->url = flags.imap_url;
    archive->username = flags.imap_user;
    auto imap_password = ReadSecret(flags.imap_password_file);
    if (!imap_password.ok()) return imap_password.status();
    archive->password = *imap_password;
    archive->mailbox = flags.imap_mailbox;
  }
  return std::unique_ptr<casework::Courier>(
      new EmailCourier(std::move(*sender), std::move(archive)));
}

}  // namespace takedown::cli
