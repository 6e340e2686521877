// Turning the PATH arguments of a command into the list of files to process: directories are
// walked recursively (sorted, symlinked directories not followed), and a path that cannot be read
// becomes an entry with its error, so one bad folder never hides the rest.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "base/status.h"

namespace takedown::cli {

struct InputFile {
  std::filesystem::path path;
  std::optional<Status> error;  // set when the path could not be listed or does not exist
};

std::vector<InputFile> CollectInputs(const std::vector<std::string>& arguments);

// Whether the file's first bytes are a video container's (never decided by its name); false when
// it cannot be read (the image path then reports why).
bool IsVideoFile(const std::filesystem::path& path);

}  // namespace takedown::cli
