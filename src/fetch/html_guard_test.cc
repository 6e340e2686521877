#include "fetch/html_guard.h"

#include <gtest/gtest.h>
#include <gumbo.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace takedown::fetch::internal {
namespace {

constexpr GuardLimits kNoLimits = {1'000'000, 1'000'000, 1'000'000};

struct Parsed {
  size_t depth = 0;                   // of the deepest element
  std::multiset<std::string> images;  // every <img src>
};

Parsed ParseWithGumbo(const std::string& html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  Parsed parsed;
  std::vector<std::pair<const GumboNode*, size_t>> stack = {{out->document, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    parsed.depth = std::max(parsed.depth, depth);
    const GumboVector* kids = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) kids = &node->v.document.children;
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      kids = &node->v.element.children;
      if (node->v.element.tag == GUMBO_TAG_IMG) {
        if (const GumboAttribute* src = gumbo_get_attribute(&node->v.element.attributes, "src")) {
          parsed.images.insert(src->value);
        }
      }
    }
    for (unsigned i = 0; kids != nullptr && i < kids->length; ++i) {
      stack.emplace_back(static_cast<const GumboNode*>(kids->data[i]), depth + 1);
    }
  }
  gumbo_destroy_output(&options, out);
  return parsed;
}

// Random tag soup from the markup that matters: blocks, lists, tables, formatting, links,
// forms, foreign content, comments and raw text, opened and closed at random, often not.
std::string Soup(std::mt19937& random, size_t tokens) {
  static const std::vector<std::string> kTags = {"div",      "p",
                                                 "span",     "b",
                                                 "i",        "font",
                                                 "a",        "li",
                                                 "ul",       "ol",
                                                 "dl",       "dd",
                                                 "dt",       "table",
                                                 "tr",       "td",
                                                 "th",       "tbody",
                                                 "caption",  "select",
                                                 "option",   "optgroup",
                                                 "button",   "form",
                                                 "h1",       "h2",
                                                 "section",  "article",
                                                 "center",   "nobr",
                                                 "em",       "strong",
                                                 "object",   "svg",
                                                 "math",     "title",
                                                 "desc",     "foreignObject",
                                                 "template", "picture",
                                                 "video",    "source",
                                                 "pre",      "s",
                                                 "u",        "marquee",
                                                 "body",     "html",
                                                 "head",     "noscript",
                                                 "address",  "frameset",
                                                 "textarea"};
  std::string html;
  int image = 0;
  for (size_t t = 0; t < tokens; ++t) {
    const std::string& tag = kTags[random() % kTags.size()];
    switch (random() % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        html += "<" + tag + (random() % 4 == 0 ? " id=" + std::to_string(random() % 5) : "") +
                (random() % 8 == 0 ? "/>" : ">");
        break;
      case 4:
      case 5:
        html += "</" + tag + ">";
        break;
      case 6:
        html += "<img src=i" + std::to_string(image++) + ".jpg>";
        break;
      case 7:
        html += "text ";
        break;
      case 8:
        html += random() % 2 == 0 ? "<!-- <div> -->" : "<script>if (a<b) x='</div>';</script>";
        break;
      default:
        html += "<" + tag + ">";
        break;
    }
  }
  return html;
}

// The guard's safety rests on its model of open elements never falling far behind the depth of
// what the parser builds, however often a soup repeats (an under-count that piles up would let
// hostile pages nest without limit). The tree can be somewhat deeper than the parser's stack
// (foster parenting and the adoption agency move nodes down), hence the factor. And with no
// limit reached, it must not change which images are found.
TEST(HtmlGuardTest, ModelKeepsUpWithTheParserOnRandomSoup) {
  std::mt19937 random(20260704);
  for (int round = 0; round < 300; ++round) {
    const std::string html = Soup(random, 300);
    std::string repeated;
    for (int k = 0; k < 8; ++k) repeated += html;
    const GuardedHtml guarded = GuardHtml(repeated, kNoLimits);
    const Parsed parsed = ParseWithGumbo(guarded.html);
    EXPECT_LE(parsed.depth, 6 * guarded.deepest + 32) << "round " << round << ": " << html;
    EXPECT_EQ(guarded.dropped_tags, 0u);
    // Known difference: <font> without attributes stays inside SVG, the <span> it becomes
    // leaves it, so what follows is read as HTML.
    const bool font_in_foreign =
        html.find("<font") != std::string::npos &&
        (html.find("<svg") != std::string::npos || html.find("<math") != std::string::npos);
    if (!font_in_foreign) {
      EXPECT_EQ(ParseWithGumbo(GuardHtml(html, kNoLimits).html).images, ParseWithGumbo(html).images)
          << "round " << round << ": " << html;
    }
  }
}

