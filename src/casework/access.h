// Internal to casework/: the access rules, audit events and sealing contexts its use cases share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "domain/entities.h"

namespace takedown::casework {

// Caseworkers (and admins) only; `change`: reviewers may read but not change.
Status RequireUser(const Actor& who, bool change);
// Partners whose key carries `scope` only.
Status RequireScope(const Actor& who, std::string_view scope);

// The audit event of `who` doing `action` to the case at `at`.
domain::Event MakeEvent(const Actor& who, std::optional<int64_t> case_id, std::string action,
                        UnixMillis at, std::string detail_json = "{}");

// The audit event of `who` reading `what` of the case ("notices", "events", ...): a case.read
// event, written before the answer, for every read of a case's data (issue 19, item 5).
domain::Event ReadEvent(const Actor& who, int64_t case_id, std::string_view what, UnixMillis at);

// The sealing contexts: the case's notes and messages to the survivor; her contact and her name
// (bound to her case code).
std::string NoteContext(int64_t case_id);
std::string ContactContext(const std::string& code);
std::string NameContext(const std::string& code);
std::string NoticeContactContext(const std::string& code);

// Lower-case ASCII (hex digests and hashes are stored so).
std::string Lower(std::string s);

}  // namespace takedown::casework
