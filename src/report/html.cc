#include "report/html.h"

#include "report/markup.h"

namespace takedown::report {
namespace {

// Print first: the report is made to be handed to lawmakers on paper. Font names are local
// fonts only (nothing is fetched); the CJK ones cover Traditional Chinese on common systems.
constexpr const char* kStyle = R"(
:root { color: #1f2328; background: #ffffff; }
body { font-family: system-ui, "Noto Sans", "Noto Sans CJK TC", "PingFang TC",
       "Microsoft JhengHei", "WenQuanYi Micro Hei", sans-serif;
       font-size: 11pt; line-height: 1.45; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
.subtitle { font-size: 1.15rem; color: #424a53; margin: 0 0 1.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem;
     margin: 2rem 0 0.8rem; break-after: avoid; page-break-after: avoid; }
dl.key-figures { display: grid; grid-template-columns: 1fr auto; gap: 0.25rem 1.5rem;
                 margin: 0 0 1rem; }
dl.key-figures dt { border-bottom: 1px solid #eaeef2; }
dl.key-figures dd { margin: 0; font-weight: bold; text-align: right;
                    font-variant-numeric: tabular-nums; border-bottom: 1px solid #eaeef2; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 0.4rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.2rem 0.4rem; text-align: left;
         vertical-align: top; }
thead th { background: #e8eef4; }
tbody tr:nth-child(even) { background: #f6f8fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.footnotes { list-style: none; padding: 0; margin: 0.2rem 0 1rem; font-size: 8.5pt;
               color: #424a53; }
figure.chart { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 9.5pt; color: #424a53; }
@page { size: A4; margin: 2cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
)";

void WriteTable(const Table& t, std::string* out) {
  auto cls = [&](size_t col) {
    return col < t.numeric.size() && t.numeric[col] ? std::string(" class=\"num\"") : "";
  };
  *out += "<table>";
  if (!t.caption.empty()) *out += "<caption>" + EscapeXml(t.caption) + "</caption>";
  *out += "<thead><tr>";
  for (size_t c = 0; c < t.header.size(); ++c) {
    *out += "<th scope=\"col\"" + cls(c) + ">" + EscapeXml(t.header[c]) + "</th>";
  }
  *out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    *out += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) {
      *out += "<td" + cls(c) + ">" + EscapeXml(row[c]) + "</td>";
    }
    *out += "</tr>";
  }
  *out += "</tbody></table>";
  if (!t.footnotes.empty()) {
    *out += "<ul class=\"footnotes\">";
    for (const std::string& note : t.footnotes) *out += "<li>" + EscapeXml(note) + "</li>";
    *out += "</ul>";
  }
}

void WriteBlock(const Block& block, std::string* out) {
  if (const auto* p = std::get_if<Paragraph>(&block)) {
    *out += "<p>" + EscapeXml(p->text) + "</p>";
  } else if (const auto* k = std::get_if<KeyFigures>(&block)) {
    *out += "<dl class=\"key-figures\">";
    for (const KeyFigure& f : k->items) {
      *out += "<dt>" + EscapeXml(f.label) + "</dt><dd>" + EscapeXml(f.value) + "</dd>";
    }
    *out += "</dl>";
  } else if (const auto* t = std::get_if<Table>(&block)) {
    WriteTable(*t, out);
  } else if (const auto* c = std::get_if<Chart>(&block)) {
    *out += "<figure class=\"chart\">" + c->svg.markup() + "<figcaption>" + EscapeXml(c->caption) +
            "</figcaption></figure>";
  }
}

}  // namespace

std::string WriteHtml(const Document& doc) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + EscapeXml(doc.language) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>" +
                    EscapeXml(doc.title) + "</title>\n<style>" + kStyle +
                    "</style>\n</head>\n<body>\n";
  out += "<header><h1>" + EscapeXml(doc.title) + "</h1>";
  if (!doc.subtitle.empty()) out += "<p class=\"subtitle\">" + EscapeXml(doc.subtitle) + "</p>";
  out += "</header>\n";
  for (const Section& s : doc.sections) {
    out += "<section>";
    if (!s.heading.empty()) out += "<h2>" + EscapeXml(s.heading) + "</h2>";
    for (const Block& b : s.blocks) WriteBlock(b, &out);
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace takedown::report
