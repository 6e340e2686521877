// The report's charts, drawn as SVG by hand. Debian has no well-kept C++ charting library that
// writes SVG (the maintained ones are JavaScript or Python), and two simple kinds of chart need
// only rectangles, lines and text; owning them also lets a suppressed value be drawn as what it
// is — hatched, labelled, never a bar of zero — rather than as a missing number a library would
// plot as 0.
//
// The SVG is self-contained (no script, link, font or image), sized in pixels, and uses only
// what both browsers and librsvg draw the same (rect, line, text, one hatch pattern).
//
// Pure functions: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/svg.h"

namespace takedown::report {

// One value a chart shows.
struct Datum {
  std::optional<double> value;  // nullopt: suppressed or nothing to measure; `text` says which
  std::string text;             // printed beside it: the formatted value, or the marker
  bool suppressed = false;      // drawn hatched with its text, never as a bar of zero
};

struct Series {
  std::string name;
  std::vector<Datum> data;  // one per category
};

// Horizontal bars of shares (0..1), one per label, on a 0–100% axis. `id` names the chart's
// internal ids and must be unique within an HTML page; `title` is its accessible name.
Svg ShareBarChart(std::string_view id, std::string_view title,
                  const std::vector<std::string>& labels, const std::vector<Datum>& data);

// Columns of counts, a group per category and a column per series (a legend when there are
// several). `suppressed_legend` explains the hatching ("suppressed (<10)") when a value is.
Svg CountColumnChart(std::string_view id, std::string_view title,
                     const std::vector<std::string>& categories, const std::vector<Series>& series,
                     std::string_view suppressed_legend);

}  // namespace takedown::report
