// The words of the advocacy report in one language, read from data/report/<language>.toml (flat
// `key = "text"`), so translators edit data files and never code.
//
// Loading is strict, like every human-reviewed data file (datafile/toml_data.h): a file must have
// every key the report uses and no other, and each text must keep exactly the {placeholders} of
// its key. A translation that drops a key or a "{k}" is refused at load, never printed.
//
// A Labels is an immutable value once loaded: safe to read from any number of threads.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace takedown::report {

class Labels {
 public:
  // Reads <data_dir>/report/<language>.toml. kNotFound when there is no such language,
  // kInvalidArgument (file, line, key, problem) when the file breaks the rules above.
  static Result<Labels> Load(const std::filesystem::path& data_dir, std::string_view language);

  // The languages the report is translated into: one per <data_dir>/report/<language>.toml, "en"
  // first, then in name order, so a translation is added by adding its file. kNotFound when the
  // folder or its English file is missing.
  static Result<std::vector<std::string>> Languages(const std::filesystem::path& data_dir);

  const std::string& language() const { return language_; }

  // The text of `key` with each {name} replaced by its value. A key the report does not declare
  // (a bug) reads "[missing label: key]", which tests look for.
  using Arg = std::pair<std::string_view, std::string_view>;
  std::string Text(std::string_view key, std::initializer_list<Arg> args = {}) const;

 private:
  std::string language_;
  std::map<std::string, std::string, std::less<>> texts_;
};

}  // namespace takedown::report
