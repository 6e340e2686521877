// Internal to fetch: the HTML standard's sets of element names the guard (html_guard.h) needs.
// Names are lowercase ASCII. Pure functions: safe from many threads at once.
#pragma once

#include <initializer_list>
#include <string_view>

namespace takedown::fetch::internal {

bool In(std::string_view name, std::initializer_list<std::string_view> set);

// Elements with no content and no end tag (<img>, <br>, ...): never on the stack.
bool IsVoid(std::string_view n);

// Formatting elements the parser reconstructs; <a> is left alone (one per scope at a time).
bool IsFormatting(std::string_view n);

// Start tags that leave SVG or MathML content and are processed as HTML.
bool IsBreakout(std::string_view n);

bool IsHeading(std::string_view n);  // h1 to h6

// Start tags that close an open <p> ("close a p element if in button scope").
bool ClosesP(std::string_view n);

// Elements whose content the tokenizer reads as text up to their end tag (outside SVG/MathML).
bool IsRawText(std::string_view n);

// Elements "generate implied end tags" pops: an end tag may close them along with its element.
bool IsImplied(std::string_view n);

// The HTML standard's "special" elements: an end tag for an ordinary element (span, a) stops
// at them, and <li> looks for an open <li> only up to them.
bool IsSpecial(std::string_view n);

// Elements that end the "default scope" an end tag searches (SVG's title and MathML's text
// elements included; a <title> of either kind counts, which only ever stops a search sooner).
bool IsScopeBoundary(std::string_view n);

// End tags the parser honours only when their element is "in scope", then closing everything
// above it.
bool ClosesInScope(std::string_view n);

// caption, colgroup, tbody, td, tfoot, th, thead, tr: ignored by the parser outside a table.
bool IsTablePart(std::string_view n);

// End tags that may move the parser to another insertion mode or out of SVG; dropping one
// would change how everything after it is read (a <select> left open swallows the page).
bool SwitchesMode(std::string_view n);

}  // namespace takedown::fetch::internal
