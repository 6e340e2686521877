// The rules every sender follows, written once: which key makes a notice's send idempotent, the
// Message-ID and the VERP bounce address made from it, the reply address, and the webhook's body.
// Pure functions of the notice and the settings.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::notify {

// The key a receiver drops repeats by (the webhook's Idempotency-Key) and the email's Message-ID
// is made from. A notice drafted without one still gets a stable key from its id.
std::string IdempotencyKeyOf(const domain::Notice& notice);

// "<key@domain of from_address>" for the notice's key (MessageIdForKey): what the archive is
// searched for and what replies' In-Reply-To and References lead back from.
Result<std::string> MessageIdOf(const domain::Notice& notice, std::string_view from_address);

// VERP: "bounce+<reply token>@<reply domain>", the envelope sender, so that a bounce comes back to
// an address that names the notice. Empty when either is empty (the From address is used then).
std::string BounceAddressOf(const domain::Notice& notice, std::string_view reply_domain);

// The JSON a platform's notice API receives. `reply_to` is the per-notice reply address, left out
// when empty; "reference" is domain::NoticeReference, the one the text and subject print.
std::string WebhookBodyOf(const domain::Notice& notice, std::string_view reply_to);

}  // namespace takedown::notify
