// Answers to attempts at a secret (a PIN, a password) or a limited action (a report): how many
// tries are left and how long to wait, for the pages to say in words.
#include "http/internal.h"

namespace takedown::http::internal {

json NextTryJson(const Server& s, const casework::NextTry& next) {
  const UnixMillis wait = next.at - s.clock.Now();
  return {{"tries_left", next.tries_left},
          {"retry_after_seconds", wait > 0 ? (wait + 999) / 1000 : 0}};
}

void ReplyAttemptError(const Server& s, httplib::Response& res, const Status& status,
                       const casework::NextTry& next, int denied_status,
                       std::string_view denied_code) {
  const bool denied = status.code() == StatusCode::kPermissionDenied;
  if (!denied && status.code() != StatusCode::kResourceExhausted) return ReplyError(res, status);
  json body = NextTryJson(s, next);
  body["error"] = status.message();
  body["error_code"] = std::string(denied ? denied_code : StatusCodeName(status.code()));
  if (!denied) {
    // At least a second: a client told "0" would come straight back.
    res.set_header("Retry-After", std::to_string(std::max<int64_t>(
                                      1, body["retry_after_seconds"].get<int64_t>())));
  }
  ReplyJson(res, denied ? denied_status : 429, body);
}

}  // namespace takedown::http::internal
