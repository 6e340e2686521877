// Notices for caseworkers: a case's notices, one notice with what it lacks, the decisions on it
// (approve, mark a web form submitted, cancel, send again, draft again), and the replies that
// came back.
#include "http/internal.h"

namespace takedown::http::internal {
namespace {

json NoticeJson(const domain::Notice& n) {
  auto time_or_null = [](const std::optional<UnixMillis>& t) {
    return t ? json(FormatTime(*t)) : json(nullptr);
  };
  return {{"id", n.id},
          {"case_id", n.case_id},
          {"sighting_ids", n.sighting_ids},
          {"state", domain::NoticeStateName(n.state)},
          {"rung", n.rung},
          {"recipient_kind", domain::RecipientKindName(n.recipient_kind)},
          {"recipient", n.recipient},
          {"channel", domain::ChannelKindName(n.channel)},
          {"address", n.address},
          {"language", n.language},
          {"legal_basis", n.legal_basis},
          {"subject", n.subject},
          {"body", n.body},
          {"html", n.html},
          {"missing", n.missing},
          {"deadline_hours", n.deadline_hours},
          {"created_at", FormatTime(n.created_at)},
          {"approved_by", n.approved_by},
          {"sent_at", time_or_null(n.sent_at)},
          {"deadline", time_or_null(n.deadline)},
          {"last_error", n.last_error},
          {"outcome", n.outcome}};
}

// A POST on /api/v1/notices/{id}/<what> that calls `decide` and answers 204.
template <typename Decide>
void AddDecision(Server& s, const std::string& what, Decide decide) {
  s.routes.Post(R"(/api/v1/notices/(\d{1,18})/)" + what,
                Staff(s, "notice_" + what,
                      [&s, decide](const casework::Authenticated& who, const httplib::Request& req,
                                   httplib::Response& res) {
                        if (Status st = decide(s.notices, who.actor, PathId(req)); !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));
}

}  // namespace

void AddNoticeRoutes(Server& s) {
  s.routes.Get(R"(/api/v1/cases/(\d{1,18})/notices)",
               Staff(s, "case_notices",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto notices = s.notices.CaseNotices(who.actor, PathId(req));
                       if (!notices.ok()) return ReplyError(res, notices.status());
                       json out = json::array();
                       for (const auto& n : *notices) out.push_back(NoticeJson(n));
                       ReplyJson(res, 200, {{"notices", out}});
                     }));
  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/notices)",
                Staff(s, "case_notices_draft",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto body = ParseObject(req, {"sighting_ids"});
                        if (!body.ok()) return ReplyError(res, body.status());
                        std::vector<int64_t> only;
                        if (body->contains("sighting_ids")) {
                          const json& ids = (*body)["sighting_ids"];
                          if (!ids.is_array() || ids.size() > 1000) {
                            return ReplyError(res, InvalidArgument("\"sighting_ids\" must be an "
                                                                   "array of at most 1000 ids"));
                          }
                          for (const json& id : ids) {
                            if (!id.is_number_integer()) {
                              return ReplyError(
                                  res, InvalidArgument("\"sighting_ids\" must hold integers"));
                            }
                            only.push_back(id.get<int64_t>());
                          }
                        }
                        auto drafted = s.notices.DraftNotices(who.actor, PathId(req), only);
                        if (!drafted.ok()) return ReplyError(res, drafted.status());
                        json out = json::array();
                        for (const auto& n : *drafted) out.push_back(NoticeJson(n));
                        ReplyJson(res, 201, {{"notices", out}});
                      }));
  s.routes.Get(R"(/api/v1/notices/(\d{1,18}))",
               Staff(s, "notice",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto notice = s.notices.GetNotice(who.actor, PathId(req));
                       if (!notice.ok()) return ReplyError(res, notice.status());
                       ReplyJson(res, 200, NoticeJson(*notice));
                     }));
  AddDecision(s, "approve", [](casework::Notices& c, const casework::Actor& who, int64_t id) {
    return c.ApproveNotice(who, id);
  });
  AddDecision(s, "submitted", [](casework::Notices& c, const casework::Actor& who, int64_t id) {
    return c.MarkNoticeSubmitted(who, id);
  });
  AddDecision(s, "cancel", [](casework::Notices& c, const casework::Actor& who, int64_t id) {
    return c.CancelNotice(who, id);
  });
  AddDecision(s, "send-again", [](casework::Notices& c, const casework::Actor& who, int64_t id) {
    return c.SendNoticeAgain(who, id);
  });
  // A draft written again, or a cancelled notice's links drafted again, in the case's language
  // or the one named ({"language": "ms"}): the draft.
  s.routes.Post(R"(/api/v1/notices/(\d{1,18})/redraft)",
                Staff(s, "notice_redraft",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        std::optional<std::string> language;
                        if (!req.body.empty()) {  // no body: the case's language
                          auto body = ParseObject(req, {"language"});
                          if (!body.ok()) return ReplyError(res, body.status());
                          if (body->contains("language")) {
                            auto named = GetString(*body, "language", true, 35);
                            if (!named.ok()) return ReplyError(res, named.status());
                            language = *named;
                          }
                        }
                        auto draft = s.notices.Redraft(who.actor, PathId(req), language);
                        if (!draft.ok()) return ReplyError(res, draft.status());
                        ReplyJson(res, 200, NoticeJson(*draft));
                      }));
  // The case's language changed: its drafts are written again in it.
  s.routes.Post(
      R"(/api/v1/cases/(\d{1,18})/language)",
      Staff(s, "case_language",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              auto body = ParseObject(req, {"language"});
              if (!body.ok()) return ReplyError(res, body.status());
              auto language = GetString(*body, "language", true, 35);
              if (!language.ok()) return ReplyError(res, language.status());
              auto redrafted = s.notices.SetCaseLanguage(who.actor, PathId(req), *language);
              if (!redrafted.ok()) return ReplyError(res, redrafted.status());
              ReplyJson(res, 200, {{"language", *language}, {"drafts_rewritten", *redrafted}});
            }));
  s.routes.Get(R"(/api/v1/cases/(\d{1,18})/replies)",
               Staff(s, "case_replies",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto replies = s.notices.CaseReplies(who.actor, PathId(req));
                       if (!replies.ok()) return ReplyError(res, replies.status());
                       json out = json::array();
                       for (const auto& r : *replies) {
                         out.push_back({{"id", r.id},
                                        {"notice_id", r.notice_id},
                                        {"kind", r.kind},
                                        {"received_at", FormatTime(r.received_at)},
                                        {"from", r.from},
                                        {"subject", r.subject},
                                        {"text", r.text}});
                       }
                       ReplyJson(res, 200, {{"replies", out}});
                     }));
  s.routes.Get(
      R"(/api/v1/cases/(\d{1,18})/dossier)",
      Staff(s, "case_dossier",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              const std::string format =
                  req.has_param("format") ? req.get_param_value("format") : "html";
              const std::string language =
                  req.has_param("language") ? req.get_param_value("language") : "";
              if (format != "html" && format != "text" && format != "json") {
                return ReplyError(res, InvalidArgument("format must be html, text or json"));
              }
              if (language.size() > 16) {
                return ReplyError(res, InvalidArgument("language is a BCP 47 tag"));
              }
              auto dossier = s.notices.Dossier(who.actor, PathId(req), language);
              if (!dossier.ok()) return ReplyError(res, dossier.status());
              if (format == "json") {
                std::vector<std::string> missing;
                for (const auto& m : dossier->missing) missing.push_back(m.label);
                return ReplyJson(res, 200,
                                 {{"title", dossier->title},
                                  {"profile", dossier->profile},
                                  {"language", dossier->language},
                                  {"digest", dossier->digest},
                                  {"missing", missing},
                                  {"html", dossier->html},
                                  {"text", dossier->text}});
              }
              const std::string name =
                  "dossier-N" + req.matches[1].str() + "." + (format == "html" ? "html" : "txt");
              res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
              res.set_header("X-Dossier-SHA256", dossier->digest);
              if (format == "html") {
                res.set_content(dossier->html, "text/html; charset=utf-8");
              } else {
                res.set_content(dossier->text, "text/plain; charset=utf-8");
              }
            }));
}

}  // namespace takedown::http::internal
