// The web pages: files under a folder served at /, with at most one byte range.
#pragma once

#include <httplib.h>

#include <filesystem>

namespace takedown::http {

// Answers a GET or HEAD for a file under `root` (a folder's index.html for the folder) and
// returns true, or returns false when there is no such file. A Range of one span is answered
// with 206 (or 416 when it lies past the end); several spans are ignored and the whole file is
// sent, so no request makes the server send more than the file.
bool ServeStaticFile(const std::filesystem::path& root, const httplib::Request& req,
                     httplib::Response& res);

}  // namespace takedown::http
