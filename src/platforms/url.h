// URL intake: turns what a caseworker pastes into normalised, classified web addresses.
//
// NormalizeUrl() makes the dedupe key of one address (rules in docs/urls-and-platforms.md);
// ParseUrlLines() applies it to a whole paste, classifies each address to a platform and marks
// repeats. Both are pure functions of their input (the public suffix list is loaded once, on first
// use, and only read afterwards): safe to call from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "platforms/platforms.h"

namespace takedown::platforms {

// Lines longer than this are refused (kTooLarge): no real page address comes near it.
inline constexpr size_t kMaxUrlBytes = 4096;

// One web address in canonical form. A plain value.
struct NormalizedUrl {
  std::string original;  // the line as given, trimmed
  // The line as given with "https://" in front when it had no scheme: what is stored and quoted in
  // notices, since it keeps what a link may need to open (a MEGA file key after '#').
  std::string url;
  std::string normalized;  // canonical https form: the dedupe key, also what is displayed
  std::string scheme;      // the scheme as given ("http" or "https"), lowercased
  std::string host;        // lowercase ASCII (IDN as punycode A-labels), no trailing dot
  // eTLD+1 by the public suffix list ("redd.it" for "i.redd.it"); "" for an IP address or a
  // host that is itself a public suffix ("pages.dev", "localhost").
  std::string registrable_domain;
};

// Normalises one pasted line. Errors (one sentence each): kInvalidArgument for anything that is
// not an http(s) address with a host, has credentials in it, contains spaces or control
// characters or is not UTF-8; kTooLarge above kMaxUrlBytes. Never crashes, whatever the bytes.
Result<NormalizedUrl> NormalizeUrl(std::string_view line);

// What the caseworker sees for one non-blank line of a paste. A plain value.
struct UrlLine {
  int line = 0;          // 1-based line number in the paste (blank and '#' lines count)
  std::string original;  // the trimmed line; invalid UTF-8 replaced by U+FFFD so it can be shown
  bool ok = false;
  std::string error;  // one sentence when !ok
  StatusCode error_code = StatusCode::kOk;
  std::string url;                 // as NormalizedUrl: what to store; empty when !ok
  std::string normalized;          // as NormalizedUrl; empty when !ok
  std::string host;                // as NormalizedUrl
  std::string registrable_domain;  // as NormalizedUrl
  std::string platform;            // platform id from the directory, "" when none matched
  int duplicate_of_line = 0;       // line of the first address with the same key, 0 if first
};

// Splits a paste into lines ("\n" or "\r\n"), skips blank lines and lines starting with '#', and
// returns one UrlLine per remaining line in input order, failures included.
std::vector<UrlLine> ParseUrlLines(std::string_view pasted, const PlatformDirectory& directory);

// A new sighting at the address of `line` (which parsed: ok), first seen at `first_seen`, not yet
// checked: what a report, a caseworker's paste and a crawl's repost store alike.
domain::Sighting SightingOf(const UrlLine& line, UnixMillis first_seen);

}  // namespace takedown::platforms
