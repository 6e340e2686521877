// The three output formats of `takedown hash`: JSON Lines (for scripts), CSV (for spreadsheets)
// and text (for people). Pure formatting; thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "hashfile/hash_file.h"

namespace takedown::cli {

enum class HashOutputFormat { kJsonl, kCsv, kText };

// The header line the format needs before any record ("" when none), newline included. With
// `dihedral`, CSV gets one column per variant (orig ... flipm) after the fixed ones.
std::string HashOutputHeader(HashOutputFormat format, bool dihedral);

// One input's line, newline included.
std::string FormatHashSuccess(HashOutputFormat format, const std::string& path,
                              const hashfile::ImageHashRecord& record);
std::string FormatHashFailure(HashOutputFormat format, const std::string& path, const Status& error,
                              bool dihedral);

}  // namespace takedown::cli
