// The hash exchange partners read in StopNCII's shape (casework/stopncii_feed.h): the values of
// consenting cases' hashes (domain::ExchangedValue), each with the hashes that carry it and
// whether each is still shared, ordered by when they last changed; and partners' feedback on them.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// The store keeps it current itself: CreateCase adds a consenting case's values, EraseCase
// withdraws them. Every change sets the value's modified_at above every modified_at already
// stored, so (modified_at, id) only grows in commit order and a reader paging on it misses nothing.
//
// A withdrawn value (no consenting case carries it any more) is kept, with no case link, only
// while a partner may hold it: one (not revoked) that was sent values past the value's sharing
// but not yet past its withdrawal, in (modified_at, id) order. Otherwise it is deleted (on the
// erase, or on the read that passes it), so erasure leaves nothing of hers once the partners that
// had it were told.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::store {

// Where a reader of ExchangedValues stopped: the last value it was given.
struct ExchangeCursor {
  UnixMillis modified_at = 0;
  int64_t id = 0;
};

// One partner's current word on a value.
struct ValueFeedback {
  std::string value;    // the exchanged value it is about
  std::string verdict;  // the partner's word, as the caller's vocabulary spells it
  std::vector<std::string> tags;
  UnixMillis at = 0;    // when it was said (PutValueFeedback's `now`)
  std::string partner;  // the partner's name (on reads)
  int64_t hash_id = 0;  // on CaseValueFeedback: the case's hash carrying the value
};

struct SharedValue {
  int64_t id = 0;
  domain::MediaKind kind = domain::MediaKind::kImage;
  std::string value;
  UnixMillis shared_at = 0;  // when it was first shared (on the modified_at scale)
  UnixMillis modified_at = 0;
  struct Carrier {
    int64_t hash_id = 0;
    bool withdrawn = false;  // its case was erased
  };
  std::vector<Carrier> hashes;          // ascending hash id
  std::vector<ValueFeedback> feedback;  // the reading partner's own
};

class HashExchangeStore {
 public:
  virtual ~HashExchangeStore() = default;

  // The values with modified_at >= from that come after `after` in (modified_at, id) order, at
  // most limit, with `partner_id`'s own feedback on each. Notes in the same transaction that the
  // partner was sent them (a write: it may forget withdrawn values nobody holds any more).
  virtual Result<std::vector<SharedValue>> ExchangedValues(UnixMillis from, ExchangeCursor after,
                                                           int limit, int64_t partner_id) = 0;
  // The largest modified_at stored, 0 when none: changes committed later are above it.
  virtual Result<UnixMillis> ExchangeHighWater() = 0;
  // Sets the partner's feedback on each value (replacing its earlier word on the same value) and
  // marks those values changed, all or nothing: kNotFound naming the first value that no
  // consenting case's hash carries now.
  virtual Status PutValueFeedback(int64_t partner_id, const std::vector<ValueFeedback>& feedback,
                                  UnixMillis now) = 0;
  // Partners' feedback on the values of the case's hashes, by hash id then partner.
  virtual Result<std::vector<ValueFeedback>> CaseValueFeedback(int64_t case_id) = 0;
};

}  // namespace takedown::store
