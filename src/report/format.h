// How every report writes a number. The HTML page, the PDF, the charts and any JSON export that
// wants to match them call these, so a figure reads the same everywhere (and tests can compare
// them as text).
//
// Choices, and why:
// - Counts with a comma every three digits ("12,345"), in every language: Traditional Chinese
//   text groups digits the same way.
// - Shares as whole percents ("62%"): the counts behind them are small enough that a decimal
//   would claim precision the data does not have. A share that is not exactly 0 or 1 never
//   rounds to "0%" or "100%", which would say no (or every) URL came down.
// - Hours with one decimal ("36.5").
// - A withheld value (stats::Count nullopt; a share or time over a withheld count) is "[c]", as
//   in stats::ToCsv and official statistics: not "<k", because stats::Suppress also withholds
//   counts of k or more that would give a small one back.
// - A share or time with nothing to measure (its denominator is zero) is "—".
//
// Pure functions, independent of the C locale: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stats/stats.h"

namespace takedown::report {

inline constexpr std::string_view kWithheld = "[c]";
inline constexpr std::string_view kNotAvailable = "—";

std::string FormatInteger(int64_t n);
std::string FormatPercent(double share);
std::string FormatHours(double hours);

// A count: FormatInteger, or kWithheld.
std::string FormatCount(const stats::Count& count);

// A share or a time computed over `base` items (the share's denominator, the number of times
// measured): the value formatted, kNotAvailable when `base` is zero (nothing to measure), else
// kWithheld (it, or a count it uses, was withheld).
std::string FormatShare(const stats::Share& share, const stats::Count& base);
std::string FormatHours(const std::optional<double>& hours, const stats::Count& base);

// "YYYY-MM-DD" (UTC) of a time.
std::string FormatDate(UnixMillis t);

}  // namespace takedown::report
