// What drafting notices needs, wherever they are drafted (a caseworker's draft, the escalation
// ladder): the legal profiles and templates, the organisation that sends them as the survivor's
// authorised representative (the profile an admin saved, else the server's --org-* flags), and
// the key that opens her name and contact for the notices of a survivor who chose to be named in
// them (and seals the replies that come back).
//
// Holds references: what they name must outlive it. Immutable, so safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "notices/render.h"
#include "secrets/secrets.h"
#include "store/organisation_store.h"

namespace takedown::casework {

struct NoticeSetup {
  const notify::NoticeLibrary& library;
  notify::Organisation organisation;  // the flags': stands in until an admin saves a profile
  const secrets::Sealer& sealer;
  store::OrganisationStore& profile;  // what admins saved (OrganisationOf, drafting.h)
};

// The organisation notices are signed by: the profile an admin saved, else the server's flags.
Result<notify::Organisation> OrganisationOf(const NoticeSetup& setup);
// What every notice prints of its sender and `organisation` lacks ("name", "email",
// "signatory"): the server's start and the dashboard ask an admin to fill them.
std::vector<std::string> OrganisationLacks(const notify::Organisation& organisation);

}  // namespace takedown::casework
