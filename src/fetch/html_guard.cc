#include "fetch/html_guard.h"

#include <algorithm>
#include <vector>

#include "fetch/html_elements.h"
#include "fetch/open_elements.h"

namespace takedown::fetch::internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// The tokenizer's whitespace (CR is folded into LF before tokenizing).
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// One tag as the tokenizer reads it.
struct Tag {
  std::string name;  // lowercase
  size_t name_end = 0;
  size_t end = 0;  // just past '>'
  bool self_closing = false;
  bool complete = false;  // false: the input ended inside the tag (the parser drops it)
  std::vector<std::pair<size_t, size_t>> attributes;  // [begin, end) of each
};

// Reads a tag from its name (at `p`, after "<" or "</") to its '>', quoted values included.
Tag ReadTag(std::string_view s, size_t p) {
  Tag tag;
  while (p < s.size() && !IsSpace(s[p]) && s[p] != '/' && s[p] != '>') {
    tag.name += Lower(s[p]);
    ++p;
  }
  tag.name_end = p;
  while (p < s.size()) {
    while (p < s.size() && IsSpace(s[p])) ++p;
    if (p >= s.size()) break;
    if (s[p] == '>') {
      tag.end = p + 1;
      tag.complete = true;
      return tag;
    }
    if (s[p] == '/') {
      if (p + 1 < s.size() && s[p + 1] == '>') {
        tag.self_closing = true;
        tag.end = p + 2;
        tag.complete = true;
        return tag;
      }
      ++p;
      continue;
    }
    const size_t begin = p++;  // a first '=' belongs to the name
    while (p < s.size() && !IsSpace(s[p]) && s[p] != '/' && s[p] != '>' && s[p] != '=') ++p;
    size_t q = p;
    while (q < s.size() && IsSpace(s[q])) ++q;
    if (q < s.size() && s[q] == '=') {
      p = q + 1;
      while (p < s.size() && IsSpace(s[p])) ++p;
      if (p < s.size() && (s[p] == '"' || s[p] == '\'')) {
        const size_t close = s.find(s[p], p + 1);
        if (close == std::string_view::npos) return tag;  // the input ends in the value
        p = close + 1;
      } else {
        while (p < s.size() && !IsSpace(s[p]) && s[p] != '>') ++p;
      }
    }
    tag.attributes.emplace_back(begin, p);
  }
  return tag;
}

// Where the raw text of element `name` ends: the next "</name" followed by whitespace, '/' or
// '>' (any case). npos when the input ends first.
size_t FindRawTextEnd(std::string_view s, size_t from, std::string_view name) {
  for (size_t p = s.find("</", from); p != std::string_view::npos; p = s.find("</", p + 2)) {
    const size_t after = p + 2 + name.size();
    if (after > s.size()) return std::string_view::npos;
    bool match = true;
    for (size_t k = 0; k < name.size() && match; ++k) match = Lower(s[p + 2 + k]) == name[k];
    if (match && (after == s.size() || IsSpace(s[after]) || s[after] == '/' || s[after] == '>')) {
      return p;
    }
  }
  return std::string_view::npos;
}

// Where a comment or bogus comment starting at `p` ("<!" or "<?") ends, just past it.
size_t SkipComment(std::string_view s, size_t p) {
  if (s.substr(p, 4) == "<!--") {
    const size_t body = p + 4;
    if (s.substr(body, 1) == ">") return body + 1;   // "<!-->"
    if (s.substr(body, 2) == "->") return body + 2;  // "<!--->"
    // The first "-->" or "--!>", in one pass (two finds would each scan to the end whenever
    // one of them never comes: quadratic over many comments).
    for (size_t q = s.find("--", body); q != std::string_view::npos; q = s.find("--", q + 1)) {
      if (s.substr(q + 2, 1) == ">") return q + 3;
      if (s.substr(q + 2, 2) == "!>") return q + 4;
    }
    return s.size();
  }
  const size_t close = s.find('>', p + 2);
  return close == std::string_view::npos ? s.size() : close + 1;
}

}  // namespace