TEST(HtmlGuardTest, SloppyButOrdinaryMarkupStaysShallow) {
  const auto deepest = [](const std::string& piece) {
    std::string html = "<html><body>";
    for (int i = 0; i < 1000; ++i) html += piece;
    return GuardHtml(html, kNoLimits).deepest;
  };
  EXPECT_LT(deepest("<div><span>unclosed span</div>"), 10u);
  EXPECT_LT(deepest("<div><a href=x>unclosed link</div>"), 10u);
  EXPECT_LT(deepest("<p>paragraph <b>bold"), 10u);
  EXPECT_LT(deepest("<ul><li>one<li>two</ul>"), 10u);
  EXPECT_LT(deepest("<table><tr><td>cell<td>cell</table>"), 10u);
  EXPECT_LT(deepest("<dl><dt>term<dd>definition</dl>"), 10u);
  EXPECT_LT(deepest("<select><option>a<option>b</select>"), 10u);
  EXPECT_LT(deepest("<a href=1>one<a href=2>two"), 10u);
  EXPECT_LT(deepest("<svg><path d=M0/><circle r=1/></svg>"), 10u);
  EXPECT_LT(deepest("<h1>title</h2>"), 10u);
  // What the parser really nests counts.
  EXPECT_GE(deepest("<div>"), 1000u);
  EXPECT_GE(deepest("<td><div></td>"), 1000u);  // <td> outside a table is ignored
  EXPECT_GE(deepest("<span><div></span>"), 2000u);
}

TEST(HtmlGuardTest, RewritesOnlyWhatItMust) {
  const std::string plain = "<!doctype html><div class=x><img src=a.jpg><p>text</p></div>";
  EXPECT_EQ(GuardHtml(plain, {}).html, plain);
  EXPECT_EQ(GuardHtml("<b class='x'>bold</b>", {}).html, "<span class='x'>bold</span>");
  EXPECT_EQ(GuardHtml("<img a b c d>", {512, 2}).html, "<img a b>");
  EXPECT_EQ(GuardHtml("<img a b c d>", {512, 2}).dropped_attributes, 2u);
  // Comments and raw text hide tags from the tokenizer, and so from the guard.
  EXPECT_EQ(GuardHtml("<!-- <b> --><script>'<b>'</script><textarea><b></textarea>", {}).html,
            "<!-- <b> --><script>'<b>'</script><textarea><b></textarea>");
  EXPECT_EQ(GuardHtml("<!--><b>", {}).html, "<!--><span>");  // "<!-->" is a whole comment
  // A tag the input ends inside is dropped (as the tokenizer would), without reading it all.
  EXPECT_EQ(GuardHtml("<p>kept<img src='never", {}).html, "<p>kept");
}

TEST(HtmlGuardTest, DropsOnlyWhatNestsTooDeep) {
  std::string html;
  for (int i = 0; i < 10; ++i) html += "<div>";
  html += "<img src=deep.jpg><span>x</span>";
  const GuardedHtml guarded = GuardHtml(html, {5, 128});
  EXPECT_EQ(guarded.html, "<div><div><div><div><div><img src=deep.jpg>x</span>");
  EXPECT_EQ(guarded.dropped_tags, 6u);
}

}  // namespace
}  // namespace takedown::fetch::internal
