#include "cli/hash_list.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace takedown::cli {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Fills *entry from one line; returns an error message, or "" when it worked.
std::string ParseJsonLine(std::string_view line, matching::BankEntry* entry, bool* skip) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "not valid JSON";
  if (j.value("ok", true) == false) {
    *skip = true;
    return "";
  }
  if (!j.contains("pdq") || !j["pdq"].is_string()) return "the JSON object has no \"pdq\" string";
  auto hash = hashing::Hash256::FromHex(j["pdq"].get<std::string>());
  if (!hash.ok()) return hash.status().message();
  entry->hash = *hash;
  if (j.contains("quality")) {
    if (!j["quality"].is_number_integer()) return "\"quality\" must be a whole number";
    entry->quality = j["quality"].get<int>();
  }
  if (j.contains("id")) {
    if (!j["id"].is_number_unsigned()) return "\"id\" must be a whole number";
    entry->id = j["id"].get<uint64_t>();
  }
  return "";
}

std::string ParseLine(std::string_view line, matching::BankEntry* entry, bool* skip) {
  if (line.front() == '{') return ParseJsonLine(line, entry, skip);
  const size_t comma = line.find(',');
  auto hash = hashing::Hash256::FromHex(Trim(line.substr(0, comma)));
  if (!hash.ok()) return hash.status().message();
  entry->hash = *hash;
  if (comma != std::string_view::npos) {
    const std::string_view id = Trim(line.substr(comma + 1));
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (ec != std::errc() || end != id.data() + id.size() || id.empty()) {
      return "the id after the comma must be a whole number";
    }
    entry->id = value;
  }
  return "";
}

}  // namespace

HashList ReadHashList(std::istream& in) {
  HashList list;
  size_t number = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') {
      ++list.skipped;
      continue;
    }
    matching::BankEntry entry{number, {}, 100, 0};
    bool skip = false;
    const std::string error = ParseLine(line, &entry, &skip);
    if (!error.empty()) {
      list.problems.push_back({number, error});
    } else if (skip) {
      ++list.skipped;
    } else {
      list.entries.push_back(entry);
    }
  }
  return list;
}

}  // namespace takedown::cli
