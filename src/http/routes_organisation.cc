// The organisation (issue 20): the profile notices are signed by (any staff member reads it, an
// admin saves it, and every draft is then written again with it: casework::Notices), and the
// colleagues a case can be assigned to (casework::Cases).
#include "http/internal.h"

namespace takedown::http::internal {
namespace {

// The profile's fields, as the API and the admin page name them.
const std::initializer_list<std::string_view> kFields = {
    "name", "email", "phone", "address", "website", "signatory", "signatory_role"};

json ProfileJson(const casework::OrganisationView& view) {
  const notify::Organisation& o = view.organisation;
  return {{"name", o.name},
          {"email", o.email},
          {"phone", o.phone},
          {"address", o.address},
          {"website", o.website},
          {"signatory", o.signatory},
          {"signatory_role", o.signatory_role},
          {"saved", view.saved},
          {"lacks", view.lacks}};
}

}  // namespace

void AddOrganisationRoutes(Server& s) {
  s.routes.Get("/api/v1/colleagues",
               Staff(s, "colleagues",
                     [&s](const casework::Authenticated& who, const httplib::Request&,
                          httplib::Response& res) {
                       auto colleagues = s.cases.Colleagues(who.actor);
                       if (!colleagues.ok()) return ReplyError(res, colleagues.status());
                       json out = json::array();
                       for (const auto& c : *colleagues) {
                         out.push_back({{"id", c.id}, {"username", c.username}});
                       }
                       ReplyJson(res, 200, {{"colleagues", out}});
                     }));

  s.routes.Get("/api/v1/organisation", Staff(s, "organisation",
                                             [&s](const casework::Authenticated& who,
                                                  const httplib::Request&, httplib::Response& res) {
                                               auto view = s.notices.GetOrganisation(who.actor);
                                               if (!view.ok())
                                                 return ReplyError(res, view.status());
                                               ReplyJson(res, 200, ProfileJson(*view));
                                             }));
  s.routes.Put("/api/v1/organisation",
               Staff(s, "organisation_change",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto body = ParseObject(req, kFields);
                       if (!body.ok()) return ReplyError(res, body.status());
                       // Every field is sent, so that a field left out never blanks a profile by
                       // mistake.
                       std::vector<std::string> values;
                       for (std::string_view field : kFields) {
                         auto value = GetString(*body, std::string(field).c_str(), true, 2000);
                         if (!value.ok()) return ReplyError(res, value.status());
                         values.push_back(std::move(*value));
                       }
                       const notify::Organisation profile{values[0], values[1], values[2],
                                                          values[3], values[4], values[5],
                                                          values[6]};
                       auto redrafted = s.notices.PutOrganisation(who.actor, profile);
                       if (!redrafted.ok()) return ReplyError(res, redrafted.status());
                       auto view = s.notices.GetOrganisation(who.actor);
                       if (!view.ok()) return ReplyError(res, view.status());
                       json out = ProfileJson(*view);
                       out["drafts_rewritten"] = *redrafted;
                       ReplyJson(res, 200, out);
                     }));
}

}  // namespace takedown::http::internal
