// Signed webhooks: how a notice reaches a platform's notice API. The receiver's address is judged
// like the fetcher's (fetch/address_policy.h), the body is signed with HMAC-SHA256 over the
// timestamp and the body, and the Idempotency-Key lets the receiver drop repeats.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace takedown::notify {

// Settings shared by every webhook. Addresses are judged like the fetcher's
// (fetch/address_policy.h): loopback, private, link-local and other special ranges are refused
// unless allowed here.
struct WebhookConfig {
  std::vector<std::string> allowed_ranges;  // CIDR let through anyway (tests: "127.0.0.0/8")
  bool allow_http = false;                  // plain http:// (tests, an internal receiver)
  std::string ca_file;
  std::string user_agent = "TakedownNotify/0.1";
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  size_t max_reply_bytes = 64 * 1024;  // of the receiver's answer kept (the rest is dropped)
};

struct WebhookRequest {
  std::string url;
  std::string secret;           // the receiver's shared secret: the HMAC key (at least 16 bytes)
  std::string body;             // JSON, sent as it is
  std::string idempotency_key;  // "Idempotency-Key": the receiver drops repeats
};

struct WebhookReply {
  long http_status = 0;
  std::string body;  // at most max_reply_bytes
};

// "sha256=" + lowercase hex HMAC-SHA256(secret, "<timestamp>.<body>"): the X-Takedown-Signature
// header's value. Receivers recompute it and compare in constant time.
std::string WebhookSignature(std::string_view secret, int64_t timestamp_seconds,
                             std::string_view body);

// POSTs the body with Content-Type: application/json, X-Takedown-Timestamp (Unix seconds of
// `now`), X-Takedown-Signature and Idempotency-Key. Redirects are not followed. OK on a 2xx.
// Otherwise: PermissionDenied when the address is refused (no connection is made); Unavailable
// when the receiver cannot be reached, times out, or answers 408, 429 or 5xx; FailedPrecondition
// for any other answer (a redirect, 4xx); InvalidArgument for a bad URL or secret.
Status PostWebhook(const WebhookConfig& config, const WebhookRequest& request, UnixMillis now,
                   WebhookReply* reply = nullptr);

}  // namespace takedown::notify
