// Internal to fetch (not part of its public face): web addresses as the fetcher and the HTML
// extractor need them, on libcurl's URL API. Pure functions: safe from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace takedown::fetch::internal {

// Longer addresses are refused or dropped: no real page or image address comes near it.
inline constexpr size_t kMaxUrlBytes = 8192;

// An absolute http(s) address ready to be fetched. A plain value.
struct Target {
  std::string url;     // normalised (scheme and host lowercase, IDN as punycode), no fragment
  std::string scheme;  // "http" or "https"
  std::string host;    // lowercase ASCII, no trailing dot; IPv6 in brackets ("[::1]")
  int port = 0;        // explicit or the scheme's default
};

// Parses an absolute address to fetch. InvalidArgument (one sentence) for anything that is not
// an http or https address with a host, carries a user name or password, or is too long.
Result<Target> ParseTarget(std::string_view url);

// Resolves a reference found in a page (or a redirect's Location) against an absolute base, as
// a browser would: surrounding spaces trimmed, tabs and newlines removed, spaces and non-ASCII
// bytes percent-encoded, backslashes before the query read as slashes, the fragment and any
// credentials dropped. Nullopt unless the result is an http or https address.
std::optional<std::string> ResolveUrl(std::string_view base, std::string_view reference);

}  // namespace takedown::fetch::internal
