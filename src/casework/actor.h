// Who is asking a use case of casework/, as the HTTP layer authenticated them: a survivor (by
// case code and PIN), a caseworker, reviewer or admin (by session), a partner platform (by API
// key) or the system (jobs). Every use case checks the actor's role or scopes itself.
//
// A value: copy it freely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/entities.h"

namespace takedown::casework {

struct Actor {
  enum class Kind { kSurvivor, kUser, kPartner, kSystem } kind = Kind::kSystem;
  int64_t id = 0;  // user or partner id
  domain::Role role = domain::Role::kReviewer;
  std::vector<std::string> scopes;  // partners
  std::string Name() const;         // "user:3", "partner:2", "survivor", "system"
};

}  // namespace takedown::casework
