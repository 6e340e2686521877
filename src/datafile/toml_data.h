// Reading the project's human-reviewed data files (data/platforms.toml, data/jurisdictions/*.toml)
// strictly: a file is all good or refused, and every refusal names the file, the line, the part
// being read and the problem, so a typo can never silently send a notice to the wrong place.
//
// All functions are pure apart from ReadText/ParseFile's reading; Context is a plain value.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace takedown::datafile {

// The whole file. kNotFound when it is not a regular file, kIoError when it cannot be read.
// `what` names it in messages ("the platform directory"); empty: the path alone.
Result<std::string> ReadText(const std::filesystem::path& path, std::string_view what = "");

// ReadText, then TOML: kCorrupt with the line and column of a syntax error.
Result<toml::table> ParseFile(const std::filesystem::path& path, std::string_view what = "");

// Where a problem is: the file, and the part of it being read ("platform #3", "top level").
struct Context {
  const std::string& file;
  std::string where;

  // InvalidArgument "<file> line <n>, <where>: <problem>".
  Status Fail(const toml::node& at, std::string_view problem) const;
};

// Refuses a key that is not in `allowed` (a typo in a field name).
Status CheckKeys(const toml::table& t, std::span<const std::string_view> allowed, const Context& c);
Status CheckKeys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                 const Context& c);

// A string field into *out. Absent: an error when `required`, else *out is left alone. A required
// one may not be blank (empty or only spaces).
Status GetString(const toml::table& t, std::string_view key, bool required, const Context& c,
                 std::string* out);

// A list of strings appended to *out. Absent: an error when `required`, else nothing.
Status GetStrings(const toml::table& t, std::string_view key, bool required, const Context& c,
                  std::vector<std::string>* out);

// "YYYY-MM-DD" by its shape (digits and dashes), as last_reviewed fields are written.
bool ValidDate(std::string_view d);

// BCP 47 in the shape the data files use ("en", "zh-Hant", "ms"); not a full RFC 5646 parser.
bool ValidLanguageTag(std::string_view tag);

}  // namespace takedown::datafile
