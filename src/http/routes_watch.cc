// Caseworkers' controls over discovery's watching: pause a case's watching, confirm a repost,
// watched sources (a case's, or the organisation's for admins), and a case's crawl: its progress,
// and crawling its sources now.
#include "http/internal.h"

namespace takedown::http::internal {
namespace {

json TimeOrNull(const std::optional<UnixMillis>& t) {
  return t ? json(FormatTime(*t)) : json(nullptr);
}

json SourceJson(const domain::WatchedSource& s) {
  json outcome = json::parse(s.last_outcome_json, nullptr, false);
  return {{"id", s.id},
          {"case_id", s.case_id ? json(*s.case_id) : json(nullptr)},
          {"url", s.url},
          {"kind", domain::SourceKindName(s.kind)},
          {"depth", s.max_depth},
          {"pages", s.max_pages},
          {"every_hours", s.every / kMillisPerHour},
          {"paused", s.paused},
          {"created_by", s.created_by},
          {"created_at", FormatTime(s.created_at)},
          {"last_crawled", TimeOrNull(s.last_crawled)},
          {"last_outcome", outcome.is_discarded() ? json::object() : outcome}};
}

// The source a request body describes, for AddWatchedSource.
Result<domain::WatchedSource> SourceFromBody(const httplib::Request& req,
                                             std::optional<int64_t> case_id) {
  auto body = ParseObject(req, {"url", "kind", "depth", "pages", "every_hours"});
  if (!body.ok()) return body.status();
  auto url = GetString(*body, "url", true, 4096);
  auto kind_name = GetString(*body, "kind", false, 16);
  auto depth = GetInt(*body, "depth", false, 0, 3, 1);
  auto pages = GetInt(*body, "pages", false, 1, 1000, 50);
  auto every = GetInt(*body, "every_hours", false, 1, 2160, 24);
  for (const Status& st :
       {url.status(), kind_name.status(), depth.status(), pages.status(), every.status()}) {
    if (!st.ok()) return st;
  }
  domain::WatchedSource s;
  s.case_id = case_id;
  s.url = *url;
  if (!kind_name->empty()) {
    auto kind = domain::ParseSourceKind(*kind_name);
    if (!kind) return InvalidArgument("kind must be page, feed, sitemap or channel");
    s.kind = *kind;
  }
  s.max_depth = static_cast<int>(*depth);
  s.max_pages = static_cast<int>(*pages);
  s.every = *every * kMillisPerHour;
  return s;
}

void ReplySources(httplib::Response& res,
                  const Result<std::vector<domain::WatchedSource>>& sources) {
  if (!sources.ok()) return ReplyError(res, sources.status());
  json out = json::array();
  for (const auto& s : *sources) out.push_back(SourceJson(s));
  ReplyJson(res, 200, {{"sources", out}});
}

// {"paused": bool}, required.
Result<bool> PausedFromBody(const httplib::Request& req) {
  auto body = ParseObject(req, {"paused"});
  if (!body.ok()) return body.status();
  if (!body->contains("paused") || !(*body)["paused"].is_boolean()) {
    return InvalidArgument("\"paused\" must be true or false");
  }
  return (*body)["paused"].get<bool>();
}

}  // namespace

void AddWatchRoutes(Server& s) {
  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/watch)",
                Staff(s, "case_watch",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto paused = PausedFromBody(req);
                        if (!paused.ok()) return ReplyError(res, paused.status());
                        if (Status st = s.watching.SetWatchPaused(who.actor, PathId(req), *paused);
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Get(
      R"(/api/v1/cases/(\d{1,18})/crawl)",
      Staff(s, "case_crawl",
            [&s](const casework::Authenticated& who, const httplib::Request& req,
                 httplib::Response& res) {
              auto progress = s.watching.CrawlProgress(who.actor, PathId(req));
              if (!progress.ok()) return ReplyError(res, progress.status());
              auto sources = s.watching.WatchedSources(who.actor, PathId(req));
              if (!sources.ok()) return ReplyError(res, sources.status());
              json failures = json::array();
              for (const domain::Job& j : progress->failures) {
                json payload = json::parse(j.payload_json, nullptr, false);
                failures.push_back({{"job", j.id},
                                    {"kind", j.kind},
                                    {"subject", payload.is_discarded() ? json::object() : payload},
                                    {"attempts", j.attempts},
                                    {"error", j.last_error},
                                    {"last_run_at", FormatTime(j.run_at)}});
              }
              json source_list = json::array();
              for (const auto& src : *sources) source_list.push_back(SourceJson(src));
              ReplyJson(res, 200,
                        {{"queued", progress->queued},
                         {"running", progress->running},
                         {"done", progress->done},
                         {"failed", progress->failed},
                         {"next_run", TimeOrNull(progress->next_run)},
                         {"failures", failures},
                         {"sources", source_list}});
            }));

  s.routes.Post(R"(/api/v1/cases/(\d{1,18})/crawl)",
                Staff(s, "case_crawl_now",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto queued = s.watching.CrawlNow(who.actor, PathId(req));
                        if (!queued.ok()) return ReplyError(res, queued.status());
                        ReplyJson(res, 202, {{"queued", *queued}});
                      }));

  s.routes.Get(R"(/api/v1/cases/(\d{1,18})/sources)",
               Staff(s, "case_sources",
                     [&s](const casework::Authenticated& who, const httplib::Request& req,
                          httplib::Response& res) {
                       ReplySources(res, s.watching.WatchedSources(who.actor, PathId(req)));
                     }));

  auto add_source = [&s](std::optional<int64_t> case_id, const casework::Authenticated& who,
                         const httplib::Request& req, httplib::Response& res) {
    auto source = SourceFromBody(req, case_id);
    if (!source.ok()) return ReplyError(res, source.status());
    auto added = s.watching.AddWatchedSource(who.actor, std::move(*source));
    if (!added.ok()) return ReplyError(res, added.status());
    ReplyJson(res, 201, SourceJson(*added));
  };
  s.routes.Post(
      R"(/api/v1/cases/(\d{1,18})/sources)",
      Staff(s, "case_sources_add",
            [add_source](const casework::Authenticated& who, const httplib::Request& req,
                         httplib::Response& res) { add_source(PathId(req), who, req, res); }));
  s.routes.Get("/api/v1/sources",
               Staff(s, "sources",
                     [&s](const casework::Authenticated& who, const httplib::Request&,
                          httplib::Response& res) {
                       ReplySources(res, s.watching.WatchedSources(who.actor, std::nullopt));
                     }));
  s.routes.Post(
      "/api/v1/sources",
      Staff(s, "sources_add",
            [add_source](const casework::Authenticated& who, const httplib::Request& req,
                         httplib::Response& res) { add_source(std::nullopt, who, req, res); }));

  s.routes.Post(R"(/api/v1/sources/(\d{1,18})/pause)",
                Staff(s, "source_pause",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        auto paused = PausedFromBody(req);
                        if (!paused.ok()) return ReplyError(res, paused.status());
                        if (Status st = s.watching.SetSourcePaused(who.actor, PathId(req), *paused);
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));

  s.routes.Delete(R"(/api/v1/sources/(\d{1,18}))",
                  Staff(s, "source_delete",
                        [&s](const casework::Authenticated& who, const httplib::Request& req,
                             httplib::Response& res) {
                          if (Status st = s.watching.DeleteWatchedSource(who.actor, PathId(req));
                              !st.ok()) {
                            return ReplyError(res, st);
                          }
                          res.status = 204;
                        }));

  s.routes.Post(R"(/api/v1/sightings/(\d{1,18})/confirm)",
                Staff(s, "sighting_confirm",
                      [&s](const casework::Authenticated& who, const httplib::Request& req,
                           httplib::Response& res) {
                        if (Status st = s.watching.ConfirmSighting(who.actor, PathId(req));
                            !st.ok()) {
                          return ReplyError(res, st);
                        }
                        res.status = 204;
                      }));
}

}  // namespace takedown::http::internal
