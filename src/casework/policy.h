// The limits of what survivors and caseworkers may send at once, and how PIN guessing is
// throttled, with the defaults the server uses.
//
// A value: copy it freely.
#pragma once

#include "base/clock.h"
#include "secrets/secrets.h"

namespace takedown::casework {

struct Policy {
  int max_images = 200;
  int max_urls = 1000;
  int case_failures_before_lock = 5;         // wrong PINs for one case ...
  UnixMillis case_lock = 15 * 60 * 1000;     // ... lock it this long
  int address_failures_before_lock = 20;     // wrong PINs from one address ...
  UnixMillis address_lock = 60 * 60 * 1000;  // ... lock it this long
  UnixMillis failure_window = 60 * 60 * 1000;
  secrets::HashCost pin_cost;
};

}  // namespace takedown::casework
