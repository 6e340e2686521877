// The report as one self-contained HTML page: inline <style> only, charts as inline SVG, no
// script and nothing fetched from anywhere, so it can be mailed, archived and opened offline,
// and printed (A4, table headers repeated, charts kept whole) from any browser.
//
// A pure function: safe from any thread.
#pragma once

#include <string>

#include "report/document.h"

namespace takedown::report {

// Every text of the document is escaped; the charts are inlined as charts.h made them.
std::string WriteHtml(const Document& doc);

}  // namespace takedown::report
