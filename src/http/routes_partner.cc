// What partner platforms call with an API key: pull the hash feed, match hashes, report back.
#include "http/internal.h"

namespace takedown::http::internal {
namespace {

template <typename Body>
auto Partner(Server& s, std::string route, Body body) {
  return Timed(s, std::move(route),
               [&s, body = std::move(body)](const httplib::Request& req, httplib::Response& res) {
                 auto who = PartnerFromRequest(s, req);
                 if (!who.ok()) {
                   res.set_header("WWW-Authenticate", "Bearer");
                   return ReplyJson(
                       res, 401,
                       {{"error", who.status().message()}, {"error_code", "unauthenticated"}});
                 }
                 body(*who, req, res);
               });
}

}  // namespace

void AddPartnerRoutes(Server& s) {
  s.routes.Get(
      "/api/v1/hashes",
      Partner(s, "hashes",
              [&s](const casework::Authenticated& who, const httplib::Request& req,
                   httplib::Response& res) {
                if (req.has_param("since") && !QueryInt(req, "since")) {
                  return ReplyError(res, InvalidArgument("since must be a cursor (a number)"));
                }
                // Refused rather than clamped or defaulted: a partner's page size is honoured
                // exactly or the answer says why (docs/openapi.yaml).
                const auto limit =
                    req.has_param("limit") ? QueryInt(req, "limit") : std::optional<int64_t>(1000);
                if (!limit || *limit < 1 || *limit > 10'000) {
                  return ReplyError(
                      res, InvalidArgument("limit must be a whole number from 1 to 10000"));
                }
                const int64_t since = QueryInt(req, "since").value_or(0);
                auto changes = s.partners.HashFeed(who.actor, since, static_cast<int>(*limit));
                if (!changes.ok()) return ReplyError(res, changes.status());
                json out = json::array();
                int64_t next = since;
                for (const auto& c : *changes) {
                  json entry = {{"cursor", c.cursor},
                                {"id", c.hash_id},
                                {"deleted", c.deleted},
                                {"at", FormatTime(c.at)}};
                  if (!c.deleted) {
                    entry["pdq"] = c.pdq;
                    entry["quality"] = c.quality;
                    entry["kind"] = domain::MediaKindName(c.kind);
                  }
                  out.push_back(std::move(entry));
                  next = c.cursor;
                }
                ReplyJson(res, 200, {{"changes", out}, {"next", next}});
              }));

  s.routes.Post(
      "/api/v1/match",
      Partner(s, "match",
              [&s](const casework::Authenticated& who, const httplib::Request& req,
                   httplib::Response& res) {
                auto body = ParseObject(req, {"hashes", "images", "radius"});
                if (!body.ok()) return ReplyError(res, body.status());
                // Bare PDQ hashes, then images with their region signals, answered in that order.
                std::vector<casework::MatchQuery> queries;
                if (const auto it = body->find("hashes"); it != body->end()) {
                  if (!it->is_array()) {
                    return ReplyError(
                        res, InvalidArgument("\"hashes\" must be an array of hex strings"));
                  }
                  for (const json& h : *it) {
                    if (!h.is_string()) {
                      return ReplyError(res, InvalidArgument("\"hashes\" must hold strings"));
                    }
                    queries.push_back({h.get<std::string>(), ""});
                  }
                }
                if (const auto it = body->find("images"); it != body->end()) {
                  if (!it->is_array()) {
                    return ReplyError(res, InvalidArgument("\"images\" must be an array"));
                  }
                  for (const json& image : *it) {
                    if (!image.is_object()) {
                      return ReplyError(res, InvalidArgument("\"images\" must hold objects"));
                    }
                    for (const auto& [key, value] : image.items()) {
                      if (key != "pdq" && key != "regions") {
                        return ReplyError(
                            res, InvalidArgument("an image has an unknown field \"" + key + "\""));
                      }
                    }
                    auto pdq = GetString(image, "pdq", true, 64);
                    auto regions = GetString(image, "regions", false, matching::kMaxRegionsText);
                    for (const Status& st : {pdq.status(), regions.status()}) {
                      if (!st.ok()) return ReplyError(res, st);
                    }
                    queries.push_back({*pdq, *regions});
                  }
                }
                auto radius = GetInt(*body, "radius", false, 0, 64, 31);
                if (!radius.ok()) return ReplyError(res, radius.status());
                auto results = s.partners.Match(who.actor, queries, static_cast<int>(*radius));
                if (!results.ok()) return ReplyError(res, results.status());
                json out = json::array();
                for (const auto& r : *results) {
                  json matches = json::array();
                  for (const auto& m : r.matches) {
                    json match = {{"id", m.hash_id},
                                  {"distance", m.distance},
                                  {"signal", m.signal},
                                  {"strength", m.strong ? "strong" : "weak"}};
                    for (const matching::RegionEvidence& e : m.regions) {
                      match["regions"].push_back(
                          {{"query", hashing::RegionName(e.query_region)},
                           {"stored", hashing::RegionName(e.stored_region)},
                           {"distance", e.distance},
                           {"variant", hashing::kDihedralNames[static_cast<int>(e.variant)]}});
                    }
                    matches.push_back(std::move(match));
                  }
                  out.push_back({{"query", r.query}, {"matches", matches}});
                }
                ReplyJson(res, 200, {{"results", out}});
              }));

  s.routes.Post("/api/v1/feedback",
                Partner(s, "feedback",
                        [&s](const casework::Authenticated& who, const httplib::Request& req,
                             httplib::Response& res) {
                          auto body = ParseObject(req, {"hash_id", "verdict", "url"});
                          if (!body.ok()) return ReplyError(res, body.status());
                          auto id = GetInt(*body, "hash_id", true, 1, INT64_MAX, 0);
                          auto verdict = GetString(*body, "verdict", true, 32);
                          auto url = GetString(*body, "url", false, 4096);
                          for (const Status& st : {id.status(), verdict.status(), url.status()}) {
                            if (!st.ok()) return ReplyError(res, st);
                          }
                          if (Status st = s.partners.Feedback(who.actor, *id, *verdict, *url);
                              !st.ok()) {
                            return ReplyError(res, st);
                          }
                          res.status = 204;
                        }));
}

}  // namespace takedown::http::internal
