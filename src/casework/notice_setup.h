// What drafting notices needs, wherever they are drafted (a caseworker's draft, the escalation
// ladder): the legal profiles and templates, the organisation that sends them as the survivor's
// authorised representative, and the key that opens her name and contact for the notices of a
// survivor who chose to be named in them (and seals the replies that come back).
//
// Holds references: what they name must outlive it. Immutable, so safe to share between threads.
#pragma once

#include "notices/render.h"
#include "secrets/secrets.h"

namespace takedown::casework {

struct NoticeSetup {
  const notify::NoticeLibrary& library;
  notify::Organisation organisation;
  const secrets::Sealer& sealer;
};

}  // namespace takedown::casework
