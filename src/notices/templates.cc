#include <algorithm>
#include <cstdint>
#include <utility>

#include "datafile/toml_data.h"
#include "notices/templates_internal.h"

namespace takedown::notify::internal {
namespace {

// The length of the well-formed UTF-8 sequence at s[i] (no overlongs, surrogates or code points
// past U+10FFFF), or 0; *cp receives the code point.
size_t Utf8At(std::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t n = 0;
  uint32_t v = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, v = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, v = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, v = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

// Line() and Lines(): `multiline` keeps line breaks, as "\n".
std::string Clean(std::string_view s, bool multiline) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = Utf8At(s, i, &cp);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (cp == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      ++i;  // CRLF counts as one line break
      continue;
    }
    if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
      out += multiline ? '\n' : ' ';
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      out += ' ';
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      out += kReplacement;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return std::string(Trim(out));
}

// The innermost variable called `name` visible with these lists open, or nullptr.
const Var* Lookup(std::span<const Var> vars, std::string_view name,
                  const std::vector<std::string_view>& lists) {
  for (auto scope = lists.rbegin(); scope != lists.rend(); ++scope) {
    for (const Var& v : vars) {
      if (v.name == name && v.list == *scope) return &v;
    }
  }
  for (const Var& v : vars) {
    if (v.name == name && v.list.empty()) return &v;
  }
  return nullptr;
}

}  // namespace

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool Blank(std::string_view s) { return Trim(s).empty(); }

size_t Utf8ErrorAt(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = Utf8At(s, i, &cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string Line(std::string_view s) { return Clean(s, false); }
std::string Lines(std::string_view s) { return Clean(s, true); }

std::vector<std::string> Paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = Trim(text.substr(pos, end - pos));
    if (line.empty()) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      if (!current.empty()) current += ' ';
      current.append(line);
    }
    pos = end + 1;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::string JoinParagraphs(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const std::string& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

bool IsHttpUrl(std::string_view url) {
  const std::string lower = Lower(url.substr(0, 8));
  size_t rest = 0;
  if (lower.rfind("https://", 0) == 0) {
    rest = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    rest = 7;
  } else {
    return false;
  }
  if (url.size() <= rest || url[rest] == '/') return false;
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7F; });
}

std::string CheckTemplate(std::string_view text, Mode mode, std::span<const Var> vars,
                          std::set<std::string>* used) {
  // Open sections, innermost last, each with whether it opened a list's entries (a {{#items}}).
  std::vector<std::pair<std::string, bool>> open;
  std::vector<std::string_view> lists;
  size_t pos = 0;
  auto at = [&](size_t offset) {
    return "line " + std::to_string(1 + std::count(text.begin(), text.begin() + offset, '\n')) +
           ": ";
  };
  while (true) {
    const size_t start = text.find("{{", pos);
    if (start == std::string_view::npos) break;
    const bool triple = text.compare(start, 3, "{{{") == 0;
    const std::string_view closer = triple ? "}}}" : "}}";
    const size_t body_at = start + (triple ? 3 : 2);
    const size_t close = text.find(closer, body_at);
    if (close == std::string_view::npos) return at(start) + "a tag opened with {{ is not closed";
    std::string_view body = Trim(text.substr(body_at, close - body_at));
    pos = close + closer.size();
    char sigil = 0;
    if (!triple && !body.empty() &&
        std::string_view("#^/!>=&").find(body[0]) != std::string_view::npos) {
      sigil = body[0];
      body = Trim(body.substr(1));
    }
    const std::string tag = "{{" + std::string(text.substr(start + 2, close - start - 2)) + "}}";
    if (sigil == '!') continue;
    if (sigil == '>') return at(start) + tag + ": partials are not used; write the text in place";
    if (sigil == '=') return at(start) + tag + ": changing the delimiters is not allowed";
    if (mode == Mode::kData && (triple || sigil != 0)) {
      return at(start) + tag + ": a profile's text may only use {{name}} (no sections)";
    }
    if (sigil == '/') {
      if (open.empty() || open.back().first != body) {
        return at(start) + tag + " closes " +
               (open.empty() ? "no open section"
                             : "a section, but {{#" + open.back().first + "}} is open");
      }
      if (open.back().second) lists.pop_back();
      open.pop_back();
      continue;
    }
    const Var* var = Lookup(vars, body, lists);
    if (var == nullptr ||
        (mode == Mode::kSubject &&
         (var->name == "subject" || !var->list.empty() || var->type == VarType::kList)) ||
        (mode == Mode::kData && (!var->in_data || !var->list.empty()))) {
      return at(start) + tag + ": \"" + std::string(body) +
             "\" is not a variable this template may use (docs/notices.md lists them)";
    }
    used->insert(std::string(var->name));
    if (sigil == '#' || sigil == '^') {
      const bool entries = sigil == '#' && var->type == VarType::kList;
      open.emplace_back(std::string(body), entries);
      if (entries) lists.push_back(var->name);
      continue;
    }
    if (var->type != VarType::kScalar) {
      return at(start) + tag + ": \"" + std::string(body) +
             "\" is a list or a yes/no flag: use it as a section ({{#name}}...{{/name}})";
    }
    const bool raw = triple || sigil == '&';
    if (mode == Mode::kHtml && raw) {
      return at(start) + tag + ": an HTML template must escape every value: write {{" +
             std::string(body) + "}}";
    }
    if ((mode == Mode::kText || mode == Mode::kSubject) && !raw) {
      return at(start) + tag + ": a text template must not HTML-escape values: write {{{" +
             std::string(body) + "}}}";
    }
  }
  if (!open.empty()) return "the section {{#" + open.back().first + "}} is never closed";
  return "";
}

std::string Substitute(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t start = text.find("{{", pos);
    if (start == std::string_view::npos) break;
    const size_t close = text.find("}}", start + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, start - pos));
    std::string_view name = Trim(text.substr(start + 2, close - start - 2));
    if (!name.empty() && name[0] == '!') {
      pos = close + 2;
      continue;
    }
    if (auto it = values.find(std::string(name)); it != values.end()) out += it->second;
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

std::string TidyText(std::string_view text) {
  std::string out;
  size_t blank = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    pos = end + 1;
    if (line.empty()) {
      ++blank;
      continue;
    }
    if (!out.empty()) out += blank > 0 ? "\n\n" : "\n";
    blank = 0;
    out.append(line);
  }
  return out + "\n";
}

std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return std::string(Trim(out));
}

const std::string& In(const Translations& t, const std::string& lang) {
  auto it = t.find(lang);
  return it != t.end() ? it->second : t.begin()->second;
}

Result<std::string> ReadTemplate(const std::filesystem::path& path) {
  Result<std::string> text = datafile::ReadText(path);
  if (!text.ok()) return text.status();
  if (size_t bad_at = Utf8ErrorAt(*text); bad_at != std::string::npos) {
    return Corrupt(path.string() + " is not UTF-8 (byte " + std::to_string(bad_at) + ")");
  }
  if (text->rfind("\xEF\xBB\xBF", 0) == 0) {
    return InvalidArgument(path.string() + " starts with a byte order mark: remove it");
  }
  return text;
}

void UnescapeSlashes(std::string* html) {
  for (size_t at = html->find("&#x2F;"); at != std::string::npos;
       at = html->find("&#x2F;", at + 1)) {
    html->replace(at, 6, "/");
  }
}

}  // namespace takedown::notify::internal
