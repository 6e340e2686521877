// Internal to fetch: a linear pre-pass that keeps the HTML5 parser's work near linear on
// hostile pages. Pure function: safe from many threads at once.
//
// Why it exists: gumbo follows the HTML5 tree-building algorithm, whose scope checks walk the
// stack of open elements and whose "reconstruct the active formatting elements" step clones
// formatting elements again and again. On hostile input that is quadratic: 100,000 nested <div>
// take 20 s, 250,000 "<p>x</p>" after 64 distinct unclosed <b> take 6 GB, and one tag with
// 40,000 attributes takes 3 s (duplicate checks). The guard tokenises the page the way the
// HTML5 tokenizer does (comments, raw text, quoted attributes) and keeps a model of the open
// elements that closes an element only where the standard surely does (elements the parser may
// have ignored or moved are kept but never closed by name), then:
//   - drops start tags that would nest deeper than max_depth (Blink's limit is 512 too);
//   - renames formatting elements other than <a> (b, i, font, ...) to <span>, which has no
//     reconstruction (they never carry media);
//   - keeps only the first max_attributes attributes of a tag;
//   - deep in a page, drops end tags that close nothing (each would make the parser search its
//     whole stack, and no allocation would mark the work).
// Void elements such as <img> are never dropped, so media deep in a broken page still count.
// The model is not the parser: on random tag soup the parser's tree gets up to about 5 times
// deeper than the model (html_guard_test checks a bound), never without limit. ParseArena's
// time and memory budget is the last line behind it. One known difference in what is found:
// a <font> without color, face or size inside SVG stays SVG for the parser, while the <span>
// it becomes leaves SVG; no real page does that.
#pragma once

#include <string>
#include <string_view>

namespace takedown::fetch::internal {

struct GuardLimits {
  size_t max_depth = 512;
  size_t max_attributes = 128;
  // Deeper than this, an end tag that closes nothing in the model is dropped (most of them).
  size_t deep_end_tags = 64;
};

struct GuardedHtml {
  std::string html;               // what to give the parser
  size_t dropped_tags = 0;        // start tags nesting too deep, end tags closing nothing deep
  size_t dropped_attributes = 0;  // attributes removed past max_attributes
  size_t deepest = 0;             // the deepest the model of open elements got
};

GuardedHtml GuardHtml(std::string_view html, const GuardLimits& limits);

}  // namespace takedown::fetch::internal
