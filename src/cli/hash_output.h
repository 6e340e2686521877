// The three output formats of `takedown hash`: JSON Lines (for scripts), CSV (for spreadsheets)
// and text (for people). Pure formatting; thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "hashfile/hash_file.h"

namespace takedown::cli {

enum class HashOutputFormat { kJsonl, kCsv, kText };

// The header line the format needs before any record ("" when none), newline included.
std::string HashOutputHeader(HashOutputFormat format);

// One input's line, newline included.
std::string FormatHashSuccess(HashOutputFormat format, const std::string& path,
                              const hashfile::ImageHashRecord& record);
std::string FormatHashFailure(HashOutputFormat format, const std::string& path,
                              const Status& error);

}  // namespace takedown::cli
