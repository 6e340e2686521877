// Internal to fetch/: the pugixml helpers the feed Reader (feed.cc) uses to read names, attributes
// and text, to tell what a media address holds, and to decide how much of a document to parse
// within the memory caps. Apart from feed.cc so that file stays about the Reader.
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/feed_internal.h"
#include "fetch/url_util.h"

namespace takedown::fetch::feed_internal {
namespace {

// What pugixml's tree costs, with a margin for its page headers (nodes are 64 bytes,
// attributes 40, on 64-bit).
constexpr size_t kTreeBytesPerNode = 66;
constexpr size_t kTreeBytesPerAttribute = 42;

}  // namespace

std::string_view Prefix(std::string_view name) {
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

bool Is(xml_node n, std::string_view local) {
  return n.type() == pugi::node_element && LocalName(n.name()) == local;
}

std::string_view Attr(xml_node n, std::string_view local) {
  for (pugi::xml_attribute a : n.attributes()) {
    const std::string_view name = a.name();
    if (!name.starts_with("xmlns") && LocalName(name) == local) return a.value();
  }
  return {};
}

bool HasAttr(xml_node n, std::string_view local) {
  for (pugi::xml_attribute a : n.attributes()) {
    if (!std::string_view(a.name()).starts_with("xmlns") && LocalName(a.name()) == local) {
      return true;
    }
  }
  return false;
}

std::string Text(xml_node n, size_t max_bytes) {
  std::string out;
  const auto add = [&](std::string_view text) {
    out.append(text.substr(0, max_bytes - std::min(max_bytes, out.size())));
  };
  add(n.value());
  for (xml_node c : n.children()) {
    if (out.size() >= max_bytes) break;
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) add(c.value());
  }
  return out;
}

void TruncateUtf8(std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
}

std::string CollapsedText(xml_node top, size_t max_depth, size_t max_bytes) {
  std::string out;
  bool space = false;
  const auto add = [&](std::string_view text) {
    for (char c : text) {
      if (out.size() > max_bytes) return;
      if (IsSpace(c)) {
        space = !out.empty();
        continue;
      }
      if (space) out += ' ';
      space = false;
      out += c;
    }
  };
  add(top.value());
  xml_node n = top.first_child();
  size_t depth = 1;
  while (n && out.size() <= max_bytes) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) add(n.value());
    if (n.type() == pugi::node_element) add(n.value());
    if (n.first_child() && depth < max_depth) {
      n = n.first_child();
      ++depth;
      continue;
    }
    while (n != top && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n == top) break;
    n = n.next_sibling();
  }
  TruncateUtf8(out, max_bytes);
  return out;
}

Says FromType(std::string_view type) {
  const std::string t = ToLower(type.substr(0, type.find(';')));
  if (t.empty() || t == "application/octet-stream" || t == "binary/octet-stream") {
    return Says::kNothing;
  }
  if (t.starts_with("image/")) return Says::kImage;
  if (t.starts_with("video/")) return Says::kVideo;
  return Says::kOther;  // audio, documents, players, playlists
}

Says FromMedium(std::string_view medium) {
  const std::string m = ToLower(medium);
  if (m == "image") return Says::kImage;
  if (m == "video") return Says::kVideo;
  if (m.empty()) return Says::kNothing;
  return Says::kOther;  // audio, document, executable
}

MediaHint HintFromExtension(std::string_view url) {
  std::string_view path = url.substr(0, url.find('?'));
  const size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path = path.substr(slash + 1);
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return MediaHint::kImage;
  static constexpr std::string_view kVideos[] = {"mp4", "m4v", "mov", "webm", "mkv", "avi",
                                                 "flv", "wmv", "mpg", "mpeg", "ogv", "3gp"};
  const std::string ext = ToLower(path.substr(dot + 1));
  return std::find(std::begin(kVideos), std::end(kVideos), ext) != std::end(kVideos)
             ? MediaHint::kVideo
             : MediaHint::kImage;
}

std::optional<size_t> ParseLength(std::string_view xml, const FeedOptions& options,
                                  bool* truncated) {
  size_t tree = 0;
  size_t last_gt = std::string_view::npos;
  const size_t end = std::min(xml.size(), options.max_input_bytes);
  size_t i = 0;
  for (; i < end; ++i) {
    const char c = xml[i];
    if (c == '<') {
      // An element and a text node before it; an end tag can only end a text node.
      tree += i + 1 < xml.size() && xml[i + 1] == '/' ? kTreeBytesPerNode : 2 * kTreeBytesPerNode;
    } else if (c == '=') {
      tree += kTreeBytesPerAttribute;
    } else if (c == '>') {
      last_gt = i;
    }
    if (tree > options.max_tree_bytes) break;
  }
  if (i < xml.size()) *truncated = true;
  if (IsUtf16Or32(xml)) {
    if (*truncated) return std::nullopt;
    return xml.size();
  }
  if (last_gt == std::string_view::npos) return std::nullopt;
  return last_gt + 1;
}

}  // namespace takedown::fetch::feed_internal
