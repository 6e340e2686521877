// The three output formats of `takedown hash`: JSON Lines (for scripts), CSV (for spreadsheets)
// and text (for people). Pure formatting; thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "hashfile/hash_file.h"
#include "video/video.h"

namespace takedown::cli {

enum class HashOutputFormat { kJsonl, kCsv, kText };

// The header line the format needs before any record ("" when none), newline included. With
// `dihedral`, CSV gets one column per variant (orig ... flipm) after the fixed ones.
std::string HashOutputHeader(HashOutputFormat format, bool dihedral);

// One input's line, newline included.
std::string FormatHashSuccess(HashOutputFormat format, const std::string& path,
                              const hashfile::ImageHashRecord& record);
// A video's line(s): one JSON object with every sampled frame; in CSV and text one line per
// frame, the path carrying the frame's time as a media fragment ("clip.mp4#t=12.000"); videos
// have no dihedral variants (with `dihedral` their CSV columns stay empty).
std::string FormatVideoSuccess(HashOutputFormat format, const std::string& path,
                               const video::VideoHashRecord& record,
                               const hashing::FileDigests& digests, bool dihedral);
std::string FormatHashFailure(HashOutputFormat format, const std::string& path, const Status& error,
                              bool dihedral);

}  // namespace takedown::cli
