// Private to http/: the server's state and the helpers the route files share.
#pragma once

#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <initializer_list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/router.h"
#include "http/server.h"

namespace takedown::http::internal {

using json = nlohmann::json;

// Request counts and latencies for /metrics, per route pattern and status class.
class Metrics {
 public:
  static constexpr std::array<double, 8> kBuckets = {0.001, 0.0025, 0.005, 0.01,
                                                     0.025, 0.05,   0.1,   0.5};
  void Record(const std::string& route, int status, double seconds);
  std::string Render(size_t bank_size) const;

 private:
  struct Series {
    uint64_t count = 0;
    double sum = 0;
    std::array<uint64_t, kBuckets.size()> buckets{};
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, Series> series_;  // (route, status)
};

// The use cases (server.h's UseCases, as fields) and the server's own state.
struct Server : UseCases {
  Server(UseCases use_cases, const Clock& clock_in, ManualClock* manual_clock_in,
         ServerOptions options_in)
      : UseCases(use_cases),
        clock(clock_in),
        manual_clock(manual_clock_in),
        options(std::move(options_in)) {}

  const Clock& clock;
  ManualClock* manual_clock;
  ServerOptions options;
  Router routes;
  Metrics metrics;
  std::atomic<int> port{0};
};

// --- replies
void ReplyJson(httplib::Response& res, int status, const json& body);
// The HTTP status for a Status code, and a body {"error": sentence, "error_code": name}.
// Internal errors are logged to stderr and answered with a generic sentence.
void ReplyError(httplib::Response& res, const Status& status);
int HttpStatusFor(StatusCode code);
// An attempt's answer (attempts.cc): {"tries_left": n, "retry_after_seconds": n} from `next`.
json NextTryJson(const Server& s, const casework::NextTry& next);
// A refused attempt: kPermissionDenied as `denied_status` with `denied_code` (a wrong secret),
// kResourceExhausted as 429 with Retry-After (wait first), each with NextTryJson's fields; any
// other error as ReplyError.
void ReplyAttemptError(const Server& s, httplib::Response& res, const Status& status,
                       const casework::NextTry& next, int denied_status = 403,
                       std::string_view denied_code = "permission_denied");

// --- request bodies: strict JSON (an object; unknown fields refused, types checked)
Result<json> ParseObject(const httplib::Request& req,
                         std::initializer_list<std::string_view> allowed);
Result<std::string> GetString(const json& body, const char* field, bool required,
                              size_t max_length);
Result<int64_t> GetInt(const json& body, const char* field, bool required, int64_t min, int64_t max,
                       int64_t fallback);
Result<bool> GetBool(const json& body, const char* field, bool fallback);

// --- who is asking
// The session cookie's name, and its value in the request ("" when absent).
inline constexpr char kSessionCookie[] = "td_session";
std::string SessionToken(const httplib::Request& req);
// A caseworker's live session from the cookie.
Result<casework::Authenticated> StaffFromRequest(Server& s, const httplib::Request& req);
// For changes (not GET or HEAD): the X-CSRF-Token header must match the session's token.
Status CheckCsrf(const casework::Authenticated& who, const httplib::Request& req);
// A partner from "Authorization: Bearer <key>".
Result<casework::Authenticated> PartnerFromRequest(Server& s, const httplib::Request& req);
// A survivor's case code and PIN from "Authorization: Basic base64(code:pin)".
bool CaseCredentials(const httplib::Request& req, std::string* code, std::string* pin);

// Wraps a handler so its latency and status are recorded under `route` for /metrics.
template <typename Handler>
Router::Handler Timed(Server& s, std::string route, Handler handler) {
  return [&s, route = std::move(route), handler = std::move(handler)](const httplib::Request& req,
                                                                      httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    handler(req, res);
    s.metrics.Record(
        route, res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
}

// The routes a session whose password an admin reset may still use: who it is, setting a new
// password, and leaving.
inline bool AllowedBeforePasswordChange(std::string_view route) {
  return route == "me" || route == "me_password" || route == "logout";
}

// Runs `body` for an authenticated caseworker, or answers 401/403 (403
// "password_change_required" while an admin's reset password is still in use).
template <typename Body>
auto Staff(Server& s, std::string route, Body body) {
  const bool before_change = AllowedBeforePasswordChange(route);
  return Timed(s, std::move(route),
               [&s, before_change, body = std::move(body)](const httplib::Request& req,
                                                           httplib::Response& res) {
                 auto who = StaffFromRequest(s, req);
                 if (!who.ok()) {
                   return ReplyJson(
                       res, 401,
                       {{"error", who.status().message()}, {"error_code", "unauthenticated"}});
                 }
                 if (Status csrf = CheckCsrf(*who, req); !csrf.ok()) {
                   return ReplyJson(res, 403, {{"error", csrf.message()}, {"error_code", "csrf"}});
                 }
                 if (who->must_change_password && !before_change) {
                   return ReplyJson(res, 403,
                                    {{"error", "please set a new password of your own first"},
                                     {"error_code", "password_change_required"}});
                 }
                 body(*who, req, res);
               });
}

// The first number in the route's pattern.
inline int64_t PathId(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

// Query parameter helpers.
std::optional<int64_t> QueryInt(const httplib::Request& req, const char* name);

// --- route groups
void AddPublicRoutes(Server& s);
void AddStaffRoutes(Server& s);
void AddPartnerRoutes(Server& s);
void AddStopnciiRoutes(Server& s);      // routes_stopncii.cc
void AddWatchRoutes(Server& s);         // routes_watch.cc
void AddNoticeRoutes(Server& s);        // routes_notices.cc
void AddBulkRoutes(Server& s);          // routes_bulk.cc
void AddStatsRoutes(Server& s);         // routes_stats.cc
void AddAdminRoutes(Server& s);         // routes_admin.cc
void AddSettingsRoutes(Server& s);      // routes_settings.cc
void AddOrganisationRoutes(Server& s);  // routes_organisation.cc

}  // namespace takedown::http::internal
