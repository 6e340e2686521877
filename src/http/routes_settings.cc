// The organisation's settings (domain/settings.h): what Takedown may do without a person. Staff
// read them; admins change any of them with one PUT that names only what changes.
#include "http/internal.h"

namespace takedown::http::internal {
namespace {

json SettingsJson(const casework::Settings& settings) {
  return {{"send_automatically", settings.send_automatically},
          {"first_contact", domain::FirstContactName(settings.first_contact)},
          {"draft_automatically", settings.draft_automatically},
          {"confirm_automatically", settings.confirm_automatically},
          {"confirm_max_distance", settings.confirm_max_distance},
          {"confirm_min_quality", settings.confirm_min_quality}};
}

// The settings as they are, with the fields the body names changed.
Result<casework::Settings> Changed(const json& body, casework::Settings settings) {
  if (body.empty()) return InvalidArgument("name at least one setting to change");
  for (auto [field, out] : {std::pair{"send_automatically", &settings.send_automatically},
                            std::pair{"draft_automatically", &settings.draft_automatically},
                            std::pair{"confirm_automatically", &settings.confirm_automatically}}) {
    auto value = GetBool(body, field, *out);
    if (!value.ok()) return value.status();
    *out = *value;
  }
  if (body.contains("first_contact")) {
    auto name = GetString(body, "first_contact", true, 16);
    if (!name.ok()) return name.status();
    auto policy = domain::ParseFirstContact(*name);
    if (!policy) {
      return InvalidArgument("\"first_contact\" must be \"person\", \"published\" or \"any\"");
    }
    settings.first_contact = *policy;
  }
  auto distance = GetInt(body, "confirm_max_distance", false, 0, domain::kMaxConfirmDistance,
                         settings.confirm_max_distance);
  if (!distance.ok()) return distance.status();
  settings.confirm_max_distance = static_cast<int>(*distance);
  auto quality = GetInt(body, "confirm_min_quality", false, 0, 100, settings.confirm_min_quality);
  if (!quality.ok()) return quality.status();
  settings.confirm_min_quality = static_cast<int>(*quality);
  return settings;
}

}  // namespace

void AddSettingsRoutes(Server& s) {
  s.routes.Get("/api/v1/settings", Staff(s, "settings",
                                         [&s](const casework::Authenticated& who,
                                              const httplib::Request&, httplib::Response& res) {
                                           auto settings = s.notices.GetSettings(who.actor);
                                           if (!settings.ok())
                                             return ReplyError(res, settings.status());
                                           ReplyJson(res, 200, SettingsJson(*settings));
                                         }));
  s.routes.Put("/api/v1/settings",
               Staff(s, "settings_change",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto body =
                           ParseObject(req, {"send_automatically", "first_contact",
                                             "draft_automatically", "confirm_automatically",
                                             "confirm_max_distance", "confirm_min_quality"});
                       if (!body.ok()) return ReplyError(res, body.status());
                       auto now = s.notices.GetSettings(who.actor);
                       if (!now.ok()) return ReplyError(res, now.status());
                       auto changed = Changed(*body, *now);
                       if (!changed.ok()) return ReplyError(res, changed.status());
                       if (Status st = s.notices.PutSettings(who.actor, *changed); !st.ok()) {
                         return ReplyError(res, st);
                       }
                       ReplyJson(res, 200, SettingsJson(*changed));
                     }));
}

}  // namespace takedown::http::internal
