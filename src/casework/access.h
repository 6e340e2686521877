// Internal to casework/: the access rule and sealing contexts its use-case files share.
#pragma once

#include <string>

#include "base/status.h"
#include "casework/casework.h"

namespace takedown::casework {

// Caseworkers (and admins) only; `change`: reviewers may read but not change.
Status RequireUser(const Actor& who, bool change);

// The sealing context of the case's notes and messages to the survivor.
std::string NoteContext(int64_t case_id);

}  // namespace takedown::casework
