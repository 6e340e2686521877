#include "cli/notice_courier.h"

#include <fstream>
#include <map>
#include <sstream>

#include "delivery/courier.h"
#include "mail/inbound.h"

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

Result<notify::ImapConfig> ImapConfigOf(const std::string& url, const std::string& user,
                                        const std::string& password_file,
                                        const std::string& mailbox, bool plain_loopback) {
  notify::ImapConfig config;
  config.url = url;
  config.username = user;
  auto password = ReadSecret(password_file);
  if (!password.ok()) return password.status();
  config.password = *password;
  config.mailbox = mailbox;
  config.starttls_required = !plain_loopback;
  return config;
}

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "" : address.substr(at + 1);
}

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
  cmd->add_flag("--imap-plain-loopback", flags->imap_plain_loopback,
                "Allow IMAP on loopback without STARTTLS (a local server)");
  cmd->add_option("--webhook-secret", flags->webhook_secrets,
                  "URL=FILE: the shared secret of a platform's notice API (an \"api\" channel "
                  "in platforms.toml); repeatable");
  cmd->add_option("--webhook-allow", flags->webhook_allow,
                  "Address ranges (CIDR) notice APIs may be at although private; repeatable");
  cmd->add_flag("--webhook-allow-http", flags->webhook_allow_http,
                "Allow notice APIs over plain http:// (an internal endpoint, tests)");
  cmd->add_option("--replies-imap-url", flags->replies_url,
                  "IMAP mailbox that replies to notices arrive in: imaps://host:993");
  cmd->add_option("--replies-imap-user", flags->replies_user, "Reply mailbox login");
  cmd->add_option("--replies-imap-password-file", flags->replies_password_file,
                  "File holding the reply mailbox password");
  cmd->add_option("--replies-mailbox", flags->replies_mailbox, "Reply folder")
      ->capture_default_str();
  cmd->add_option("--replies-every", flags->replies_every, "Seconds between reads of the replies")
      ->check(CLI::Range(5, 86400))
      ->capture_default_str();
}

Result<std::unique_ptr<casework::Courier>> MakeCourier(const MailFlags& flags, const Clock& clock) {
  notify::DeliveryConfig config;
  config.webhooks.allowed_ranges = flags.webhook_allow;
  config.webhooks.allow_http = flags.webhook_allow_http;
  for (const std::string& entry : flags.webhook_secrets) {
    const auto eq = entry.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
      return InvalidArgument("--webhook-secret takes URL=FILE, not \"" + entry + "\"");
    }
    auto secret = ReadSecret(entry.substr(eq + 1));
    if (!secret.ok()) return secret.status();
    config.webhook_secrets[entry.substr(0, eq)] = *secret;
  }
  if (!flags.smtp_url.empty()) {
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
    config.smtp = std::move(smtp);
    if (!flags.imap_url.empty()) {
      auto archive = ImapConfigOf(flags.imap_url, flags.imap_user, flags.imap_password_file,
                                  flags.imap_mailbox, flags.imap_plain_loopback);
      if (!archive.ok()) return archive.status();
      config.archive = std::move(*archive);
    }
  }
  return notify::MakeCourier(std::move(config), clock);
}

}  // namespace takedown::cli

namespace takedown::cli {

Result<std::unique_ptr<casework::Mailbox>> MakeReplyMailbox(const MailFlags& flags) {
  if (flags.replies_url.empty()) return std::unique_ptr<casework::Mailbox>();
  if (flags.reply_domain.empty() || flags.mail_from.empty()) {
    return InvalidArgument(
        "reading replies (--replies-imap-url) needs --reply-domain and --mail-from, which "
        "tell which notice a reply answers");
  }
  auto config = ImapConfigOf(flags.replies_url, flags.replies_user, flags.replies_password_file,
                             flags.replies_mailbox, flags.imap_plain_loopback);
  if (!config.ok()) return config.status();
  return notify::MakeImapMailbox(std::move(*config));
}

casework::ReplySettings ReplySettingsOf(const MailFlags& flags) {
  return {flags.reply_domain, DomainOf(flags.mail_from), std::chrono::seconds(flags.replies_every)};
}

}  // namespace takedown::cli
