// Text made safe for the writers (internal to report/). Names in the figures come from notices,
// RDAP answers and people: they may hold markup, control characters or broken UTF-8.
//
// Pure functions: safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace takedown::report {

// Valid UTF-8 (each broken sequence becomes U+FFFD) without control characters other than tab
// and newline, which XML 1.0 forbids and Pango draws as boxes.
std::string CleanText(std::string_view text);

// CleanText, then & < > " ' as entities: safe in XML and HTML text and in quoted attributes.
std::string EscapeXml(std::string_view text);

}  // namespace takedown::report
