#include "cli/notice_courier.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "notify/delivery.h"
#include "notify/inbound.h"

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

// Email through the relay, "api" channels as signed webhooks; without a relay an email notice
// fails with a sentence saying so, instead of waiting forever.
class NoticeCourier : public casework::Courier {
 public:
  NoticeCourier(std::optional<notify::SmtpSender> sender, std::optional<notify::ImapConfig> archive,
                notify::WebhookConfig webhooks, std::map<std::string, std::string> webhook_secrets)
      : sender_(std::move(sender)),
        archive_(std::move(archive)),
        webhooks_(std::move(webhooks)),
        webhook_secrets_(std::move(webhook_secrets)) {}

  Status Deliver(const domain::Notice& notice, bool* outcome_unknown) override {
    if (notice.channel == "api" || notice.channel == "webhook") return Post(notice);
    if (notice.channel != "email") {
      return Unsupported("sending by " + notice.channel + " is not set up on this server");
    }
    if (!sender_) {
      return FailedPrecondition("no SMTP relay is configured (--smtp-url): the email notice to " +
                                notice.address + " was not sent");
    }
    auto email = ToEmail(notice);
    if (!email.ok()) return email.status();
    notify::SendDetails details;
    const Status s = sender_->Send(*email, &details);
    *outcome_unknown = details.outcome == notify::SendOutcome::kUnknown;
    return s;
  }

  Result<bool> AlreadyDelivered(const domain::Notice& notice) override {
    // A platform's API drops a repeated Idempotency-Key: sending again is safe.
    if (notice.channel == "api" || notice.channel == "webhook") return false;
    if (!sender_) return Unsupported("no SMTP relay is configured");
    if (!archive_) return Unsupported("no archive mailbox is configured (--imap-url)");
    auto id = notify::MessageIdForKey(IdempotencyKey(notice), sender_->config().from_address);
    if (!id.ok()) return id.status();
    return notify::ImapHasMessage(*archive_, *id);
  }

 private:
  // Notices drafted without a key still get a stable Message-ID from their id.
  static std::string IdempotencyKey(const domain::Notice& notice) {
    return notice.idempotency_key.empty() ? "notice-" + std::to_string(notice.id)
                                          : notice.idempotency_key;
  }

  Status Post(const domain::Notice& notice) const {
    const auto secret = webhook_secrets_.find(notice.address);
    if (secret == webhook_secrets_.end()) {
      return FailedPrecondition("no secret is configured for the notice API " + notice.address +
                                " (--webhook-secret URL=FILE): the notice was not sent");
    }
    nlohmann::json body = {
        {"notice", notice.id},
        {"reference", "N" + std::to_string(notice.case_id) + "-" + std::to_string(notice.id)},
        {"recipient", notice.recipient},
        {"legal_basis", notice.legal_basis},
        {"language", notice.language},
        {"deadline_hours", notice.deadline_hours},
        {"subject", notice.subject},
        {"text", notice.body},
        {"html", notice.html}};
    if (sender_) {
      const std::string reply_to = sender_->ReplyAddress(notice.reply_token);
      if (!reply_to.empty()) body["reply_to"] = reply_to;
    }
    notify::WebhookRequest request{notice.address, secret->second, body.dump(),
                                   IdempotencyKey(notice)};
    return notify::PostWebhook(webhooks_, request, clock_.Now());
  }

  Result<notify::Email> ToEmail(const domain::Notice& notice) const {
    notify::Email email;
    auto id = notify::MessageIdForKey(IdempotencyKey(notice), sender_->config().from_address);
    if (!id.ok()) return id.status();
    email.message_id = *id;
    email.to = {notice.address};
    email.subject = notice.subject;
    email.text = notice.body;
    email.html = notice.html;
    email.reply_to = sender_->ReplyAddress(notice.reply_token);
    // VERP: a bounce comes back to an address that names the notice.
    if (!email.reply_to.empty()) {
      email.envelope_from = "bounce+" + notice.reply_token + "@" + sender_->config().reply_domain;
    }
    email.extra_headers["X-Takedown-Notice"] = std::to_string(notice.id);
    return email;
  }

  std::optional<notify::SmtpSender> sender_;
  std::optional<notify::ImapConfig> archive_;
  notify::WebhookConfig webhooks_;
  std::map<std::string, std::string> webhook_secrets_;  // endpoint URL -> secret
  SystemClock clock_;  // webhook signatures carry the real time, whatever the server's clock
};

class ImapReplyMailbox : public casework::Mailbox {
 public:
  explicit ImapReplyMailbox(notify::ImapConfig config) : config_(std::move(config)) {}
  std::string Name() const override { return config_.url + "/" + config_.mailbox; }
  Result<notify::MailboxBatch> Fetch(uint32_t uidvalidity, uint32_t after_uid) override {
    return notify::FetchNewMessages(config_, uidvalidity, after_uid);
  }

 private:
  notify::ImapConfig config_;
};

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

Result<std::unique_ptr<casework::Courier>> MakeCourier(const MailFlags& flags) {
  notify::WebhookConfig webhooks;
  webhooks.allowed_ranges = flags.webhook_allow;
  webhooks.allow_http = flags.webhook_allow_http;
  std::map<std::string, std::string> secrets;
  for (const std::string& entry : flags.webhook_secrets) {
    const auto eq = entry.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
      return InvalidArgument("--webhook-secret takes URL=FILE, not \"" + entry + "\"");
    }
    auto secret = ReadSecret(entry.substr(eq + 1));
    if (!secret.ok()) return secret.status();
    if (secret->size() < 16) {
      return InvalidArgument("the webhook secret in " + entry.substr(eq + 1) +
                             " is shorter than 16 bytes");
    }
    secrets[entry.substr(0, eq)] = *secret;
  }
  std::optional<notify::SmtpSender> sender;
  std::optional<notify::ImapConfig> archive;
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
    auto created = notify::SmtpSender::Create(smtp);
    if (!created.ok()) return created.status();
    sender = std::move(*created);
    if (!flags.imap_url.empty()) {
      auto config = ImapConfigOf(flags.imap_url, flags.imap_user, flags.imap_password_file,
                                 flags.imap_mailbox, flags.imap_plain_loopback);
      if (!config.ok()) return config.status();
      archive = std::move(*config);
    }
  }
  return std::unique_ptr<casework::Courier>(new NoticeCourier(
      std::move(sender), std::move(archive), std::move(webhooks), std::move(secrets)));
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
  return std::unique_ptr<casework::Mailbox>(new ImapReplyMailbox(std::move(*config)));
}

casework::ReplySettings ReplySettingsOf(const MailFlags& flags) {
  return {flags.reply_domain, DomainOf(flags.mail_from), std::chrono::seconds(flags.replies_every)};
}

}  // namespace takedown::cli
