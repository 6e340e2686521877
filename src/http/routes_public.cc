// What survivors' pages call, without an account: report, see progress, erase, and the resources
// page's public data (the law, the regulator, platforms' reporting forms, support services).
#include "http/internal.h"
#include "notices/render.h"

namespace takedown::http::internal {
namespace {

Result<casework::IntakeRequest> ParseIntake(const httplib::Request& req) {
  auto body =
      ParseObject(req, {"images", "urls", "jurisdiction", "language", "contact", "consent_share",
                        "authorise", "name", "in_notices", "notice_contact", "age", "ai_made"});
  if (!body.ok()) return body.status();
  casework::IntakeRequest out;
  if (auto it = body->find("images"); it != body->end()) {
    if (!it->is_array()) return InvalidArgument("\"images\" must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& image = (*it)[i];
      const std::string where = "images[" + std::to_string(i) + "]";
      if (!image.is_object()) return InvalidArgument(where + " must be an object");
      for (const auto& [key, value] : image.items()) {
        if (key != "pdq" && key != "quality" && key != "md5" && key != "sha256" && key != "kind" &&
            key != "file" && key != "regions") {
          return InvalidArgument(where + ": unknown field \"" + key + "\"");
        }
      }
      casework::IntakeImage parsed;
      auto pdq = GetString(image, "pdq", true, 64);
      auto quality = GetInt(image, "quality", true, 0, 100, 0);
      auto md5 = GetString(image, "md5", false, 32);
      auto sha256 = GetString(image, "sha256", false, 64);
      auto kind = GetString(image, "kind", false, 5);
      // Which of her files (1, 2, ...): no more files than hashes in a report.
      auto file = GetInt(image, "file", false, 1, 100000, 0);
      auto regions = GetString(image, "regions", false, matching::kMaxRegionsText);
      for (const Status& s : {pdq.status(), quality.status(), md5.status(), sha256.status(),
                              kind.status(), file.status(), regions.status()}) {
        if (!s.ok()) return InvalidArgument(where + ": " + s.message());
      }
      if (!kind->empty() && *kind != "image" && *kind != "video") {
        return InvalidArgument(where + ": \"kind\" must be image or video");
      }
      parsed.pdq = *pdq;
      parsed.quality = static_cast<int>(*quality);
      parsed.md5 = *md5;
      parsed.sha256 = *sha256;
      parsed.kind = *kind == "video" ? domain::MediaKind::kVideo : domain::MediaKind::kImage;
      parsed.file = static_cast<int>(*file);
      parsed.regions = *regions;
      out.images.push_back(std::move(parsed));
    }
  }
  if (auto it = body->find("urls"); it != body->end()) {
    if (!it->is_array()) return InvalidArgument("\"urls\" must be an array of strings");
    for (const json& url : *it) {
      if (!url.is_string()) return InvalidArgument("\"urls\" must be an array of strings");
      out.urls.push_back(url.get<std::string>());
    }
  }
  auto jurisdiction = GetString(*body, "jurisdiction", false, 8);
  auto language = GetString(*body, "language", true, 16);
  auto contact = GetString(*body, "contact", false, 2000);
  auto consent = GetBool(*body, "consent_share", false);
  auto authorise = GetBool(*body, "authorise", false);
  auto name = GetString(*body, "name", false, 200);
  auto in_notices = GetString(*body, "in_notices", false, 16);
  auto notice_contact = GetString(*body, "notice_contact", false, 2000);
  auto age = GetString(*body, "age", false, 16);
  auto ai_made = GetBool(*body, "ai_made", false);
  for (const Status& s : {jurisdiction.status(), language.status(), contact.status(),
                          consent.status(), authorise.status(), name.status(), in_notices.status(),
                          notice_contact.status(), age.status(), ai_made.status()}) {
    if (!s.ok()) return s;
  }
  if (!age->empty()) {
    auto group = domain::ParseAgeGroup(*age);
    if (!group) return InvalidArgument("\"age\" must be adult, minor_when_made or minor_now");
    out.age = *group;
  }
  out.ai_made = *ai_made;
  out.notice_contact = *notice_contact;
  if (in_notices->empty() || *in_notices == "none") {
    out.named_in_notices = domain::NamedInNotices::kNo;
  } else if (*in_notices == "name") {
    out.named_in_notices = domain::NamedInNotices::kName;
  } else if (*in_notices == "name_and_contact") {
    out.named_in_notices = domain::NamedInNotices::kNameAndContact;
  } else {
    return InvalidArgument("\"in_notices\" must be none, name or name_and_contact");
  }
  out.name = *name;
  out.jurisdiction = *jurisdiction;
  out.language = *language;
  out.contact = *contact;
  out.consent_share = *consent;
  out.authorise = *authorise;
  return out;
}

// Runs `body` with the case code and PIN of the request, or answers 401 asking for them.
template <typename Body>
Router::Handler Survivor(Server& s, std::string route, Body body) {
  return Timed(s, std::move(route),
               [body = std::move(body)](const httplib::Request& req, httplib::Response& res) {
                 std::string code, pin;
                 if (!CaseCredentials(req, &code, &pin)) {
                   res.set_header("WWW-Authenticate", "Basic realm=\"case\"");
                   return ReplyJson(res, 401,
                                    {{"error", "send the case code and PIN (HTTP Basic)"},
                                     {"error_code", "unauthenticated"}});
                 }
                 body(code, pin, req, res);
               });
}

// The text in `lang`, else English (every loaded text has both; "" for an absent optional text).
std::string Pick(const notify::Translations& text, const std::string& lang) {
  if (auto it = text.find(lang); it != text.end()) return it->second;
  if (auto it = text.find("en"); it != text.end()) return it->second;
  return "";
}

json SupportJson(const notify::SupportService& sv, const std::string& lang, bool international) {
  return {{"id", sv.id},
          {"name", Pick(sv.name, lang)},
          {"offers", Pick(sv.offers, lang)},
          {"url", sv.url},
          {"phone", sv.phone},
          {"hours", Pick(sv.hours, lang)},
          {"languages", sv.languages},
          {"international", international}};
}

// Platforms a survivor may report to herself: the services people post on, not the hosts, CDNs
// and registrars behind them (those are the caseworkers' escalation rungs).
bool SurvivorFacing(const platforms::Platform& p) {
  for (std::string_view kind :
       {"social", "messaging", "video", "forum", "adult", "search", "storage"}) {
    if (p.kind == kind) return true;
  }
  return false;
}

// Everything the resources page shows for one jurisdiction in one language. Only data files:
// nothing about any case, the same answer for everyone who asks.
// The choices the pages offer, from the data folder so that no page lists them: each
// jurisdiction (a profile; "" for the default one) with its name in `lang`, the languages a case
// may be in (the notice templates'), and those the statistics report is written in.
json ChoicesJson(const notify::NoticeLibrary& lib, const std::vector<std::string>& report,
                 const std::string& lang) {
  json jurisdictions = json::array();
  jurisdictions.push_back({{"code", ""}, {"name", Pick(lib.Profile("").name, lang)}});
  for (const std::string& code : lib.jurisdictions()) {
    jurisdictions.push_back({{"code", code}, {"name", Pick(lib.Profile(code).name, lang)}});
  }
  return {{"jurisdictions", jurisdictions},
          {"languages", lib.languages()},
          {"report_languages", report}};
}

json ResourcesJson(const notify::NoticeLibrary& lib, const platforms::PlatformDirectory& dir,
                   const std::string& jurisdiction, const std::string& language) {
  const notify::LegalProfile& p = lib.Profile(jurisdiction);
  const std::string lang = lib.ResolveLanguage(language);
  json sources = json::array();
  for (const notify::Source& src : p.sources) {
    sources.push_back({{"title", src.title}, {"url", src.url}});
  }
  json regulator = nullptr;
  if (p.regulator) regulator = {{"name", p.regulator->name}, {"url", p.regulator->url}};
  json support = json::array();
  for (const notify::SupportService& sv : p.support)
    support.push_back(SupportJson(sv, lang, false));
  if (p.id != "default") {
    for (const notify::SupportService& sv : lib.Profile("").support) {
      support.push_back(SupportJson(sv, lang, true));
    }
  }
  json report_to = json::array();
  for (const platforms::Platform& pl : dir.all()) {
    if (!SurvivorFacing(pl)) continue;
    std::string form, email;
    for (const platforms::Channel& ch : pl.channels) {
      if (ch.kind == domain::ChannelKind::kWebForm && form.empty()) form = ch.url;
      if (ch.kind == domain::ChannelKind::kEmail && email.empty()) email = ch.address;
    }
    report_to.push_back({{"id", pl.id},
                         {"name", pl.name},
                         {"report_url", form},
                         {"report_email", form.empty() ? email : ""},
                         {"ncii_partner", pl.ncii_partner}});
  }
  return {{"jurisdiction", p.id},
          {"language", lang},
          {"name", Pick(p.name, lang)},
          {"last_reviewed", p.last_reviewed},
          {"reviewed", !p.reviewed_by.empty()},
          {"plain_law", Pick(p.plain_law, lang)},
          {"sources", sources},
          {"regulator", regulator},
          {"platforms", report_to},
          {"platforms_last_reviewed", dir.last_reviewed()},
          {"support", support}};
}

}  // namespace

void AddPublicRoutes(Server& s) {
  s.routes.Post("/api/v1/intake",
                Timed(s, "intake", [&s](const httplib::Request& req, httplib::Response& res) {
                  auto request = ParseIntake(req);
                  if (!request.ok()) return ReplyError(res, request.status());
                  request->address = req.remote_addr;
                  casework::NextTry next;
                  auto receipt = s.survivors.Intake(*request, &next);
                  if (!receipt.ok()) return ReplyAttemptError(s, res, receipt.status(), next);
                  ReplyJson(res, 201,
                            {{"code", receipt->code},
                             {"pin", receipt->pin},
                             {"urls_accepted", receipt->urls_accepted},
                             {"url_errors", receipt->url_errors}});
                }));

  // Public and read-only: no credentials, nothing about any case.
  s.routes.Get("/api/v1/resources",
               Timed(s, "resources", [&s](const httplib::Request& req, httplib::Response& res) {
                 const std::string jurisdiction = req.get_param_value("jurisdiction");
                 const std::string language = req.get_param_value("language");
                 if (jurisdiction.size() > 8 || language.size() > 35) {
                   return ReplyError(res, InvalidArgument("jurisdiction or language is too long"));
                 }
                 json out = ResourcesJson(s.library, s.platforms, jurisdiction, language);
                 out.update(ChoicesJson(s.library, s.reports.languages(),
                                        out["language"].get<std::string>()));
                 ReplyJson(res, 200, out);
               }));

  s.routes.Get("/api/v1/status",
               Survivor(s, "status",
                        [&s](const std::string& code, const std::string& pin,
                             const httplib::Request& req, httplib::Response& res) {
                          casework::NextTry next;
                          auto view = s.survivors.SurvivorStatus(code, pin, req.remote_addr, &next);
                          if (!view.ok()) return ReplyAttemptError(s, res, view.status(), next);
                          const casework::SurvivorCounts& counts = view->counts;
                          // Her caseworker's messages: time and text only,
                          // never staff notes nor who wrote them.
                          json messages = json::array();
                          for (const auto& m : view->messages) {
                            messages.push_back({{"at", FormatTime(m.at)}, {"text", m.text}});
                          }
                          ReplyJson(res, 200,
                                    {{"images", counts.images},
                                     {"being_checked", counts.being_checked},
                                     {"copies_found", counts.copies_found},
                                     {"notified", counts.notified},
                                     {"removed", counts.removed},
                                     {"messages", messages}});
                        }));

  s.routes.Delete("/api/v1/case",
                  Survivor(s, "erase",
                           [&s](const std::string& code, const std::string& pin,
                                const httplib::Request& req, httplib::Response& res) {
                             casework::NextTry next;
                             Status st =
                                 s.survivors.SurvivorErase(code, pin, req.remote_addr, &next);
                             if (!st.ok()) {
                               return ReplyAttemptError(s, res, st, next);
                             }
                             ReplyJson(res, 200, {{"erased", true}});
                           }));
}

}  // namespace takedown::http::internal
