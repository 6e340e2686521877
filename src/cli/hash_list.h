// Reading hash lists for `takedown bank build`: one hash per line as `hex`, `hex,id`, or a JSON
// object as `takedown hash` prints it. Thread-compatible (a plain function).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "hashing/signals.h"
#include "matching/hash_bank.h"
#include "matching/video_match.h"

namespace takedown::cli {

struct HashListProblem {
  size_t line = 0;
  std::string message;
};

// A video record of `takedown hash` (`"kind": "video"`): its sampled frames.
struct HashListVideo {
  uint64_t id = 0;
  std::vector<matching::VideoFrame> frames;
};

// An image's region signals (`"trimmed"` and `"regions"` of `takedown hash`).
struct HashListSignals {
  uint64_t id = 0;
  hashing::ImageSignals signals;
};

struct HashList {
  std::vector<matching::BankEntry> entries;
  std::vector<HashListSignals> signals;  // for the entries whose line carried them
  std::vector<HashListVideo> videos;
  std::vector<HashListProblem> problems;  // lines that could not be read; the rest still count
  size_t skipped = 0;                     // blank, comment and failed-hash (`"ok": false`) lines
};

// Ids default to the line number; quality defaults to 100 (lists without one were vetted by
// whoever published them); owner is 0. Image ids must stay below 2^63 (the ids above are video
// frames, see matching/video_match.h); video ids below 2^43.
HashList ReadHashList(std::istream& in);

}  // namespace takedown::cli
