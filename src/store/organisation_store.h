// The organisation that notices go out in the name of, as an admin saved it (issue 20).
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::store {

// Who signs notices as the survivor's authorised representative, and how recipients reach it.
struct OrganisationProfile {
  std::string name;
  std::string email;
  std::string phone;
  std::string address;  // may hold several lines
  std::string website;
  std::string signatory;
  std::string signatory_role;

  bool operator==(const OrganisationProfile&) const = default;
};

// The one organisation profile of an installation.
class OrganisationStore {
 public:
  virtual ~OrganisationStore() = default;

  // nullopt until an admin first saves one.
  virtual Result<std::optional<OrganisationProfile>> GetOrganisation() = 0;
  // Replaces the profile and writes `event`.
  virtual Status PutOrganisation(const OrganisationProfile& profile,
                                 const domain::Event& event) = 0;
};

}  // namespace takedown::store
