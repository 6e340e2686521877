// Internal to notify's renderers (render.cc for notices, dossier.cc for regulator dossiers): the
// cleaning of values from outside, the strict check of mustache templates against the variables
// a renderer gives them, and the reading of template files. Not an API; docs/notices.md says what
// the rules mean for people who write templates.
//
// Pure functions apart from ReadTemplate's reading; all thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "notices/render.h"

namespace takedown::notify::internal {

std::string Lower(std::string_view s);  // ASCII only, as language tags and codes need
std::string Upper(std::string_view s);
std::string_view Trim(std::string_view s);  // spaces, tabs and line breaks at both ends
bool Blank(std::string_view s);

// Where s stops being UTF-8, or npos when all of it is.
size_t Utf8ErrorAt(std::string_view s);

// Text from the outside (page titles, names typed by people) made safe to print: malformed UTF-8
// and bidirectional overrides (which can make one URL read as another) become U+FFFD, control
// characters a space, and line breaks survive only in Lines(), as "\n". Trimmed.
std::string Line(std::string_view s);
std::string Lines(std::string_view s);

// The paragraphs (blank-line separated) of a data file's text, each joined into one line, so
// data files may wrap their text freely; and back, separated by blank lines.
std::vector<std::string> Paragraphs(std::string_view text);
std::string JoinParagraphs(const std::vector<std::string>& paragraphs);

// An absolute http(s) URL with a host and nothing that could end it early in a document, so that
// a link made of it cannot run script.
bool IsHttpUrl(std::string_view url);

// Plain text after rendering: trailing spaces dropped, runs of blank lines cut to one, so that
// optional sections leave no holes; ends with one newline.
std::string TidyText(std::string_view text);
// Every run of white space, line breaks included, as one space; trimmed.
std::string OneLine(std::string_view text);

// The text in `lang`; a loaded profile has every language, else the first one.
const std::string& In(const Translations& t, const std::string& lang);

enum class VarType { kScalar, kFlag, kList };

// A name a template may use.
struct Var {
  std::string_view name;
  VarType type;
  std::string_view list;  // "" for top level, else the list whose entries hold it
  bool in_data;           // usable in a profile's texts ({{name}}, substituted before rendering)
};

// kText: plain text, values unescaped ({{{x}}} or {{&x}}); kSubject: the same, one line, no
// lists; kHtml: every value escaped ({{x}}); kData: a profile's text, {{x}} of the in_data
// scalars only, substituted by Substitute().
enum class Mode { kText, kSubject, kHtml, kData };

// Checks every tag of a template (or a profile's text) against the variables `vars` and the
// escaping `mode` asks for, and adds the names it uses to *used. Returns "" when it is fine,
// else the problem with its line number. Partials and delimiter changes are refused.
std::string CheckTemplate(std::string_view text, Mode mode, std::span<const Var> vars,
                          std::set<std::string>* used);

// Replaces the {{name}} tags of a profile's text (checked with Mode::kData) with the values.
std::string Substitute(std::string_view text, const std::map<std::string, std::string>& values);

// A template file: kNotFound/kIoError when unreadable, kCorrupt when not UTF-8,
// kInvalidArgument when it starts with a byte order mark.
Result<std::string> ReadTemplate(const std::filesystem::path& path);

// mstch escapes '/' as "&#x2F;", which HTML never needs (not in text, not in a quoted attribute);
// putting it back keeps URLs readable in the source. A '/' of a value or of the template is the
// only thing that becomes "&#x2F;": a value's own "&" became "&amp;".
void UnescapeSlashes(std::string* html);

}  // namespace takedown::notify::internal
