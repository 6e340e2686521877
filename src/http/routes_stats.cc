// Statistics for the dashboard and for export: GET /api/v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD
// &format=json|csv|html|pdf&language=<a data/report/ language>. Small counts are suppressed in
// every form.
#include "http/internal.h"

namespace takedown::http::internal {

void AddStatsRoutes(Server& s) {
  s.routes.Get("/api/v1/stats",
               Staff(s, "stats",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       auto param = [&](const char* name, const char* fallback) {
                         return req.has_param(name) ? req.get_param_value(name)
                                                    : std::string(fallback);
                       };
                       if (!req.has_param("from") || !req.has_param("to")) {
                         return ReplyError(res, InvalidArgument("from and to (YYYY-MM-DD) are "
                                                                "required; to is not included"));
                       }
                       auto from = stats::ParseDate(param("from", ""));
                       auto to = stats::ParseDate(param("to", ""));
                       if (!from.ok()) return ReplyError(res, from.status());
                       if (!to.ok()) return ReplyError(res, to.status());
                       const std::string format = param("format", "json");
                       const std::string language = param("language", "en");
                       if (format.size() > 8 || language.size() > 16) {
                         return ReplyError(res, InvalidArgument("format or language is too long"));
                       }
                       auto out = s.reports.Export(who.actor, *from, *to, format, language);
                       if (!out.ok()) return ReplyError(res, out.status());
                       if (format != "json") {
                         res.set_header("Content-Disposition",
                                        "attachment; filename=\"" + out->filename + "\"");
                       }
                       res.set_content(out->body, out->content_type);
                     }));
}

}  // namespace takedown::http::internal
