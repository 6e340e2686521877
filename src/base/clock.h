// The one way Takedown reads the time. Deadlines, leases, rechecks and schedules all ask a Clock,
// so tests (and end-to-end simulations with `takedown serve --clock=manual`) can set and advance
// time and run weeks of a case's life in seconds.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace takedown {

// Milliseconds since the Unix epoch, UTC: the unit of every stored time.
using UnixMillis = int64_t;

inline constexpr UnixMillis kMillisPerSecond = 1000;
inline constexpr UnixMillis kMillisPerHour = 3'600'000;
inline constexpr UnixMillis kMillisPerDay = 24 * kMillisPerHour;

// Thread-safe: Now may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
};

// The system's real-time clock.
class SystemClock : public Clock {
 public:
  UnixMillis Now() const override;
};

// A clock that moves only when told to. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(UnixMillis start) : now_(start) {}
  UnixMillis Now() const override { return now_.load(); }
  void Set(UnixMillis t) { now_.store(t); }
  void Advance(UnixMillis by) { now_.fetch_add(by); }

 private:
  std::atomic<UnixMillis> now_;
};

// Formats as ISO 8601 UTC with milliseconds ("2026-11-22T14:03:00.000Z"); parses the same and
// the form without milliseconds. Parse returns false on anything else.
std::string FormatTime(UnixMillis t);
bool ParseTime(std::string_view text, UnixMillis* out);

}  // namespace takedown
