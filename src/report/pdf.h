// The report as a PDF, for printing and for attaching to letters: A4 pages numbered "n / N", text
// laid out by Pango (so Traditional Chinese or any script shapes correctly with the fonts
// fontconfig finds), charts drawn by librsvg, all written in memory by cairo's PDF surface — no
// temporary file holds any of it.
//
// Pages: a heading stays with what follows it; a table too long for the page continues on the
// next with its header repeated; a chart, a paragraph and a table row are never split (a chart
// taller than a page is shrunk to fit).
//
// Each call has its own Pango font map: safe to call from several threads at once.
#pragma once

#include <string>

#include "base/status.h"
#include "report/document.h"

namespace takedown::report {

// The PDF's bytes. kCorrupt when a chart's SVG cannot be read (a bug), kIoError when cairo
// cannot write the PDF (out of memory).
Result<std::string> WritePdf(const Document& doc);

}  // namespace takedown::report
