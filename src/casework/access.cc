#include "casework/access.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "store/case_store.h"

namespace takedown::casework {

std::string Actor::Name() const {
  switch (kind) {
    case Kind::kSurvivor:
      return "survivor";
    case Kind::kUser:
      return "user:" + std::to_string(id);
    case Kind::kPartner:
      return "partner:" + std::to_string(id);
    case Kind::kSystem:
      break;
  }
  return "system";
}

Status RequireUser(const Actor& who, bool change) {
  if (who.kind != Actor::Kind::kUser) return PermissionDenied("caseworkers only");
  if (change && who.role == domain::Role::kReviewer) {
    return PermissionDenied("reviewers can read cases but not change them");
  }
  return Status::Ok();
}

Status RequireScope(const Actor& who, std::string_view scope) {
  if (who.kind != Actor::Kind::kPartner ||
      std::find(who.scopes.begin(), who.scopes.end(), scope) == who.scopes.end()) {
    return PermissionDenied("this API key lacks the scope " + std::string(scope));
  }
  return Status::Ok();
}

domain::Event MakeEvent(const Actor& who, std::optional<int64_t> case_id, std::string action,
                        UnixMillis at, std::string detail_json) {
  domain::Event e;
  e.case_id = case_id;
  e.actor = who.Name();
  e.action = std::move(action);
  e.detail_json = std::move(detail_json);
  e.at = at;
  return e;
}

domain::Event ReadEvent(const Actor& who, int64_t case_id, std::string_view what, UnixMillis at) {
  return MakeEvent(who, case_id, std::string(store::kCaseReadAction), at,
                   nlohmann::json{{"what", what}}.dump());
}

std::string NoteContext(int64_t case_id) { return "note:" + std::to_string(case_id); }
std::string ContactContext(const std::string& code) { return "contact:" + code; }
std::string NameContext(const std::string& code) { return "name:" + code; }
std::string NoticeContactContext(const std::string& code) { return "notice-contact:" + code; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace takedown::casework
