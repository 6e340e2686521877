#include "delivery/rules.h"

#include <nlohmann/json.hpp>

#include "mail/mail.h"

namespace takedown::notify {

std::string IdempotencyKeyOf(const domain::Notice& notice) {
  return notice.idempotency_key.empty() ? "notice-" + std::to_string(notice.id)
                                        : notice.idempotency_key;
}

Result<std::string> MessageIdOf(const domain::Notice& notice, std::string_view from_address) {
  return MessageIdForKey(IdempotencyKeyOf(notice), from_address);
}

std::string BounceAddressOf(const domain::Notice& notice, std::string_view reply_domain) {
  if (notice.reply_token.empty() || reply_domain.empty()) return "";
  return "bounce+" + notice.reply_token + "@" + std::string(reply_domain);
}

std::string WebhookBodyOf(const domain::Notice& notice, std::string_view reply_to) {
  nlohmann::json body = {{"notice", notice.id},
                         {"reference", domain::NoticeReference(notice)},
                         {"recipient", notice.recipient},
                         {"legal_basis", notice.legal_basis},
                         {"language", notice.language},
                         {"deadline_hours", notice.deadline_hours},
                         {"subject", notice.subject},
                         {"text", notice.body},
                         {"html", notice.html}};
  if (!reply_to.empty()) body["reply_to"] = std::string(reply_to);
  return body.dump();
}

}  // namespace takedown::notify
