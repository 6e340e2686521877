// What administrators call to look after accounts and partner keys, beside the creation routes in
// routes_staff.cc: list partners (never their keys), revoke a key, disable or re-enable an
// account. Every change is checked and audited in casework::Accounts.
#include "http/internal.h"

namespace takedown::http::internal {

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
}

}  // namespace takedown::http::internal
