// Internal to fetch/: the text helpers feed.cc and feed_sniff.cc share, and the pugixml helpers
// of feed.cc's Reader (feed_xml.cc).
#pragma once

#include <cstddef>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "fetch/extract.h"
#include "fetch/feed.h"
#include "fetch/url_util.h"

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

// --- feed_xml.cc: reading the parsed tree

using pugi::xml_node;

// "media" of "media:content"; empty without a prefix.
std::string_view Prefix(std::string_view name);
// Whether the element's local name is `local` (any namespace prefix).
bool Is(xml_node n, std::string_view local);
// The first attribute with this local name (so url, media:url and rdf:resource all match).
std::string_view Attr(xml_node n, std::string_view local);
bool HasAttr(xml_node n, std::string_view local);
// An element's own text: its text and CDATA children joined (pugixml keeps a lone text child
// in the element's value), at most max_bytes. The default is one more than ResolveUrl takes.
std::string Text(xml_node n, size_t max_bytes = 2 * internal::kMaxUrlBytes + 1);
// Cuts `s` to at most max_bytes without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, size_t max_bytes);
// All text below `top` (as in an Atom xhtml title), whitespace collapsed, at most max_bytes.
std::string CollapsedText(xml_node top, size_t max_depth, size_t max_bytes);

// What a MIME type or Media RSS medium says a media address holds.
enum class Says { kImage, kVideo, kOther, kNothing };
Says FromType(std::string_view type);
Says FromMedium(std::string_view medium);
// For addresses that say nothing else: a video extension (as ExtractPage reads <a href>) or not.
MediaHint HintFromExtension(std::string_view url);

// How much of `xml` to parse: up to its last '>' (text after it is whitespace in a complete
// document, and may be a cut address in a cut one), or to the last '>' before the byte cap or
// the point where the tree could grow past max_tree_bytes (`truncated` set). UTF-16 and UTF-32
// are parsed whole (nullopt and `truncated` when over a limit). Nullopt when no '>' comes first.
std::optional<size_t> ParseLength(std::string_view xml, const FeedOptions& options,
                                  bool* truncated);

}  // namespace takedown::fetch::feed_internal
