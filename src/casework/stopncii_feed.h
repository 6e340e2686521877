// The hash exchange in StopNCII.org's shape, so that Meta's Hasher-Matcher-Actioner (HMA) and
// every python-threatexchange user pull consenting cases' hashes by configuration alone (their
// StopNCII exchange's base_url_override). The names and values are StopNCII's as that client
// spells them (threatexchange/exchanges/clients/stopncii/api.py): an image as ImagePDQ, a video as
// VideoMD5 (its file's MD5; a frame's PDQ has no StopNCII type), a hash Active while its case is
// shared and Withdrawn once the case is erased. docs/feeding-hma.md is the operator's guide.
//
// FetchHashes pages on (modified time, value id), never an offset, so a page stays right under
// concurrent intakes and erasures; a page token carries where the last page stopped. The partner
// sees a hash's id (as in the partner API), never its case. A value withdrawn before a reader
// could have been sent it (shared after the reader's startTimestamp, withdrawn before its first
// page) is left out: a reader starting from scratch learns no erased hash.
//
// Thread-safe: one StopnciiFeed serves every request thread (the store does its own locking).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "store/hash_exchange_store.h"

namespace takedown::casework {

// StopNCII's CSP feedback (StopNCIICSPFeedback).
struct StopnciiFeedback {
  std::string hash_value;  // on submission
  std::string value;       // StopNCIICSPFeedbackValue: "Blocked", "NotBlocked", ...
  std::vector<std::string> tags;
  std::string source;  // the partner's name (on reads)
};

// One StopNCIIHashRecord.
struct StopnciiRecord {
  int64_t last_modified = 0;  // Unix seconds
  std::string signal_type;    // "ImagePDQ", "VideoMD5"
  std::string hash_value;
  std::string status;                        // "Active", "Withdrawn"
  std::map<std::string, std::string> cases;  // hash id -> "Active" / "Withdrawn"
  std::vector<StopnciiFeedback> feedback;    // the reading partner's own
};

// One FetchHashesResponse.
struct StopnciiPage {
  std::string next_page_token;
  int64_t next_set_timestamp = 0;  // Unix seconds: the checkpoint to start the next run from
  bool has_more = false;
  std::vector<StopnciiRecord> records;
};

class StopnciiFeed {
 public:
  static constexpr int kMaxPageSize = 1000;
  static constexpr size_t kMaxFeedbacks = 1000;

  StopnciiFeed(store::HashExchangeStore& exchange, const Clock& clock);

  // The values changed at or after `start_timestamp` (Unix seconds; inclusive, so a run started
  // from the last page's next_set_timestamp misses nothing), `page_size` (1 to kMaxPageSize) at a
  // time; `page_token` ("" for the first page) continues a run and then decides where it starts.
  // Scope hashes:read.
  Result<StopnciiPage> FetchHashes(const Actor& who, int64_t start_timestamp, int page_size,
                                   const std::string& page_token);
  // The partner's word on each value (replacing its earlier one), all or nothing: kNotFound when
  // no shared hash has one of the values. Scope feedback.
  Status SubmitFeedback(const Actor& who, const std::vector<StopnciiFeedback>& feedback);

 private:
  store::HashExchangeStore& exchange_;
  const Clock& clock_;
};

}  // namespace takedown::casework
