// What administrators call to look after accounts and partner keys, beside the creation routes in
// routes_staff.cc: list partners (never their keys), revoke a key, disable or re-enable an
// account, change its role (never the last admin's), reset its password. Every change is checked
// and audited in casework::Accounts. And the manual clock of a simulation.
#include <chrono>
#include <thread>

#include "http/internal.h"

namespace takedown::http::internal {
namespace {

// Waits, after the manual clock moved, until the job loop has run every job due and none is
// running (bounded: a job that keeps failing at once would otherwise hold the caller forever).
// Wakes on the queue's state, polled, never on elapsed time alone.
Result<store::QueueState> SettleQueue(Server& s) {
  constexpr int kPolls = 12000;  // 2 minutes of 10 ms polls
  for (int i = 0;; ++i) {
    auto queue = s.watching.QueueNow();
    if (!queue.ok() || queue->due == 0 || i == kPolls) return queue;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

void AddAdminRoutes(Server& s) {
  s.routes.Get("/api/v1/partners",
               Staff(s, "partners",
                     [&s](const casework::Authenticated& who, const httplib::Request&,
                          httplib::Response& res) {
                       auto partners = s.accounts.ListPartners(who.actor);
                       if (!partners.ok()) return ReplyError(res, partners.status());
                       json out = json::array();
                       for (const auto& p : *partners) {
                         out.push_back({{"id", p.id},
                                        {"name", p.name},
                                        {"scopes", p.scopes},
                                        {"revoked", p.revoked},
                                        {"created_at", FormatTime(p.created_at)}});
                       }
                       ReplyJson(res, 200, {{"partners", out}});
                     }));

  s.routes.Post(R"(/api/v1/partners/(\d{1,18})/revoke)",
                Staff(s, "partners_revoke",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        if (Status st = s.accounts.RevokePartner(who.actor, PathId(req));
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Post(
      R"(/api/v1/users/(\d{1,18})/disabled)",
      Staff(s, "users_disabled",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              auto body = ParseObject(req, {"disabled"});
              if (!body.ok()) return ReplyError(res, body.status());
              // Required: a missing field must not quietly mean "enable".
              if (!body->contains("disabled")) {
                return ReplyError(res, InvalidArgument("\"disabled\" (true or false) is "
                                                       "required"));
              }
              auto disabled = GetBool(*body, "disabled", false);
              if (!disabled.ok()) return ReplyError(res, disabled.status());
              if (Status st = s.accounts.SetUserDisabled(who.actor, PathId(req), *disabled);
                  !st.ok()) {
                return ReplyError(res, st);
              }
              res.status = 204;
            }));

  s.routes.Post(R"(/api/v1/users/(\d{1,18})/role)",
                Staff(s, "users_role",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"role"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        auto name = GetString(*body, "role", true, 16);
                        if (!name.ok()) return ReplyError(res, name.status());
                        auto role = domain::ParseRole(*name);
                        if (!role) {
                          return ReplyError(
                              res, InvalidArgument("role must be admin, caseworker or reviewer"));
                        }
                        if (Status st = s.accounts.SetUserRole(who.actor, PathId(req), *role);
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  // The new password is in this answer only (never cached, as no API answer is): the admin hands
  // it over; it is never stored or logged in the clear.
  s.routes.Post(R"(/api/v1/users/(\d{1,18})/password-reset)",
                Staff(s, "users_password_reset",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto password = s.accounts.ResetPassword(who.actor, PathId(req));
                        if (!password.ok()) return ReplyError(res, password.status());
                        ReplyJson(res, 200, {{"password", *password}});
                      }));

  // Simulated time, for end-to-end runs of deadlines and schedules: only when the server was
  // started with --clock=manual, and only for admins.
  s.routes.Post(
      "/api/v1/admin/clock",
      Staff(s, "admin_clock",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              if (s.manual_clock == nullptr) {
                return ReplyError(res, PermissionDenied("the server was not started with "
                                                        "--clock=manual"));
              }
              if (who.actor.role != domain::Role::kAdmin) {
                return ReplyError(res, PermissionDenied("administrators only"));
              }
              auto body = ParseObject(req, {"advance_ms", "set", "settle"});
              if (!body.ok()) return ReplyError(res, body.status());
              auto advance = GetInt(*body, "advance_ms", false, 0, 3650 * kMillisPerDay, 0);
              auto set = GetString(*body, "set", false, 40);
              auto settle = GetBool(*body, "settle", false);
              if (!advance.ok()) return ReplyError(res, advance.status());
              if (!set.ok()) return ReplyError(res, set.status());
              if (!settle.ok()) return ReplyError(res, settle.status());
              if (!set->empty()) {
                UnixMillis t = 0;
                if (!ParseTime(*set, &t)) {
                  return ReplyError(res, InvalidArgument("\"set\" must be an ISO 8601 UTC time"));
                }
                s.manual_clock->Set(t);
              }
              s.manual_clock->Advance(*advance);
              json out = {{"now", FormatTime(s.manual_clock->Now())}};
              if (*settle) {
                auto queue = SettleQueue(s);
                if (!queue.ok()) return ReplyError(res, queue.status());
                out["settled"] = queue->due == 0;
                out["next_job_at"] =
                    queue->next_run ? json(FormatTime(*queue->next_run)) : json(nullptr);
              }
              ReplyJson(res, 200, out);
            }));
}

}  // namespace takedown::http::internal
