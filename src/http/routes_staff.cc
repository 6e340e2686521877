// What caseworkers, reviewers and admins call, with a session cookie (and a CSRF token for
// changes).
#include <algorithm>
#include <regex>

#include "http/internal.h"

namespace takedown::http::internal {
namespace {

json UserJson(const domain::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", domain::RoleName(u.role)},
          {"disabled", u.disabled},
          {"created_at", FormatTime(u.created_at)}};
}

json CaseJson(const domain::Case& c) {
  json out = {{"id", c.id},
              {"code", c.code},
              {"status", domain::CaseStatusName(c.status)},
              {"jurisdiction", c.jurisdiction},
              {"language", c.language},
              {"consent_share", c.consent_share},
              {"watch_paused", c.watch_paused},
              {"authorised", c.authorised},
              {"age", domain::AgeGroupName(c.age)},
              {"ai_made", c.ai_made},
              {"assigned_user", c.assigned_user ? json(*c.assigned_user) : json(nullptr)},
              {"created_at", FormatTime(c.created_at)}};
  out["closed_at"] = c.closed_at ? json(FormatTime(*c.closed_at)) : json(nullptr);
  return out;
}

// Her choice of being named in notices, as intake takes it ("in_notices").
const char* InNoticesName(domain::NamedInNotices named) {
  switch (named) {
    case domain::NamedInNotices::kNo:
      return "none";
    case domain::NamedInNotices::kName:
      return "name";
    case domain::NamedInNotices::kNameAndContact:
      return "name_and_contact";
  }
  return "none";
}

json CountsJson(const store::CaseCounts& n) {
  return {{"hashes", n.hashes},
          {"urls_found", n.urls_found},
          {"notified", n.notified},
          {"removed", n.removed},
          {"open_sightings", n.open_sightings}};
}

json AttentionJson(const store::CaseAttention& a) {
  return {{"waiting", a.waiting},
          {"next_deadline", a.next_deadline ? json(FormatTime(*a.next_deadline)) : json(nullptr)},
          {"overdue", a.overdue},
          {"reappeared", a.reappeared},
          {"reposts", a.reposts}};
}

json SightingJson(const domain::Sighting& s) {
  json evidence = json::parse(s.evidence_json, nullptr, false);
  return {{"id", s.id},
          {"url", s.url},
          {"normalized_url", s.normalized_url},
          {"platform", s.platform},
          {"host", s.host},
          {"state", domain::SightingStateName(s.state)},
          {"first_seen", FormatTime(s.first_seen)},
          {"origin", domain::SightingOriginName(s.origin)},
          {"needs_review", s.needs_review},
          {"confirmed_by", s.confirmed_by},
          {"last_checked", s.last_checked ? json(FormatTime(*s.last_checked)) : json(nullptr)},
          {"evidence", evidence.is_discarded() ? json::object() : evidence}};
}

json EventJson(const domain::Event& e) {
  json detail = json::parse(e.detail_json, nullptr, false);
  return {{"id", e.id},
          {"case_id", e.case_id ? json(*e.case_id) : json(nullptr)},
          {"actor", e.actor},
          {"action", e.action},
          {"detail", detail.is_discarded() ? json::object() : detail},
          {"at", FormatTime(e.at)}};
}

}  // namespace

