#include "datafile/toml_data.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace takedown::datafile {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string Named(const std::filesystem::path& path, std::string_view what) {
  return what.empty() ? path.string() : std::string(what) + " " + path.string();
}

}  // namespace

Result<std::string> ReadText(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(Named(path, what) + " does not exist");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || !text) return IoError("could not read " + Named(path, what));
  return text.str();
}

Result<toml::table> ParseFile(const std::filesystem::path& path, std::string_view what) {
  Result<std::string> text = ReadText(path, what);
  if (!text.ok()) return text.status();
  const std::string file = path.string();
  // Debian's toml++ is built with exceptions: a bad file is reported by toml::parse_error.
  try {
    return toml::parse(*text, file);
  } catch (const toml::parse_error& e) {
    std::string_view why = e.description();
    if (!why.empty() && why.back() == '.') why.remove_suffix(1);
    return Corrupt(file + " line " + std::to_string(e.source().begin.line) + " column " +
                   std::to_string(e.source().begin.column) +
                   " is not valid TOML: " + std::string(why));
  }
}

Status Context::Fail(const toml::node& at, std::string_view problem) const {
  return InvalidArgument(file + " line " + std::to_string(at.source().begin.line) + ", " + where +
                         ": " + std::string(problem));
}

Status CheckKeys(const toml::table& t, std::span<const std::string_view> allowed,
                 const Context& c) {
  for (const auto& [key, node] : t) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      return c.Fail(node, "unknown field \"" + std::string(key.str()) + "\" (a typo?)");
    }
  }
  return Status::Ok();
}

Status CheckKeys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                 const Context& c) {
  return CheckKeys(t, std::span<const std::string_view>(allowed.begin(), allowed.size()), c);
}

Status GetString(const toml::table& t, std::string_view key, bool required, const Context& c,
                 std::string* out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    return required ? c.Fail(t, "\"" + std::string(key) + "\" is missing") : Status::Ok();
  }
  const auto* v = n->as_string();
  if (v == nullptr) return c.Fail(*n, "\"" + std::string(key) + "\" must be a string");
  *out = v->get();
  if (required && Blank(*out)) return c.Fail(*n, "\"" + std::string(key) + "\" is empty");
  return Status::Ok();
}

Status GetStrings(const toml::table& t, std::string_view key, bool required, const Context& c,
                  std::vector<std::string>* out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    return required ? c.Fail(t, "\"" + std::string(key) + "\" is missing") : Status::Ok();
  }
  const auto* arr = n->as_array();
  if (arr == nullptr) return c.Fail(*n, "\"" + std::string(key) + "\" must be a list of strings");
  for (const toml::node& el : *arr) {
    const auto* v = el.as_string();
    if (v == nullptr) return c.Fail(el, "\"" + std::string(key) + "\" must be a list of strings");
    out->push_back(v->get());
  }
  return Status::Ok();
}

bool ValidDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

bool ValidLanguageTag(std::string_view tag) {
  size_t i = 0;
  while (i < tag.size() && IsAlpha(tag[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < tag.size()) {
    if (tag[i++] != '-') return false;
    const size_t start = i;
    while (i < tag.size() && (IsAlpha(tag[i]) || (tag[i] >= '0' && tag[i] <= '9'))) ++i;
    if (i == start || i - start > 8) return false;
  }
  return true;
}

}  // namespace takedown::datafile
