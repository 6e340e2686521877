// Telling a feed from a page by its first bytes (gzipped or not, UTF-8, -16 or -32), and
// gunzipping sitemaps with a cap on what comes out (a gzip bomb stops at the cap).
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "fetch/feed.h"
#include "fetch/feed_internal.h"

namespace takedown::fetch {

using namespace feed_internal;  // NOLINT: the helpers this file shares with feed.cc

namespace {

constexpr size_t kSniffWindow = 64u << 10;

// What Inflate did: it inflates the gzip members of `in` into `out` until the input ends, zlib
// finds an error, or the output would pass `max_output` (then `out` is cut there).
struct Inflated {
  bool complete = false;  // every member ended properly
  bool over = false;      // more output than max_output
  std::string error;      // zlib's complaint, when there was one
};

Inflated Inflate(std::span<const uint8_t> in, size_t max_output, std::string* out) {
  Inflated result;
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    result.error = "zlib could not start";
    return result;
  }
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  size_t fed = zs.avail_in;
  constexpr size_t kChunk = 256u << 10;
  while (true) {
    if (zs.avail_in == 0 && fed < in.size()) {
      const size_t more = std::min<size_t>(in.size() - fed, UINT32_MAX);
      zs.next_in = const_cast<Bytef*>(in.data() + fed);
      zs.avail_in = static_cast<uInt>(more);
      fed += more;
    }
    // One byte more than allowed tells "over" from "exactly at the cap".
    const size_t limit = max_output == SIZE_MAX ? max_output : max_output + 1;
    const size_t room = limit - std::min(limit, out->size());
    if (room == 0) {
      out->resize(max_output);
      result.over = true;
      break;
    }
    const size_t before = out->size();
    const size_t chunk = std::min(kChunk, room);
    out->resize(before + chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + before);
    zs.avail_out = static_cast<uInt>(chunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(before + chunk - zs.avail_out);
    if (rc == Z_STREAM_END) {
      // Another member may follow (gzip -c a b); anything else after the end is ignored.
      const size_t consumed = fed - zs.avail_in;
      if (in.size() - consumed >= 2 && in[consumed] == 0x1f && in[consumed + 1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      result.complete = true;
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && fed == in.size()) break;  // ends early
    if (rc != Z_OK) {
      result.error = zs.msg != nullptr ? zs.msg : "inflate failed";
      break;
    }
  }
  inflateEnd(&zs);
  if (out->size() > max_output) {
    out->resize(max_output);
    result.over = true;
  }
  return result;
}

bool IsGzip(std::span<const uint8_t> b) { return b.size() >= 2 && b[0] == 0x1f && b[1] == 0x8b; }

bool IsFeedRoot(std::string_view name) {
  const std::string_view local = LocalName(name);
  return local == "rss" || local == "feed" || local == "RDF" || local == "urlset" ||
         local == "sitemapindex";
}

// Whether the text's root element names a feed; nullopt when the prolog runs past the text.
std::optional<bool> RootIsFeed(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  size_t p = 0;
  while (true) {
    while (p < s.size() && IsSpace(s[p])) ++p;
    if (p >= s.size()) return std::nullopt;
    const std::string_view rest = s.substr(p);
    if (rest.size() < 2) return std::nullopt;
    if (rest[0] != '<') return false;
    size_t end = std::string_view::npos;
    if (rest.starts_with("<?")) {
      end = rest.find("?>");
      if (end != std::string_view::npos) end += 2;
    } else if (rest.starts_with("<!--")) {
      end = rest.find("-->", 4);
      if (end != std::string_view::npos) end += 3;
    } else if (StartsWithIgnoreCase(rest, "<!doctype")) {
      if (StartsWithIgnoreCase(rest, "<!doctype html")) return false;
      // To its '>', past an internal subset in [...] with its quoted values and comments.
      int brackets = 0;
      for (size_t i = 2; i < rest.size() && end == std::string_view::npos; ++i) {
        const char c = rest[i];
        if (c == '"' || c == '\'') {
          i = rest.find(c, i + 1);
        } else if (rest.substr(i).starts_with("<!--")) {
          i = rest.find("-->", i + 4);
          if (i != std::string_view::npos) i += 2;
        } else if (c == '[') {
          ++brackets;
        } else if (c == ']' && brackets > 0) {
          --brackets;
        } else if (c == '>' && brackets == 0) {
          end = i + 1;
        }
        if (i == std::string_view::npos) return std::nullopt;
      }
    } else {
      size_t n = 1;
      while (n < rest.size() && !IsSpace(rest[n]) && rest[n] != '>' && rest[n] != '/') ++n;
      if (n == rest.size()) return std::nullopt;
      return IsFeedRoot(rest.substr(1, n - 1));
    }
    if (end == std::string_view::npos) return std::nullopt;
    p += end;
  }
}

// The leading text of a body, with UTF-16 and UTF-32 read as their ASCII subset.
std::string SniffText(std::span<const uint8_t> body) {
  const size_t n = std::min(body.size(), 4 * kSniffWindow);
  std::string_view raw(reinterpret_cast<const char*>(body.data()), n);
  if (!IsUtf16Or32(raw)) return std::string(raw.substr(0, kSniffWindow));
  std::string out;
  for (char c : raw) {
    const auto u = static_cast<uint8_t>(c);
    if (u != 0 && u != 0xFE && u != 0xFF) out += c;
  }
  return out.substr(0, kSniffWindow);
}
}  // namespace

bool LooksLikeFeed(std::span<const uint8_t> body, std::string_view content_type) {
  std::string inflated;
  if (IsGzip(body)) {
    Inflate(body, kSniffWindow, &inflated);
    body = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(inflated.data()),
                                    inflated.size());
  }
  const std::string text = SniffText(body);
  if (std::optional<bool> root = RootIsFeed(text)) return *root;
  if (text.size() < kSniffWindow) return false;  // all of it read: no root at all
  std::string type = ToLower(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && IsSpace(type.back())) type.pop_back();
  return type == "application/rss+xml" || type == "application/atom+xml" ||
         type == "application/rdf+xml" || type == "application/xml" || type == "text/xml";
}

Result<std::string> GunzipCapped(std::span<const uint8_t> gzip, size_t max_output_bytes) {
  if (!IsGzip(gzip)) return Corrupt("the data is not gzip (it does not start with 1f 8b)");
  std::string out;
  const Inflated result = Inflate(gzip, max_output_bytes, &out);
  if (result.over) {
    return TooLarge("the gzip data decompresses to more than " + std::to_string(max_output_bytes) +
                    " bytes");
  }
  if (!result.error.empty()) return Corrupt("the gzip data is damaged: " + result.error);
  if (!result.complete) return Corrupt("the gzip data ends early");
  return out;
}

}  // namespace takedown::fetch
