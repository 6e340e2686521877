// The limits of what survivors and caseworkers may send at once, how PIN guessing is slowed and
// how many reports one address may make, with the defaults the server uses.
//
// A value: copy it freely.
#pragma once

#include "base/clock.h"
#include "domain/attempts.h"
#include "secrets/secrets.h"

namespace takedown::casework {

struct Policy {
  int max_images = 200;
  int max_urls = 1000;
  // PINs tried on one case code, known or not: 3 at once, then a wait from 1 s doubling to 8 s.
  // Her right PIN is never locked out, only delayed: at most 8 s behind whoever guesses, and an
  // 8-digit PIN at one guess per 8 s takes years to find.
  domain::AttemptLimit pin_per_code{3, kMillisPerSecond, 8 * kMillisPerSecond, kMillisPerHour};
  // PINs tried from one address (an IPv6 /64) on any codes: 20, then from 1 s doubling to 60 s.
  domain::AttemptLimit pin_per_address{20, kMillisPerSecond, 60 * kMillisPerSecond, kMillisPerHour};
  // Reports from one address (an IPv6 /64) in an hour, then one every hour / this; 0: no limit.
  int intakes_per_hour = 20;
  secrets::HashCost pin_cost;
};

}  // namespace takedown::casework
