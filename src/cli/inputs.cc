#include "cli/inputs.h"

#include <algorithm>
#include <fstream>

#include "video/video.h"

namespace takedown::cli {
namespace {

namespace fs = std::filesystem;

Status ListingError(const std::error_code& ec) {
  if (ec == std::errc::permission_denied) {
    return PermissionDenied("cannot read the directory (permission denied)");
  }
  return IoError("cannot read the directory: " + ec.message());
}

void Walk(const fs::path& dir, std::vector<InputFile>* out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    out->push_back({dir, ListingError(ec)});
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    entries.push_back(*it);
  }
  if (ec) out->push_back({dir, ListingError(ec)});
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const auto& entry : entries) {
    std::error_code type_ec;
    if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
      Walk(entry.path(), out);
    } else {
      out->push_back({entry.path(), std::nullopt});
    }
  }
}

}  // namespace

std::vector<InputFile> CollectInputs(const std::vector<std::string>& arguments) {
  std::vector<InputFile> out;
  for (const auto& argument : arguments) {
    const fs::path path(argument);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.push_back({path, NotFound("no such file or directory")});
    } else if (fs::is_directory(status)) {
      Walk(path, &out);
    } else {
      out.push_back({path, std::nullopt});
    }
  }
  return out;
}

bool IsVideoFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[64] = {};
  in.read(head, sizeof head);
  const auto n = static_cast<size_t>(in.gcount());
  return video::LooksLikeVideo({reinterpret_cast<const uint8_t*>(head), n});
}

}  // namespace takedown::cli
