// Reading hash lists for `takedown bank build`: one hash per line as `hex`, `hex,id`, or a JSON
// object as `takedown hash` prints it. Thread-compatible (a plain function).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "matching/hash_bank.h"

namespace takedown::cli {

struct HashListProblem {
  size_t line = 0;
  std::string message;
};

struct HashList {
  std::vector<matching::BankEntry> entries;
  std::vector<HashListProblem> problems;  // lines that could not be read; the rest still count
  size_t skipped = 0;                     // blank, comment and failed-hash (`"ok": false`) lines
};

// Ids default to the line number; quality defaults to 100 (lists without one were vetted by
// whoever published them); owner is 0.
HashList ReadHashList(std::istream& in);

}  // namespace takedown::cli
