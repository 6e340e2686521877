#include "domain/attempts.h"

#include <algorithm>

namespace takedown::domain {

UnixMillis AttemptLimit::WaitAfter(int attempts) const {
  if (attempts < free_attempts) return 0;
  UnixMillis wait = first_wait;
  for (int past = attempts - free_attempts; past > 0 && wait < max_wait; --past) wait *= 2;
  return std::min(wait, max_wait);
}

}  // namespace takedown::domain
