#include "fetch/html_elements.h"

#include <algorithm>

namespace takedown::fetch::internal {

bool In(std::string_view name, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

bool IsVoid(std::string_view n) {
  return In(n, {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image",
                "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"});
}

// Formatting elements the parser reconstructs; <a> is left alone (one per scope at a time).
bool IsFormatting(std::string_view n) {
  return In(n, {"b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
                "tt", "u"});
}

// Start tags that leave SVG or MathML content and are processed as HTML.
bool IsBreakout(std::string_view n) {
  return In(n,
            {"b",      "big",  "blockquote", "body",  "br",   "center", "code",    "dd",   "div",
             "dl",     "dt",   "em",         "embed", "h1",   "h2",     "h3",      "h4",   "h5",
             "h6",     "head", "hr",         "i",     "img",  "li",     "listing", "menu", "meta",
             "nobr",   "ol",   "p",          "pre",   "ruby", "s",      "small",   "span", "strong",
             "strike", "sub",  "sup",        "table", "tt",   "u",      "ul",      "var"});
}

bool IsHeading(std::string_view n) { return In(n, {"h1", "h2", "h3", "h4", "h5", "h6"}); }

// Start tags that close an open <p> ("close a p element if in button scope").
bool ClosesP(std::string_view n) {
  return IsHeading(n) ||
         In(n, {"address", "article", "aside",  "blockquote", "center",     "details", "dialog",
                "dir",     "div",     "dl",     "fieldset",   "figcaption", "figure",  "footer",
                "form",    "header",  "hgroup", "hr",         "listing",    "main",    "menu",
                "nav",     "ol",      "p",      "plaintext",  "pre",        "search",  "section",
                "summary", "ul",      "xmp"});
}

// Elements whose content the tokenizer reads as text up to their end tag (outside SVG/MathML).
bool IsRawText(std::string_view n) {
  return In(n, {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"});
}

// Elements "generate implied end tags" pops: an end tag may close them along with its element.
bool IsImplied(std::string_view n) {
  return In(n, {"dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"});
}

// The HTML standard's "special" elements: an end tag for an ordinary element (span, a) stops
// at them, and <li> looks for an open <li> only up to them.
bool IsSpecial(std::string_view n) {
  return IsVoid(n) || IsHeading(n) ||
         In(n, {"address",
                "applet",
                "article",
                "aside",
                "blockquote",
                "body",
                "button",
                "caption",
                "center",
                "colgroup",
                "dd",
                "details",
                "dialog",
                "dir",
                "div",
                "dl",
                "dt",
                "fieldset",
                "figcaption",
                "figure",
                "footer",
                "form",
                "frameset",
                "head",
                "header",
                "hgroup",
                "html",
                "iframe",
                "li",
                "listing",
                "main",
                "marquee",
                "menu",
                "nav",
                "noembed",
                "noframes",
                "noscript",
                "object",
                "ol",
                "p",
                "plaintext",
                "pre",
                "script",
                "search",
                "section",
                "select",
                "style",
                "summary",
                "table",
                "tbody",
                "td",
                "template",
                "textarea",
                "tfoot",
                "th",
                "thead",
                "title",
                "tr",
                "ul",
                "xmp",
                "mi",
                "mo",
                "mn",
                "ms",
                "mtext",
                "annotation-xml",
                "foreignobject",
                "desc"});
}

// Elements that end the "default scope" an end tag searches (SVG's title and MathML's text
// elements included; a <title> of either kind counts, which only ever stops a search sooner).
bool IsScopeBoundary(std::string_view n) {
  return In(
      n, {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "mi",
          "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title"});
}

// End tags the parser honours only when their element is "in scope", then closing everything
// above it.
bool ClosesInScope(std::string_view n) {
  return IsHeading(n) ||
         In(n, {"address",  "applet",     "article", "aside",   "blockquote", "button", "center",
                "details",  "dialog",     "dir",     "div",     "dl",         "dd",     "dt",
                "fieldset", "figcaption", "figure",  "footer",  "header",     "hgroup", "li",
                "listing",  "main",       "marquee", "menu",    "nav",        "object", "ol",
                "p",        "pre",        "search",  "section", "summary",    "ul"});
}

bool IsTablePart(std::string_view n) {
  return In(n, {"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"});
}

// End tags that may move the parser to another insertion mode or out of SVG; dropping one
// would change how everything after it is read (a <select> left open swallows the page).
bool SwitchesMode(std::string_view n) {
  return IsTablePart(n) || IsRawText(n) ||
         In(n, {"body", "desc", "foreignobject", "frameset", "head", "html", "math", "noscript",
                "optgroup", "option", "plaintext", "select", "svg", "table", "template"});
}

}  // namespace takedown::fetch::internal