void AddStaffRoutes(Server& s) {
  s.routes.Post(
      "/api/v1/login", Timed(s, "login", [&s](const httplib::Request& req, httplib::Response& res) {
        auto body = ParseObject(req, {"username", "password"});
        if (!body.ok()) return ReplyError(res, body.status());
        auto username = GetString(*body, "username", true, 64);
        auto password = GetString(*body, "password", true, 1024);
        if (!username.ok()) return ReplyError(res, username.status());
        if (!password.ok()) return ReplyError(res, password.status());
        casework::NextTry next;
        auto login = s.accounts.Login(*username, *password, req.remote_addr, &next);
        if (!login.ok()) {
          return ReplyAttemptError(s, res, login.status(), next, 401, "unauthenticated");
        }
        const UnixMillis max_age = (login->expires_at - s.clock.Now()) / 1000;
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + login->session_token +
                                         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                         std::to_string(max_age) +
                                         (s.options.secure_cookies ? "; Secure" : ""));
        ReplyJson(res, 200,
                  {{"user", UserJson(login->user)},
                   {"csrf_token", login->csrf_token},
                   {"expires_at", FormatTime(login->expires_at)},
                   {"must_change_password", login->must_change_password}});
      }));

  s.routes.Post("/api/v1/logout",
                Staff(s, "logout",
                      [&s](const casework::Authenticated&, const httplib::Request& req,
                           httplib::Response& res) {
                        s.accounts.Logout(SessionToken(req));
                        res.set_header("Set-Cookie",
                                       std::string(kSessionCookie) +
                                           "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                        res.status = 204;
                      }));

  // Her own password; every session of the account ends, this one too (the cookie is cleared).
  s.routes.Post(
      "/api/v1/me/password",
      Staff(s, "me_password",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              auto body = ParseObject(req, {"current_password", "new_password"});
              if (!body.ok()) return ReplyError(res, body.status());
              auto current = GetString(*body, "current_password", true, 1024);
              auto replacement = GetString(*body, "new_password", true, 1024);
              if (!current.ok()) return ReplyError(res, current.status());
              if (!replacement.ok()) return ReplyError(res, replacement.status());
              casework::NextTry next;
              Status st = s.accounts.ChangePassword(who.actor, *current, *replacement, &next);
              if (!st.ok()) return ReplyAttemptError(s, res, st, next);
              res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                               "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
              res.status = 204;
            }));

  s.routes.Get("/api/v1/me", Staff(s, "me",
                                   [](const casework::Authenticated& who, const httplib::Request&,
                                      httplib::Response& res) {
                                     ReplyJson(
                                         res, 200,
                                         {{"id", who.actor.id},
                                          {"username", who.username},
                                          {"role", domain::RoleName(who.actor.role)},
                                          {"csrf_token", who.csrf_token},
                                          {"must_change_password", who.must_change_password}});
                                   }));

  s.routes.Get("/api/v1/cases",
               Staff(s, "cases",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       store::CaseFilter filter;
                       if (req.has_param("status")) {
                         filter.status = domain::ParseCaseStatus(req.get_param_value("status"));
                         if (!filter.status) {
                           return ReplyError(res, InvalidArgument("status must be open or closed"));
                         }
                       }
                       const std::string assigned = req.get_param_value("assigned");
                       if (assigned == "me") filter.assigned_user = who.actor.id;
                       if (assigned == "none") filter.unassigned_only = true;
                       filter.search = req.get_param_value("q");
                       if (req.has_param("attention")) {
                         filter.attention = store::ParseAttention(req.get_param_value("attention"));
                         if (!filter.attention) {
                           return ReplyError(res, InvalidArgument("attention must be waiting, "
                                                                  "overdue or reappeared"));
                         }
                       }
                       filter.limit = static_cast<int>(QueryInt(req, "limit").value_or(50));
                       filter.offset = static_cast<int>(QueryInt(req, "offset").value_or(0));
                       auto cases = s.cases.ListCases(who.actor, filter);
                       if (!cases.ok()) return ReplyError(res, cases.status());
                       json out = json::array();
                       for (const auto& summary : *cases) {
                         json c = CaseJson(summary.c);
                         c["counts"] = CountsJson(summary.counts);
                         c["attention"] = AttentionJson(summary.attention);
                         c["assignee"] =
                             summary.assignee.empty() ? json(nullptr) : json(summary.assignee);
                         c["last_activity"] = FormatTime(summary.last_activity);
                         out.push_back(std::move(c));
                       }
                       ReplyJson(res, 200, {{"cases", out}});
                     }));

  s.routes.Get(R"(/api/v1/cases/(\d{1,18}))",
               Staff(s, "case",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto detail = s.cases.ReadCase(who.actor, PathId(req));
                       if (!detail.ok()) return ReplyError(res, detail.status());
                       json out = CaseJson(detail->c);
                       out["counts"] = CountsJson(detail->counts);
                       out["contact"] = detail->contact;
                       out["notice_contact"] = detail->notice_contact;
                       out["in_notices"] = InNoticesName(detail->c.named_in_notices);
                       out["hashes"] = json::array();
                       for (const auto& h : detail->hashes) {
                         out["hashes"].push_back({{"id", h.id},
                                                  {"kind", domain::MediaKindName(h.kind)},
                                                  {"pdq", h.pdq},
                                                  {"quality", h.quality},
                                                  {"md5", h.md5},
                                                  {"sha256", h.sha256},
                                                  {"origin", domain::HashOriginName(h.origin)}});
                       }
                       out["sightings"] = json::array();
                       for (const auto& sighting : detail->sightings) {
                         out["sightings"].push_back(SightingJson(sighting));
                       }
                       out["notes"] = json::array();
                       for (const auto& n : detail->notes) {
                         out["notes"].push_back({{"id", n.id},
                                                 {"author", n.author},
                                                 {"text", n.text},
                                                 {"at", FormatTime(n.at)},
                                                 {"to_survivor", n.to_survivor}});
                       }
                       out["partner_feedback"] = json::array();
                       for (const auto& f : detail->partner_feedback) {
                         out["partner_feedback"].push_back({{"hash_id", f.hash_id},
                                                            {"partner", f.partner},
                                                            {"value", f.verdict},
                                                            {"tags", f.tags},
                                                            {"at", FormatTime(f.at)}});
                       }
                       ReplyJson(res, 200, out);
                     }));

  s.routes.Post(
      R"(/api/v1/cases/(\d{1,18})/urls)",
      Staff(s, "case_urls",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              auto body = ParseObject(req, {"text"});
              if (!body.ok()) return ReplyError(res, body.status());
              auto text = GetString(*body, "text", true, 512 * 1024);
              if (!text.ok()) return ReplyError(res, text.status());
              auto lines = s.cases.AddUrls(who.actor, PathId(req), *text);
              if (!lines.ok()) return ReplyError(res, lines.status());
              json out = json::array();
              int added = 0, rejected = 0;
              for (const auto& l : *lines) {
                json line = {{"line", l.line}, {"input", l.input}, {"ok", l.ok}};
                if (!l.ok) {
                  line["error"] = l.error;
                  ++rejected;
                } else {
                  line["normalized"] = l.normalized;
                  line["platform"] = l.platform;
                  line["host"] = l.host;
                  line["sighting_id"] = l.sighting_id;
                  line["duplicate"] = l.duplicate;
                  added += l.duplicate ? 0 : 1;
                }
                out.push_back(std::move(line));
              }
              ReplyJson(res, 200, {{"added", added}, {"rejected", rejected}, {"lines", out}});
            }));

  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/notes)",
                Staff(s, "case_notes",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"text", "to_survivor"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        auto text = GetString(*body, "text", true, 20'000);
                        if (!text.ok()) return ReplyError(res, text.status());
                        auto to_survivor = GetBool(*body, "to_survivor", false);
                        if (!to_survivor.ok()) return ReplyError(res, to_survivor.status());
                        auto id = s.cases.AddNote(who.actor, PathId(req), *text, *to_survivor);
                        if (!id.ok()) return ReplyError(res, id.status());
                        ReplyJson(res, 201, {{"id", *id}});
                      }));

  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/assign)",
                Staff(s, "case_assign",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"user_id"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        std::optional<int64_t> user;
                        if (body->contains("user_id") && !(*body)["user_id"].is_null()) {
                          auto id = GetInt(*body, "user_id", true, 1, INT64_MAX, 0);
                          if (!id.ok()) return ReplyError(res, id.status());
                          user = *id;
                        }
                        if (Status st = s.cases.Assign(who.actor, PathId(req), user); !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/status)",
                Staff(s, "case_status",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"status"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        auto name = GetString(*body, "status", true, 16);
                        if (!name.ok()) return ReplyError(res, name.status());
                        auto status = domain::ParseCaseStatus(*name);
                        if (!status)
                          return ReplyError(res, InvalidArgument("status must be open or closed"));
                        if (Status st = s.cases.SetStatus(who.actor, PathId(req), *status);
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/age)",
                Staff(s, "case_age",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"age", "ai_made"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        auto name = GetString(*body, "age", true, 16);
                        if (!name.ok()) return ReplyError(res, name.status());
                        if (!body->contains("ai_made")) {
                          return ReplyError(res, InvalidArgument("\"ai_made\" is required"));
                        }
                        auto ai_made = GetBool(*body, "ai_made", false);
                        if (!ai_made.ok()) return ReplyError(res, ai_made.status());
                        auto age = domain::ParseAgeGroup(*name);
                        if (!age) {
                          return ReplyError(
                              res,
                              InvalidArgument("age must be adult, minor_when_made or minor_now"));
                        }
                        if (Status st = s.cases.SetAgeAndAi(who.actor, PathId(req), *age, *ai_made);
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Get(R"(/api/v1/cases/(\d{1,18})/events)",
               Staff(s, "case_events",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto events = s.cases.CaseEvents(
                           who.actor, PathId(req),
                           static_cast<int>(QueryInt(req, "limit").value_or(200)));
                       if (!events.ok()) return ReplyError(res, events.status());
                       json out = json::array();
                       for (const auto& e : *events) out.push_back(EventJson(e));
                       ReplyJson(res, 200, {{"events", out}});
                     }));

  s.routes.Get("/api/v1/stats/overview",
               Staff(s, "stats_overview",
                     [&s](const casework::Authenticated& who, const httplib::Request&,
                          httplib::Response& res) {
                       auto o = s.cases.Overview(who.actor);
                       if (!o.ok()) return ReplyError(res, o.status());
                       ReplyJson(res, 200,
                                 {{"open_cases", o->open_cases},
                                  {"closed_cases", o->closed_cases},
                                  {"hashes", o->hashes},
                                  {"sightings_by_state", o->sightings_by_state},
                                  {"notices", o->notices},
                                  {"notices_sent", o->notices_sent},
                                  {"partner_feedback", o->partner_feedback}});
                     }));

  s.routes.Post(R"(/api/v1/sightings/(\d{1,18})/state)",
                Staff(s, "sighting_state",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"state"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        auto name = GetString(*body, "state", true, 16);
                        if (!name.ok()) return ReplyError(res, name.status());
                        auto state = domain::ParseSightingState(*name);
                        if (!state)
                          return ReplyError(res, InvalidArgument("unknown sighting state"));
                        if (Status st = s.cases.MoveSighting(who.actor, PathId(req), *state);
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Post(R"(/api/v1/sightings/(\d{1,18})/check)",
                Staff(s, "sighting_check",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        if (Status st = s.cases.RecheckNow(who.actor, PathId(req)); !st.ok()) {
                          return ReplyError(res, st);
                        }
                        ReplyJson(res, 202, {{"queued", true}});
                      }));

  s.routes.Get("/api/v1/users", Staff(s, "users",
                                      [&s](const casework::Authenticated& who,
                                           const httplib::Request&, httplib::Response& res) {
                                        auto users = s.accounts.ListUsers(who.actor);
                                        if (!users.ok()) return ReplyError(res, users.status());
                                        json out = json::array();
                                        for (const auto& u : *users) out.push_back(UserJson(u));
                                        ReplyJson(res, 200, {{"users", out}});
                                      }));

  s.routes.Post(
      "/api/v1/users",
      Staff(s, "users_add",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              auto body = ParseObject(req, {"username", "password", "role"});
              if (!body.ok()) return ReplyError(res, body.status());
              auto username = GetString(*body, "username", true, 64);
              auto password = GetString(*body, "password", true, 1024);
              auto role_name = GetString(*body, "role", true, 16);
              for (const Status& st : {username.status(), password.status(), role_name.status()}) {
                if (!st.ok()) return ReplyError(res, st);
              }
              auto role = domain::ParseRole(*role_name);
              if (!role) {
                return ReplyError(res,
                                  InvalidArgument("role must be admin, caseworker or reviewer"));
              }
              auto id = s.accounts.AddUser(who.actor, *username, *password, *role);
              if (!id.ok()) return ReplyError(res, id.status());
              ReplyJson(res, 201, {{"id", *id}});
            }));

  s.routes.Post("/api/v1/partners",
                Staff(s, "partners_add",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"name", "scopes"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        auto name = GetString(*body, "name", true, 200);
                        if (!name.ok()) return ReplyError(res, name.status());
                        std::vector<std::string> scopes;
                        const auto it = body->find("scopes");
                        if (it == body->end() || !it->is_array()) {
                          return ReplyError(res, InvalidArgument("\"scopes\" must be an array"));
                        }
                        for (const json& scope : *it) {
                          if (!scope.is_string()) {
                            return ReplyError(res, InvalidArgument("\"scopes\" must hold strings"));
                          }
                          scopes.push_back(scope.get<std::string>());
                        }
                        auto key = s.accounts.AddPartner(who.actor, *name, scopes);
                        if (!key.ok()) return ReplyError(res, key.status());
                        ReplyJson(res, 201, {{"id", key->partner_id}, {"api_key", key->api_key}});
                      }));

  s.routes.Get(
      "/api/v1/platforms",
      Staff(s, "platforms",
            [&s](const casework::Authenticated&, const httplib::Request&, httplib::Response& res) {
              json out = json::array();
              for (const auto& p : s.platforms.all()) {
                json channels = json::array();
                for (const auto& ch : p.channels) {
                  channels.push_back({{"kind", domain::ChannelKindName(ch.kind)},
                                      {"url", ch.url},
                                      {"address", ch.address},
                                      {"label", ch.label}});
                }
                out.push_back({{"id", p.id},
                               {"name", p.name},
                               {"kind", p.kind},
                               {"operator", p.operator_name},
                               {"domains", p.domains},
                               {"languages", p.languages},
                               {"deadline_hours", p.deadline_hours},
                               {"deadline_basis", p.deadline_basis},
                               {"ncii_partner", p.ncii_partner},
                               {"escalation", p.escalation},
                               {"notes", p.notes},
                               {"channels", channels}});
              }
              // When a person last checked the addresses: the dashboard shows it, so that stale
              // data is noticed before a notice goes to an old address.
              ReplyJson(res, 200,
                        {{"platforms", out}, {"last_reviewed", s.platforms.last_reviewed()}});
            }));
}

}  // namespace takedown::http::internal