GuardedHtml GuardHtml(std::string_view s, const GuardLimits& limits) {
  GuardedHtml out;
  out.html.reserve(s.size() + s.size() / 16);
  OpenElements open;
  bool frameset_seen = false;
  size_t copied = 0;  // s[0, copied) is in out.html already
  const auto copy_to = [&](size_t p) {
    out.html.append(s.substr(copied, p - copied));
    copied = p;
  };
  // Writes a tag anew: renamed, or with attributes dropped.
  const auto rewrite = [&](size_t begin, const Tag& tag, bool end_tag, std::string_view name) {
    copy_to(begin);
    out.html += end_tag ? "</" : "<";
    out.html += name;
    const size_t keep = std::min(tag.attributes.size(), limits.max_attributes);
    for (size_t k = 0; k < keep; ++k) {
      out.html += ' ';
      out.html.append(
          s.substr(tag.attributes[k].first, tag.attributes[k].second - tag.attributes[k].first));
    }
    out.dropped_attributes += tag.attributes.size() - keep;
    out.html += tag.self_closing ? "/>" : ">";
    copied = tag.end;
  };

  // The input ends inside a tag at `p`: the tokenizer would drop that tag, but only after
  // reading all of it (a tag of 400,000 attributes costs minutes), so it is cut off here.
  const auto cut_at = [&](size_t at) {
    copy_to(at);
    return std::move(out);
  };

  size_t p = 0;
  while (p < s.size()) {
    p = s.find('<', p);
    if (p == std::string_view::npos || p + 1 >= s.size()) break;
    const char c = s[p + 1];
    if (c == '!' || c == '?') {
      p = SkipComment(s, p);
    } else if (c == '/' && p + 2 < s.size() && IsAlpha(s[p + 2])) {
      const Tag tag = ReadTag(s, p + 2);
      if (!tag.complete) return cut_at(p);
      const bool rename = IsFormatting(tag.name);
      const std::string name = rename ? "span" : tag.name;
      const size_t depth = open.size();
      CloseFor(open, name);
      if (open.size() == depth && depth > limits.deep_end_tags && !SwitchesMode(name)) {
        // An end tag the model does not honour, deep in the page: the parser would search its
        // whole stack for nothing (no allocation marks that work, so no budget sees it). The
        // model already counts the element as open; now the parser does too.
        copy_to(p);
        copied = tag.end;
        ++out.dropped_tags;
      } else if (rename || tag.attributes.size() > limits.max_attributes) {
        rewrite(p, tag, true, name);
      }
      p = tag.end;
    } else if (c == '/') {
      p = p + 2 < s.size() && s[p + 2] == '>'
              ? p + 3
              : SkipComment(s, p);  // "</>" is ignored, "</ x" a comment
    } else if (IsAlpha(c)) {
      const Tag tag = ReadTag(s, p + 1);
      if (!tag.complete) return cut_at(p);
      const bool rename = IsFormatting(tag.name);
      const std::string name = rename ? "span" : tag.name;
      const bool foreign = open.in_foreign();
      bool pushes;
      if (foreign && !IsBreakout(name)) {
        pushes = !tag.self_closing;  // SVG and MathML honour "/>", void names included
      } else if (name == "svg" || name == "math") {
        pushes = !tag.self_closing;
      } else {
        pushes = !IsVoid(name);  // HTML ignores "/>" on other elements
      }
      if (name == "html" || name == "body" || name == "head") {
        pushes = false;  // never pushed but at the very start: attributes merged or ignored
      }
      if (!foreign && name == "select" && open.in_select()) {
        open.PopTo(Target::kName, "select", Stop::kSelect);  // a <select> in one closes it
        pushes = false;
      }
      if (!foreign) CloseImplied(open, name);
      if (pushes && open.size() >= limits.max_depth) {
        copy_to(p);
        copied = tag.end;
        ++out.dropped_tags;
        p = tag.end;
        continue;
      }
      if (rename || tag.attributes.size() > limits.max_attributes) rewrite(p, tag, false, name);
      if (pushes) {
        bool sure = !frameset_seen && !foreign && !open.in_select();
        if (IsTablePart(name) && !open.has_sure_table()) sure = false;
        if (name == "form" || name == "frameset") sure = false;
        if (name == "frameset" && !frameset_seen) {
          // From here on the parser may ignore everything but framesets, and may already have
          // dropped what is open (a frameset replaces the body).
          frameset_seen = true;
          open.MakeAllUnsure();
        }
        open.Push(name, sure);
        out.deepest = std::max(out.deepest, open.size());
      }
      p = tag.end;
      // Raw text only where the parser switches its tokenizer: not in SVG or MathML, in a
      // <select> only for script and textarea, after a <frameset> only for noframes.
      const bool raw = !foreign && IsRawText(name) && (!frameset_seen || name == "noframes") &&
                       (!open.in_select() || name == "script" || name == "textarea");
      if (pushes && raw) {
        const size_t end = FindRawTextEnd(s, p, name);
        if (end == std::string_view::npos) break;
        p = end;  // the end tag is read as one on the next turn
      }
    } else {
      ++p;  // a '<' that starts no tag is text
    }
  }
  copy_to(s.size());
  return out;
}

}  // namespace takedown::fetch::internal
