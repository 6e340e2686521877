#include "report/format.h"

#include <charconv>
#include <cmath>

#include "base/clock.h"

namespace takedown::report {

std::string FormatInteger(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -static_cast<uint64_t>(n) : static_cast<uint64_t>(n));
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatPercent(double share) {
  long percent = std::lround(share * 100);
  if (share > 0 && percent == 0) percent = 1;
  if (share < 1 && percent == 100) percent = 99;
  return std::to_string(percent) + "%";
}

std::string FormatHours(double hours) {
  // std::to_chars ignores the C locale, which a host program may have set to write "36,5".
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, hours, std::chars_format::fixed, 1);
  return ec == std::errc() ? std::string(buf, end) : std::string(kNotAvailable);
}

std::string FormatCount(const stats::Count& count) {
  return count ? FormatInteger(*count) : std::string(kWithheld);
}

std::string FormatShare(const stats::Share& share, const stats::Count& base) {
  if (share) return FormatPercent(*share);
  return std::string(base == 0 ? kNotAvailable : kWithheld);
}

std::string FormatHours(const std::optional<double>& hours, const stats::Count& base) {
  if (hours) return FormatHours(*hours);
  return std::string(base == 0 ? kNotAvailable : kWithheld);
}

std::string FormatDate(UnixMillis t) { return FormatTime(t).substr(0, 10); }

}  // namespace takedown::report
