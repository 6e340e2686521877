// Internal to fetch/: the text helpers feed.cc and feed_sniff.cc share.
#pragma once

#include <string>
#include <string_view>

namespace takedown::fetch::feed_internal {

// ASCII only: XML names and the markup that tells a feed from a page.
char Lower(char c);
bool IsSpace(char c);
std::string ToLower(std::string_view s);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
// "media:content" -> "content".
std::string_view LocalName(std::string_view name);
// A byte order mark of UTF-16 or UTF-32, or a zero byte among the first two (no BOM).
bool IsUtf16Or32(std::string_view s);

}  // namespace takedown::fetch::feed_internal
