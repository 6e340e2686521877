#include "http/static_files.h"

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace takedown::http {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  const auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// The file a URL path names under root, or nothing for a path that tries to leave it.
std::optional<fs::path> FileOf(const fs::path& root, const std::string& path) {
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos) {
    return std::nullopt;
  }
  fs::path file = root;
  std::stringstream parts(path.substr(1));
  for (std::string part; std::getline(parts, part, '/');) {
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") file /= part;
  }
  std::error_code ec;
  if (fs::is_directory(file, ec)) file /= "index.html";
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

bool ParseNumber(std::string_view text, uint64_t* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// What a Range header asks of a file: all of it (no header, several spans, or a span not
// understood: the header is ignored), the span [first, last], or a span past the end.
struct Span {
  enum Kind { kWhole, kPart, kUnsatisfiable } kind = kWhole;
  uint64_t first = 0, last = 0;
};

// The one span "bytes=FIRST-LAST", "bytes=FIRST-" or "bytes=-SUFFIX" within a file of `size`
// bytes.
Span OneRange(const std::string& header, uint64_t size) {
  if (header.rfind("bytes=", 0) != 0) return {};
  const std::string_view spec = std::string_view(header).substr(6);
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) {
    return {};
  }
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  uint64_t first = 0, last = 0;
  if (first_text.empty()) {  // the last `suffix` bytes
    uint64_t suffix = 0;
    if (!ParseNumber(last_text, &suffix)) return {};
    if (suffix == 0 || size == 0) return {Span::kUnsatisfiable};
    return {Span::kPart, size - std::min(suffix, size), size - 1};
  }
  if (!ParseNumber(first_text, &first)) return {};
  if (last_text.empty()) {
    last = size - 1;
  } else if (!ParseNumber(last_text, &last) || last < first) {
    return {};
  }
  if (first >= size) return {Span::kUnsatisfiable};
  return {Span::kPart, first, std::min(last, size - 1)};
}

}  // namespace

bool ServeStaticFile(const fs::path& root, const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  const auto file = FileOf(root, req.path);
  if (!file) return false;
  std::ifstream in(*file, std::ios::binary);
  if (!in) return false;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const uint64_t size = bytes.size();
  res.set_header("Accept-Ranges", "bytes");
  const Span span = OneRange(req.get_header_value("Range"), size);
  if (span.kind == Span::kUnsatisfiable) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return true;
  }
  if (span.kind == Span::kPart) {
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(span.first) + "-" +
                                        std::to_string(span.last) + "/" + std::to_string(size));
    bytes = bytes.substr(span.first, span.last - span.first + 1);
  } else {
    res.status = 200;
  }
  res.body = std::move(bytes);
  res.set_header("Content-Type", ContentType(*file));
  return true;
}

}  // namespace takedown::http
