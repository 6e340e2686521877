// Bulk decisions on a case's notices and sightings (issue 20): one request, and one audit event,
// for a caseworker's "approve all" or "dismiss selected". casework/bulk.h decides each item as
// its single route would; this file only parses and formats.
#include "casework/bulk.h"
#include "http/internal.h"

namespace takedown::http::internal {
namespace {

// The ids under `field`: an array of integers (CheckBulkIds bounds its length).
Result<std::vector<int64_t>> IdsOf(const json& body, const char* field) {
  const std::string name = std::string("\"") + field + "\"";
  if (!body.contains(field) || !body[field].is_array()) {
    return InvalidArgument(name + " must be an array of ids");
  }
  std::vector<int64_t> ids;
  for (const json& id : body[field]) {
    if (!id.is_number_integer()) return InvalidArgument(name + " must hold integers");
    ids.push_back(id.get<int64_t>());
  }
  return ids;
}

json ResultsJson(const std::vector<casework::BulkResult>& results) {
  json out = json::array();
  for (const casework::BulkResult& r : results) {
    json item = {{"id", r.id}, {"ok", r.status.ok()}, {"state", r.state}};
    if (!r.status.ok()) item["error"] = r.status.message();
    out.push_back(std::move(item));
  }
  return {{"results", out}};
}

// A POST on /api/v1/cases/{id}/<what>/bulk with {"action": ..., "<ids_field>": [...]}: `parse`
// turns the action's name into a decision, `decide` runs it.
template <typename Parse, typename Decide>
void AddBulk(Server& s, const std::string& what, const char* ids_field, Parse parse,
             Decide decide) {
  s.routes.Post(
      R"(/api/v1/cases/(\d{1,18})/)" + what + "/bulk",
      Staff(s, what + "_bulk",
            [ids_field, parse, decide](const casework::Authenticated& who,
                                       const httplib::Request& req, httplib::Response& res) {
              auto body = ParseObject(req, {"action", ids_field});
              if (!body.ok()) return ReplyError(res, body.status());
              auto action = GetString(*body, "action", true, 32);
              if (!action.ok()) return ReplyError(res, action.status());
              auto decision = parse(*action);
              if (!decision) {
                return ReplyError(res, InvalidArgument("no such bulk action: " + *action));
              }
              auto ids = IdsOf(*body, ids_field);
              if (!ids.ok()) return ReplyError(res, ids.status());
              auto results = decide(who.actor, PathId(req), *decision, *ids);
              if (!results.ok()) return ReplyError(res, results.status());
              ReplyJson(res, 200, ResultsJson(*results));
            }));
}

}  // namespace

void AddBulkRoutes(Server& s) {
  AddBulk(s, "notices", "notice_ids", casework::ParseNoticeDecision,
          [&s](const casework::Actor& who, int64_t case_id, casework::NoticeDecision decision,
               const std::vector<int64_t>& ids) {
            return s.notices.DecideNotices(who, case_id, decision, ids);
          });
  AddBulk(s, "sightings", "sighting_ids", casework::ParseSightingDecision,
          [&s](const casework::Actor& who, int64_t case_id, casework::SightingDecision decision,
               const std::vector<int64_t>& ids) {
            return s.watching.DecideSightings(who, case_id, decision, ids);
          });
}

}  // namespace takedown::http::internal
