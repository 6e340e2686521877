// How often something may be tried under one key (a case's PIN, an account's password, an
// address's reports): a few attempts freely, then a wait that doubles with each attempt up to a
// cap, and a clean slate after a quiet period. A wait, never a lock: the right secret is only
// ever delayed, never refused for good, so nobody who knows a case code can lock its survivor out.
//
// A value: copy it freely.
#pragma once

#include "base/clock.h"

namespace takedown::domain {

struct AttemptLimit {
  int free_attempts = 3;                       // within a quiet period, before any wait
  UnixMillis first_wait = kMillisPerSecond;    // after the first attempt past them; doubles ...
  UnixMillis max_wait = 8 * kMillisPerSecond;  // ... up to this
  UnixMillis quiet_period = kMillisPerHour;    // counting starts again after this long unused

  // The wait before the next attempt once `attempts` have been counted.
  UnixMillis WaitAfter(int attempts) const;
};

}  // namespace takedown::domain
