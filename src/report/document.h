// The report document: what a printable report says, independent of how it is written out.
// One model, several writers (html.h, pdf.h), so the HTML page and the PDF always carry the same
// words and the same numbers.
//
// Plain values: safe to copy, and to read from any number of threads.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "report/svg.h"

namespace takedown::report {

// A paragraph of plain text (no markup: writers escape it).
struct Paragraph {
  std::string text;
};

// Headline figures, each a label and its formatted value ("Cases reported", "1,234").
struct KeyFigure {
  std::string label, value;
};
struct KeyFigures {
  std::vector<KeyFigure> items;
};

// A table of formatted cells. Numeric columns are right-aligned so digits line up. A writer may
// split a long table across pages and then repeats the header.
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<bool> numeric;  // per column; missing entries are text columns
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> footnotes;
};

// A chart drawn by charts.h, whose SVG <title> carries the text for readers who cannot see it.
// Writers never split one across pages.
struct Chart {
  Svg svg;
  std::string caption;
};

using Block = std::variant<Paragraph, KeyFigures, Table, Chart>;

// A section under one heading; an empty heading continues the title block (the cover).
struct Section {
  std::string heading;
  std::vector<Block> blocks;
};

struct Document {
  std::string language;  // BCP 47 ("en", "zh-Hant"): the HTML lang and the PDF's shaping
  std::string title, subtitle;
  std::vector<Section> sections;
};

}  // namespace takedown::report
