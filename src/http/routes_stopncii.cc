// The partner API in StopNCII.org's shape (casework/stopncii_feed.h) under /api/v1/stopncii/, so
// python-threatexchange's StopNCIIAPI (what Meta's HMA runs) works unchanged with
// base_url_override = <server>/api/v1/stopncii. Names are StopNCII's; the key and its scopes are
// the partner API's.
#include <algorithm>
#include <cstdint>

#include "http/internal.h"

namespace takedown::http::internal {
namespace {

constexpr char kBase[] = "/api/v1/stopncii/";

// StopNCII's client sends its keys as Ocp-Apim-Subscription-Key (every call) and x-functions-key
// (per endpoint). Either may carry the partner's Takedown API key; when both are sent they must
// be the same key, so a configuration mistake is reported rather than half working.
Result<casework::Authenticated> StopnciiPartner(Server& s, const httplib::Request& req) {
  const std::string subscription = req.get_header_value("Ocp-Apim-Subscription-Key");
  const std::string function = req.get_header_value("x-functions-key");
  if (subscription.empty() && function.empty()) {
    return PermissionDenied(
        "an API key is required: send it as Ocp-Apim-Subscription-Key (and x-functions-key)");
  }
  if (!subscription.empty() && !function.empty() && subscription != function) {
    return PermissionDenied(
        "Ocp-Apim-Subscription-Key and x-functions-key carry different keys: give the same "
        "Takedown API key to both");
  }
  return s.accounts.FromApiKey(subscription.empty() ? function : subscription);
}

template <typename Body>
auto Stopncii(Server& s, std::string route, Body body) {
  return Timed(s, std::move(route),
               [&s, body = std::move(body)](const httplib::Request& req, httplib::Response& res) {
                 auto who = StopnciiPartner(s, req);
                 if (!who.ok()) {
                   return ReplyJson(
                       res, 401,
                       {{"error", who.status().message()}, {"error_code", "unauthenticated"}});
                 }
                 body(*who, req, res);
               });
}

json RecordJson(const casework::StopnciiRecord& r) {
  json feedback = json::array();
  for (const auto& f : r.feedback) {
    feedback.push_back({{"source", f.source}, {"feedbackValue", f.value}, {"tags", f.tags}});
  }
  return {{"lastModtimestamp", r.last_modified},
          {"signalType", r.signal_type},
          {"hashValue", r.hash_value},
          {"hashStatus", r.status},
          {"caseNumbers", r.cases},
          {"CSPFeedbacks", feedback}};
}

// One entry of SubmitFeedback's hashFeedbacks: {"hashValue", "feedbackValue", "tags"}.
Result<casework::StopnciiFeedback> FeedbackOf(const json& entry, size_t index) {
  const std::string where = "hashFeedbacks[" + std::to_string(index) + "]: ";
  if (!entry.is_object()) return InvalidArgument(where + "must be an object");
  for (const auto& [key, value] : entry.items()) {
    if (key != "hashValue" && key != "feedbackValue" && key != "tags") {
      return InvalidArgument(where + "unknown field \"" + key + "\"");
    }
  }
  auto hash = GetString(entry, "hashValue", true, 64);
  auto value = GetString(entry, "feedbackValue", true, 32);
  for (const Status& st : {hash.status(), value.status()}) {
    if (!st.ok()) return InvalidArgument(where + st.message());
  }
  casework::StopnciiFeedback out{*hash, *value, {}, ""};
  if (const auto tags = entry.find("tags"); tags != entry.end()) {
    if (!tags->is_array()) return InvalidArgument(where + "\"tags\" must be an array of strings");
    for (const json& tag : *tags) {
      if (!tag.is_string()) return InvalidArgument(where + "\"tags\" must hold strings");
      out.tags.push_back(tag.get<std::string>());
    }
  }
  return out;
}

}  // namespace

void AddStopnciiRoutes(Server& s) {
  s.routes.Get(std::string(kBase) + "FetchHashes",
               Stopncii(s, "stopncii_fetch",
                        [&s](const casework::Authenticated& who, const httplib::Request& req,
                             httplib::Response& res) {
                          for (const char* name : {"startTimestamp", "pageSize"}) {
                            if (req.has_param(name) && !QueryInt(req, name)) {
                              return ReplyError(
                                  res, InvalidArgument(std::string(name) + " must be a number"));
                            }
                          }
                          const int64_t page_size = QueryInt(req, "pageSize").value_or(800);
                          auto page = s.stopncii.FetchHashes(
                              who.actor, QueryInt(req, "startTimestamp").value_or(0),
                              static_cast<int>(std::clamp<int64_t>(page_size, 0, INT32_MAX)),
                              req.get_param_value("nextPageToken"));
                          if (!page.ok()) return ReplyError(res, page.status());
                          json records = json::array();
                          for (const auto& r : page->records) records.push_back(RecordJson(r));
                          ReplyJson(res, 200,
                                    {{"count", records.size()},
                                     {"nextPageToken", page->next_page_token},
                                     {"nextSetTimestamp", page->next_set_timestamp},
                                     {"hasMoreRecords", page->has_more},
                                     {"hashRecords", records}});
                        }));

  s.routes.Post(
      std::string(kBase) + "SubmitFeedback",
      Stopncii(s, "stopncii_feedback",
               [&s](const casework::Authenticated& who, const httplib::Request& req,
                    httplib::Response& res) {
                 auto body = ParseObject(req, {"count", "hashFeedbacks"});
                 if (!body.ok()) return ReplyError(res, body.status());
                 const auto entries = body->find("hashFeedbacks");
                 if (entries == body->end() || !entries->is_array()) {
                   return ReplyError(res, InvalidArgument("\"hashFeedbacks\" must be an array"));
                 }
                 auto count = GetInt(*body, "count", false, 0, INT64_MAX,
                                     static_cast<int64_t>(entries->size()));
                 if (!count.ok()) return ReplyError(res, count.status());
                 if (*count != static_cast<int64_t>(entries->size())) {
                   return ReplyError(res, InvalidArgument("\"count\" must be the number of "
                                                          "hashFeedbacks"));
                 }
                 std::vector<casework::StopnciiFeedback> feedback;
                 for (size_t i = 0; i < entries->size(); ++i) {
                   auto entry = FeedbackOf((*entries)[i], i);
                   if (!entry.ok()) return ReplyError(res, entry.status());
                   feedback.push_back(std::move(*entry));
                 }
                 if (Status st = s.stopncii.SubmitFeedback(who.actor, feedback); !st.ok()) {
                   return ReplyError(res, st);
                 }
                 ReplyJson(res, 200, {{"count", feedback.size()}});
               }));

  // Every hash here comes from a survivor's own report, with her consent to share it: a platform
  // cannot add one. Refused before the key is even looked at, for everyone alike.
  s.routes.Post(
      std::string(kBase) + "SubmitHashes",
      Timed(s, "stopncii_submit_hashes", [](const httplib::Request&, httplib::Response& res) {
        ReplyJson(res, 403,
                  {{"error",
                    "Takedown does not take hashes from platforms: every hash "
                    "comes from a survivor's own report. Send what you did "
                    "about a hash with SubmitFeedback."},
                   {"error_code", "submit_hashes_refused"}});
      }));
}

}  // namespace takedown::http::internal
