// The senders, one per channel kind, and the one place they are registered (MakeCourier).
#include "delivery/courier.h"

#include <utility>

#include "delivery/rules.h"

namespace takedown::notify {
namespace {

using domain::ChannelKind;

// One way of sending, for one channel kind.
class ChannelSender {
 public:
  virtual ~ChannelSender() = default;
  virtual Status Send(const domain::Notice& notice, bool* outcome_unknown) = 0;
  virtual Result<bool> AlreadySent(const domain::Notice& notice) = 0;
};

// Email through the relay; without one, a sentence instead of waiting forever. Shared with the
// API sender for the per-notice reply address.
class EmailSender : public ChannelSender {
 public:
  EmailSender(const std::optional<SmtpSender>& relay, std::optional<ImapConfig> archive)
      : relay_(relay), archive_(std::move(archive)) {}

  Status Send(const domain::Notice& notice, bool* outcome_unknown) override {
    if (!relay_) {
      return FailedPrecondition("no SMTP relay is configured (--smtp-url): the email notice to " +
                                notice.address + " was not sent");
    }
    auto email = ToEmail(notice);
    if (!email.ok()) return email.status();
    SendDetails details;
    const Status s = relay_->Send(*email, &details);
    *outcome_unknown = details.outcome == SendOutcome::kUnknown;
    return s;
  }

  Result<bool> AlreadySent(const domain::Notice& notice) override {
    if (!relay_) return Unsupported("no SMTP relay is configured");
    if (!archive_) return Unsupported("no archive mailbox is configured (--imap-url)");
    auto id = MessageIdOf(notice, relay_->config().from_address);
    if (!id.ok()) return id.status();
    return ImapHasMessage(*archive_, *id);
  }

 private:
  Result<Email> ToEmail(const domain::Notice& notice) const {
    Email email;
    auto id = MessageIdOf(notice, relay_->config().from_address);
    if (!id.ok()) return id.status();
    email.message_id = *id;
    email.to = {notice.address};
    email.subject = notice.subject;
    email.text = notice.body;
    email.html = notice.html;
    email.reply_to = relay_->ReplyAddress(notice.reply_token);
    if (!email.reply_to.empty()) {
      email.envelope_from = BounceAddressOf(notice, relay_->config().reply_domain);
    }
    email.extra_headers["X-Takedown-Notice"] = std::to_string(notice.id);
    return email;
  }

  const std::optional<SmtpSender>& relay_;  // the courier's, which outlives its senders
  std::optional<ImapConfig> archive_;
};

// A platform's notice API: the notice as a signed webhook to the endpoint that has a secret.
class ApiSender : public ChannelSender {
 public:
  ApiSender(const std::optional<SmtpSender>& relay, WebhookConfig config,
            std::map<std::string, std::string> secrets, const Clock& clock)
      : relay_(relay), config_(std::move(config)), secrets_(std::move(secrets)), clock_(clock) {}

  Status Send(const domain::Notice& notice, bool*) override {
    const auto secret = secrets_.find(notice.address);
    if (secret == secrets_.end()) {
      return FailedPrecondition("no secret is configured for the notice API " + notice.address +
                                " (--webhook-secret URL=FILE): the notice was not sent");
    }
    const std::string reply_to = relay_ ? relay_->ReplyAddress(notice.reply_token) : "";
    WebhookRequest request{notice.address, secret->second, WebhookBodyOf(notice, reply_to),
                           IdempotencyKeyOf(notice)};
    return PostWebhook(config_, request, clock_.Now());
  }

  // The platform drops a repeated Idempotency-Key: sending again is safe.
  Result<bool> AlreadySent(const domain::Notice&) override { return false; }

 private:
  const std::optional<SmtpSender>& relay_;
  WebhookConfig config_;
  std::map<std::string, std::string> secrets_;  // endpoint URL -> secret
  const Clock& clock_;
};

// A web form is filled in by a caseworker (casework never queues it): reaching here is a mistake
// that must not pass for a send.
class WebFormSender : public ChannelSender {
 public:
  Status Send(const domain::Notice& notice, bool*) override {
    return Unsupported("a web form notice is submitted by a caseworker, not sent: " +
                       notice.address);
  }
  Result<bool> AlreadySent(const domain::Notice&) override { return false; }
};

class ChannelCourier : public Courier {
 public:
  ChannelCourier(DeliveryConfig config, std::optional<SmtpSender> relay, const Clock& clock)
      : relay_(std::move(relay)) {
    // Every channel kind's sender, here and nowhere else.
    senders_[ChannelKind::kEmail] =
        std::make_unique<EmailSender>(relay_, std::move(config.archive));
    senders_[ChannelKind::kApi] = std::make_unique<ApiSender>(
        relay_, std::move(config.webhooks), std::move(config.webhook_secrets), clock);
    senders_[ChannelKind::kWebForm] = std::make_unique<WebFormSender>();
  }

  Status Deliver(const domain::Notice& notice, bool* outcome_unknown) override {
    bool unknown = false;
    const Status s = SenderOf(notice).Send(notice, &unknown);
    if (outcome_unknown != nullptr) *outcome_unknown = unknown;
    return s;
  }

  Result<bool> AlreadyDelivered(const domain::Notice& notice) override {
    return SenderOf(notice).AlreadySent(notice);
  }

 private:
  ChannelSender& SenderOf(const domain::Notice& notice) { return *senders_.at(notice.channel); }

  std::optional<SmtpSender> relay_;  // before senders_: they hold a reference to it
  std::map<ChannelKind, std::unique_ptr<ChannelSender>> senders_;
};

}  // namespace

Result<std::unique_ptr<Courier>> MakeCourier(DeliveryConfig config, const Clock& clock) {
  for (const auto& [url, secret] : config.webhook_secrets) {
    if (secret.size() < 16) {
      return InvalidArgument("the webhook secret of " + url + " is shorter than 16 bytes");
    }
  }
  std::optional<SmtpSender> relay;
  if (config.smtp) {
    auto created = SmtpSender::Create(*config.smtp);
    if (!created.ok()) return created.status();
    relay = std::move(*created);
  } else {
    config.archive.reset();  // nothing is sent by email, so nothing is searched for
  }
  return std::unique_ptr<Courier>(new ChannelCourier(std::move(config), std::move(relay), clock));
}

}  // namespace takedown::notify
