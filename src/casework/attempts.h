// Internal to casework/: the keys and words of attempts counted before a secret is checked (PINs,
// passwords) or a limited action is taken (a report), shared by Survivors and Accounts.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace takedown::casework {

// What a refused or wrong attempt tells the person who made it, so that a page can say it in
// words: how many more tries before a wait, and when the next one is allowed. A value.
struct NextTry {
  int tries_left = 0;  // attempts left before a wait starts
  UnixMillis at = 0;   // the next attempt is allowed from this time (now or earlier: at once)
};

// The network an address is counted for: an IPv4 address itself (an IPv4-mapped IPv6 address as
// IPv4), an IPv6 address's /64 ("2001:db8:1:2::/64"), since one household or one customer gets a
// whole /64 and counting single addresses would be free to dodge. Anything else as it is.
std::string AddressBlock(const std::string& address);

// kResourceExhausted saying how long to wait from `now` until `at`, in words ("too many <what>;
// try again in 8 seconds").
Status WaitBeforeRetrying(const std::string& what, UnixMillis now, UnixMillis at);

}  // namespace takedown::casework
