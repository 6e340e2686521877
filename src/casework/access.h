// Internal to casework/: the access rule its use-case files share.
#pragma once

#include "base/status.h"
#include "casework/casework.h"

namespace takedown::casework {

// Caseworkers (and admins) only; `change`: reviewers may read but not change.
Status RequireUser(const Actor& who, bool change);

}  // namespace takedown::casework
