// What partner platforms may see: the hashes of consenting cases, as a feed, and their keys and
// feedback.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::store {

// One entry of the partner hash feed: an added hash (of a consenting case) or its deletion.
struct HashChange {
  int64_t cursor = 0;  // strictly increasing; pass the last one seen as `since`
  int64_t hash_id = 0;
  bool deleted = false;
  std::string pdq;  // empty for deletions
  int quality = 0;
  domain::MediaKind kind = domain::MediaKind::kImage;
  UnixMillis at = 0;
};

struct Feedback {
  int64_t partner_id = 0;
  int64_t hash_id = 0;
  std::string verdict;  // "removed", "not_found", "not_violating", "matched"
  std::string url;      // optional
  UnixMillis at = 0;
};

// Partner API keys, the shared-hash feed and the feedback partners send.
class PartnerStore {
 public:
  virtual ~PartnerStore() = default;

  // Hashes of consenting cases, for loading the partner match bank: those with id > after_id,
  // ascending, at most limit.
  virtual Result<std::vector<domain::MediaHash>> SharedHashes(int64_t after_id, int limit) = 0;
  // The partner feed after `since`, ascending, at most limit.
  virtual Result<std::vector<HashChange>> HashChanges(int64_t since, int limit) = 0;
  virtual Result<int64_t> CreatePartner(const domain::PartnerClient& p) = 0;
  virtual Result<domain::PartnerClient> FindPartnerByKeyHash(const std::string& key_hash) = 0;
  virtual Result<std::vector<domain::PartnerClient>> ListPartners() = 0;
  // Marks a partner's key revoked for good (there is no un-revoke: a new key is made instead) and
  // writes `event` in the same transaction; kNotFound. Revoking twice is not an error.
  virtual Status RevokePartner(int64_t id, const domain::Event& event) = 0;
  // kNotFound unless f.hash_id is a hash partners can see (of a case whose survivor consented to
  // sharing), or when the partner is gone.
  virtual Status AddFeedback(const Feedback& f) = 0;
};

}  // namespace takedown::store
