// How notices leave Takedown. A Courier sends a notice by its channel kind; MakeCourier builds the
// one the server uses, with one ChannelSender per domain::ChannelKind registered in courier.cc and
// nowhere else: email through an SMTP relay (mail/), a platform's notice API as a signed webhook,
// and the web form, which a caseworker submits (its sender only says so).
//
// Thread-safety: a Courier is safe to call from the worker threads that hold OutboxWorkers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "delivery/webhook.h"
#include "domain/entities.h"
#include "mail/mail.h"

namespace takedown::notify {

// What casework's outbox calls (casework::Courier is this).
class Courier {
 public:
  virtual ~Courier() = default;
  // Sends the notice by its channel to its address. kUnavailable for a failure worth retrying
  // (the relay is down, a 4xx reply); anything else is final. Sets *outcome_unknown when the
  // whole message went out but no answer came (it may have been accepted): the notice then stays
  // in sending and the retried job asks AlreadyDelivered.
  virtual Status Deliver(const domain::Notice& notice, bool* outcome_unknown) = 0;
  // After a crash mid-send: whether the notice already went out (found by its Message-ID).
  // kUnsupported when this courier cannot tell (no archive mailbox to search).
  virtual Result<bool> AlreadyDelivered(const domain::Notice& notice) = 0;
};

// The settings of every sender. The caller reads secrets (password files) and passes values.
struct DeliveryConfig {
  std::optional<SmtpConfig> smtp;     // no relay: an email notice fails with a sentence saying so
  std::optional<ImapConfig> archive;  // searched for a notice found in "sending" (needs smtp)
  WebhookConfig webhooks;
  std::map<std::string, std::string> webhook_secrets;  // notice API URL -> its shared secret
};

// The courier for `config`. Webhook signatures carry `clock`'s time (the server's one clock, so
// a manual clock in tests and simulations signs with the time it shows). InvalidArgument for
// settings that do not make sense (a relay without a From address, a secret under 16 bytes).
Result<std::unique_ptr<Courier>> MakeCourier(DeliveryConfig config, const Clock& clock);

}  // namespace takedown::notify
