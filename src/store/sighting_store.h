// Where her images were seen: the sightings of a case and their states.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::store {

// The result of adding one URL line to a case.
struct AddedSighting {
  int64_t sighting_id = 0;
  bool duplicate = false;  // the case already had this normalised URL (sighting_id is that one)
};

// The URLs of a case (reported, pasted or found by a watched source), what each check saw, and the
// moves of the sighting state machine (domain::CanTransition).
class SightingStore {
 public:
  virtual ~SightingStore() = default;

  // Adds each sighting to the case unless its normalized_url is already there; one result per
  // input, in order. Writes a "sighting.added" event per new one.
  virtual Result<std::vector<AddedSighting>> AddSightings(int64_t case_id,
                                                          const std::vector<domain::Sighting>& s,
                                                          const std::string& actor,
                                                          UnixMillis now) = 0;
  virtual Result<std::vector<domain::Sighting>> ListSightings(int64_t case_id) = 0;
  // kFailedPrecondition if domain::CanTransition(current, to) is false; writes `event` when set
  // (a bulk request writes one event of its own for all its moves).
  virtual Status TransitionSighting(int64_t sighting_id, domain::SightingState to,
                                    const std::optional<domain::Event>& event) = 0;
  virtual Result<domain::Sighting> GetSighting(int64_t sighting_id) = 0;  // kNotFound
  // Ids of sightings never checked (last_checked unset) and not dismissed, ascending, after
  // `after_id`, at most limit.
  virtual Result<std::vector<int64_t>> UncheckedSightings(int64_t after_id, int limit) = 0;
  // Records what a check of the sighting's URL saw (evidence, last_checked) and, when `to` is
  // set, moves it there in the same transaction (kFailedPrecondition when CanTransition says no,
  // and then nothing is recorded). Writes `event` when set.
  virtual Status RecordSightingCheck(int64_t sighting_id, const std::string& evidence_json,
                                     UnixMillis checked_at, std::optional<domain::SightingState> to,
                                     const std::optional<domain::Event>& event) = 0;
  // A caseworker confirmed that the sighting shows her image: a repost found by a watched source
  // (needs_review off), or a link nobody has matched (confirmed_by, "user:3", lets a notice name
  // it). Writes `event` when set (a bulk request writes one event of its own for all of them).
  virtual Status ConfirmSighting(int64_t sighting_id, const std::string& confirmed_by,
                                 const std::optional<domain::Event>& event) = 0;
};

}  // namespace takedown::store
