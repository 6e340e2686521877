#include "fetch/feed.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <unordered_set>
#include <utility>

#include "fetch/feed_internal.h"
#include "fetch/url_util.h"

namespace takedown::fetch {

namespace feed_internal {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ToLower(s.substr(0, prefix.size())) == prefix;
}

std::string_view LocalName(std::string_view name) {
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool IsUtf16Or32(std::string_view s) {
  if (s.size() < 2) return false;
  const auto b = [&](size_t i) { return i < s.size() ? static_cast<uint8_t>(s[i]) : 0xAA; };
  return (b(0) == 0xFE && b(1) == 0xFF) || (b(0) == 0xFF && b(1) == 0xFE) || b(0) == 0 || b(1) == 0;
}

}  // namespace feed_internal

using namespace feed_internal;  // NOLINT: the helpers of feed_internal.h

namespace {

// Adds what a feed points at, resolved, each address once, up to the caps.
class Collector {
 public:
  Collector(const FeedOptions& options, Feed* feed) : options_(options), feed_(feed) {}

  void Page(const std::string& base, std::string_view raw) {
    Add(base, raw, options_.max_pages, &feed_->pages, &seen_pages_);
  }
  void Sitemap(const std::string& base, std::string_view raw) {
    Add(base, raw, options_.max_sitemaps, &feed_->sitemaps, &seen_sitemaps_);
  }
  void Media(const std::string& base, std::string_view raw, MediaHint hint, MediaSource source) {
    if (std::optional<std::string> url = internal::ResolveUrl(base, raw)) {
      AddMedia(std::move(*url), hint, source);
    }
  }
  // A media address by what its type or medium says: dropped when that is neither image nor
  // video; when nothing is said, by the address's extension.
  void MediaSaid(const std::string& base, std::string_view raw, Says says, MediaSource source) {
    if (says == Says::kOther) return;
    std::optional<std::string> url = internal::ResolveUrl(base, raw);
    if (!url) return;
    const MediaHint hint = says == Says::kImage   ? MediaHint::kImage
                           : says == Says::kVideo ? MediaHint::kVideo
                                                  : HintFromExtension(*url);
    AddMedia(std::move(*url), hint, source);
  }

  // Media in the HTML of an item's description or content, by ExtractPage's rules.
  void ItemHtml(const std::string& base, std::string_view html) {
    if (!options_.item_html || html.find('<') == std::string_view::npos) return;
    if (html.size() > html_left_) {
      html = html.substr(0, html_left_);
      feed_->capped = true;
    }
    if (html.empty()) return;
    html_left_ -= html.size();
    ExtractOptions extract;
    extract.max_html_bytes = html.size();
    extract.max_media_urls = options_.max_media;
    Result<fetch::Page> page = ExtractPage(html, base, extract);
    if (!page.ok()) return;  // past ExtractPage's time or memory budget: nothing from it
    for (MediaRef& m : page->media) AddMedia(std::move(m.url), m.hint, m.source);
  }

  // Whether one more item, entry or sitemap entry may be read.
  bool TakeEntry() {
    if (entries_ >= options_.max_entries) {
      feed_->capped = true;
      return false;
    }
    ++entries_;
    return true;
  }

 private:
  void Add(const std::string& base, std::string_view raw, size_t cap,
           std::vector<std::string>* list, std::unordered_set<std::string>* seen) {
    std::optional<std::string> url = internal::ResolveUrl(base, raw);
    if (!url || seen->contains(*url)) return;
    if (list->size() >= cap) {
      feed_->capped = true;
      return;
    }
    seen->insert(*url);
    list->push_back(std::move(*url));
  }

  void AddMedia(std::string url, MediaHint hint, MediaSource source) {
    if (seen_media_.contains(url)) return;
    if (feed_->media.size() >= options_.max_media) {
      feed_->capped = true;
      return;
    }
    seen_media_.insert(url);
    feed_->media.push_back({std::move(url), hint, source});
  }

  const FeedOptions& options_;
  Feed* feed_;
  size_t entries_ = 0;
  size_t html_left_ = options_.max_item_html_bytes;
  std::unordered_set<std::string> seen_pages_;
  std::unordered_set<std::string> seen_media_;
  std::unordered_set<std::string> seen_sitemaps_;
};

// The base for addresses in `n`: its xml:base resolved against the parent's base, when that
// gives an http(s) address.
std::string BaseOf(const std::string& parent, xml_node n) {
  const char* base = n.attribute("xml:base").value();
  if (*base == '\0') return parent;
  std::optional<std::string> resolved = internal::ResolveUrl(parent, base);
  return resolved ? std::move(*resolved) : parent;
}

struct StringWriter : pugi::xml_writer {
  explicit StringWriter(size_t max) : max_bytes(max) {}
  void write(const void* data, size_t size) override {
    const size_t n = std::min(size, max_bytes - std::min(max_bytes, out.size()));
    out.append(static_cast<const char*>(data), n);
  }
  std::string out;
  size_t max_bytes;
};

class Reader {
 public:
  Reader(const FeedOptions& options, Feed* feed)
      : options_(options), feed_(feed), out_(options, feed) {}

  void Title(xml_node parent) {
    if (!feed_->title.empty()) return;
    xml_node title;
    for (xml_node c : parent.children()) {
      if (!Is(c, "title")) continue;
      if (Prefix(c.name()) == Prefix(parent.name())) {
        title = c;
        break;
      }
      if (!title) title = c;  // dc:title and the like, when nothing better comes
    }
    if (title) feed_->title = CollapsedText(title, options_.max_depth, options_.max_title_bytes);
  }

  // RSS 2.0 (<rss><channel><item>) and RSS 1.0 (<rdf:RDF><channel/><item/>): the same walk.
  void Rss(xml_node container, const std::string& parent_base, bool top) {
    const std::string base = BaseOf(parent_base, container);
    Title(container);
    for (xml_node c : container.children()) {
      if (c.type() != pugi::node_element) continue;
      if (Is(c, "item")) {
        if (!out_.TakeEntry()) return;
        RssItem(c, base);
      } else if (top && Is(c, "channel")) {
        Rss(c, base, false);
      } else if (!Is(c, "title")) {
        Media(c, base);  // channel-level Media RSS
      }
    }
  }

  void RssItem(xml_node item, const std::string& parent_base) {
    const std::string base = BaseOf(parent_base, item);
    std::string link = base;  // what the item's HTML resolves against
    bool have_link = false;
    std::string html;  // all of the item's, one ExtractPage call (each call costs ~10 us)
    for (xml_node c : item.children()) {
      if (c.type() != pugi::node_element) continue;
      const std::string_view name = LocalName(c.name());
      if (name == "link") {
        const std::string rel = ToLower(Attr(c, "rel"));
        std::string href = HasAttr(c, "href") ? std::string(Attr(c, "href")) : Text(c);
        if (rel.empty() || rel == "alternate") {
          const std::string at = BaseOf(base, c);
          out_.Page(at, href);
          if (!have_link) {
            if (std::optional<std::string> url = internal::ResolveUrl(at, href)) {
              link = std::move(*url);
              have_link = true;
            }
          }
        }
      } else if (name == "guid") {
        const std::string text = Text(c);
        std::string_view trimmed = text;
        while (!trimmed.empty() && IsSpace(trimmed.front())) trimmed.remove_prefix(1);
        if (ToLower(Attr(c, "isPermaLink")) != "false" &&
            (StartsWithIgnoreCase(trimmed, "http://") ||
             StartsWithIgnoreCase(trimmed, "https://"))) {
          out_.Page(base, trimmed);
        }
      } else if ((name == "description" || name == "encoded") &&
                 html.size() < options_.max_item_html_bytes) {
        html += Text(c, options_.max_item_html_bytes);
        html += '\n';
      }
    }
    // RSS 1.0 names the item by its address.
    const std::string_view about = Attr(item, "about");
    if (StartsWithIgnoreCase(about, "http://") || StartsWithIgnoreCase(about, "https://")) {
      out_.Page(base, about);
    }
    Media(item, parent_base);
    out_.ItemHtml(link, html);
  }

  void Atom(xml_node feed, const std::string& parent_base) {
    const std::string base = BaseOf(parent_base, feed);
    Title(feed);
    for (xml_node c : feed.children()) {
      if (c.type() != pugi::node_element) continue;
      if (Is(c, "entry")) {
        if (!out_.TakeEntry()) return;
        AtomEntry(c, base);
      } else if (!Is(c, "title")) {
        Media(c, base);  // feed-level Media RSS
      }
    }
  }

  void AtomEntry(xml_node entry, const std::string& parent_base) {
    const std::string base = BaseOf(parent_base, entry);
    std::string html;  // all of the entry's, against the base of the first
    std::optional<std::string> html_base;
    for (xml_node c : entry.children()) {
      if (c.type() != pugi::node_element) continue;
      const std::string_view name = LocalName(c.name());
      const std::string at = BaseOf(base, c);
      if (name == "link") {
        const std::string rel = ToLower(Attr(c, "rel"));
        if (rel.empty() || rel == "alternate") out_.Page(at, Attr(c, "href"));
      } else if ((name == "content" || name == "summary") && !HasAttr(c, "url")) {
        const std::string type = ToLower(Attr(c, "type"));
        if (name == "content" && HasAttr(c, "src")) {  // out-of-line content
          out_.MediaSaid(at, Attr(c, "src"), FromType(type), MediaSource::kEnclosure);
        } else if (html.size() >= options_.max_item_html_bytes) {
          continue;  // enough of this entry's HTML already
        } else if (type == "html" || type == "text/html") {
          html += Text(c, options_.max_item_html_bytes);
          html += '\n';
          if (!html_base) html_base = at;
        } else if (type == "xhtml" || type == "application/xhtml+xml") {
          StringWriter writer(options_.max_item_html_bytes);
          for (xml_node x : c.children()) x.print(writer, "", pugi::format_raw);
          html += writer.out;
          html += '\n';
          if (!html_base) html_base = at;
        }
      }
    }
    Media(entry, parent_base);
    // Atom says relative addresses in content resolve against xml:base, else the feed's URL.
    if (html_base) out_.ItemHtml(*html_base, html);
  }

  void Sitemap(xml_node urlset, const std::string& parent_base) {
    const std::string base = BaseOf(parent_base, urlset);
    for (xml_node url : urlset.children()) {
      if (!Is(url, "url")) continue;
      if (!out_.TakeEntry()) return;
      const std::string at = BaseOf(base, url);
      for (xml_node c : url.children()) {
        if (Is(c, "loc")) {
          out_.Page(at, Text(c));
        } else if (Is(c, "image")) {
          for (xml_node i : c.children()) {
            if (Is(i, "loc")) {
              out_.Media(at, Text(i), MediaHint::kImage, MediaSource::kSitemapImage);
            }
          }
        } else if (Is(c, "video")) {
          for (xml_node v : c.children()) {
            if (Is(v, "content_loc")) {
              out_.Media(at, Text(v), MediaHint::kVideo, MediaSource::kSitemapVideo);
            } else if (Is(v, "thumbnail_loc")) {
              out_.Media(at, Text(v), MediaHint::kImage, MediaSource::kSitemapVideo);
            } else if (Is(v, "player_loc")) {
              out_.Page(at, Text(v));
            }
          }
        }
      }
    }
  }

  void SitemapIndex(xml_node index, const std::string& parent_base) {
    const std::string base = BaseOf(parent_base, index);
    for (xml_node sitemap : index.children()) {
      if (!Is(sitemap, "sitemap")) continue;
      if (!out_.TakeEntry()) return;
      for (xml_node c : sitemap.children()) {
        if (Is(c, "loc")) out_.Sitemap(BaseOf(base, sitemap), Text(c));
      }
    }
  }

 private:
  // Media RSS, enclosures and Atom enclosure links in `top` and below it, in document order,
  // down to max_depth levels; parent_base is what top's parent resolves against.
  void Media(xml_node top, const std::string& parent_base) {
    // The xml:base in force, by the depth of the element that set it.
    std::vector<std::pair<size_t, std::string>> bases = {{0, BaseOf(parent_base, top)}};
    MediaElement(top, bases.back().second);
    xml_node n = top.first_child();
    size_t depth = 1;
    while (n) {
      if (n.type() == pugi::node_element) {
        if (*n.attribute("xml:base").value() != '\0') {
          bases.emplace_back(depth, BaseOf(bases.back().second, n));
        }
        MediaElement(n, bases.back().second);
        if (n.first_child() && depth < options_.max_depth) {
          n = n.first_child();
          ++depth;
          continue;
        }
      }
      // Next in document order: a sibling, or the sibling of the nearest ancestor with one.
      while (true) {
        while (bases.size() > 1 && bases.back().first >= depth) bases.pop_back();
        if (n.next_sibling()) {
          n = n.next_sibling();
          break;
        }
        n = n.parent();
        --depth;
        if (depth == 0) return;
      }
    }
  }

  void MediaElement(xml_node e, const std::string& base) {
    if (e.type() != pugi::node_element) return;
    const std::string_view name = LocalName(e.name());
    if (name == "enclosure") {  // RSS 2.0 url=, RSS 1.0 mod_enc rdf:resource=
      const std::string_view url = HasAttr(e, "url") ? Attr(e, "url") : Attr(e, "resource");
      out_.MediaSaid(base, url, FromType(Attr(e, "type")), MediaSource::kEnclosure);
    } else if (name == "link" && ToLower(Attr(e, "rel")) == "enclosure") {
      out_.MediaSaid(base, Attr(e, "href"), FromType(Attr(e, "type")), MediaSource::kEnclosure);
    } else if (name == "content" && HasAttr(e, "url")) {  // media:content
      Says says = FromMedium(Attr(e, "medium"));
      if (says == Says::kNothing) says = FromType(Attr(e, "type"));
      out_.MediaSaid(base, Attr(e, "url"), says, MediaSource::kMediaRss);
    } else if (name == "thumbnail" && HasAttr(e, "url")) {  // media:thumbnail
      out_.Media(base, Attr(e, "url"), MediaHint::kImage, MediaSource::kMediaRss);
    } else if (name == "player" && HasAttr(e, "url")) {  // media:player: an HTML page
      out_.Page(base, Attr(e, "url"));
    }
  }

  const FeedOptions& options_;
  Feed* feed_;
  Collector out_;
};

}  // namespace

std::string_view FeedKindName(FeedKind kind) {
  switch (kind) {
    case FeedKind::kRss:
      return "rss";
    case FeedKind::kAtom:
      return "atom";
    case FeedKind::kRdf:
      return "rdf";
    case FeedKind::kSitemap:
      return "sitemap";
    case FeedKind::kSitemapIndex:
      return "sitemapindex";
  }
  return "unknown";
}

Result<Feed> ParseFeed(std::string_view xml, std::string_view feed_url,
                       const FeedOptions& options) {
  Result<internal::Target> target = internal::ParseTarget(feed_url);
  if (!target.ok()) return target.status();
  Feed feed;
  std::optional<size_t> length = ParseLength(xml, options, &feed.truncated);
  if (!length && IsUtf16Or32(xml)) {
    return Unsupported(target->url + " is a UTF-16 or UTF-32 document over the feed size limits");
  }
  if (!length) {
    return Corrupt(target->url + " holds no complete XML tag" +
                   (feed.truncated
                        ? " in its first " + std::to_string(options.max_input_bytes) + " bytes"
                        : std::string()));
  }

  pugi::xml_document doc;
  // No DOCTYPE, comment or processing instruction nodes: they are skipped, never interpreted.
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), *length, pugi::parse_default | pugi::parse_embed_pcdata);
  if (parsed.status == pugi::status_out_of_memory) {
    return ResourceExhausted("there was not enough memory to parse " + target->url);
  }
  if (!parsed) {
    // A document that stops with elements still open (a cut transfer) is read as far as it
    // goes; any other error is an error. (pugixml reports that at the last byte.)
    const bool ends_early = parsed.status == pugi::status_end_element_mismatch &&
                            static_cast<size_t>(parsed.offset) + 1 >= *length;
    if (ends_early) feed.truncated = true;
    if (!feed.truncated) {
      return Corrupt(target->url + " is not well-formed XML: " + ToLower(parsed.description()) +
                     " at byte " + std::to_string(parsed.offset));
    }
  }
  const xml_node root = doc.document_element();
  if (!root) return Corrupt(target->url + " holds no XML element");
  const std::string_view name = LocalName(root.name());
  Reader reader(options, &feed);
  if (name == "rss") {
    feed.kind = FeedKind::kRss;
    reader.Rss(root, target->url, true);
  } else if (name == "RDF") {
    feed.kind = FeedKind::kRdf;
    reader.Rss(root, target->url, true);
  } else if (name == "feed") {
    feed.kind = FeedKind::kAtom;
    reader.Atom(root, target->url);
  } else if (name == "urlset") {
    feed.kind = FeedKind::kSitemap;
    reader.Sitemap(root, target->url);
  } else if (name == "sitemapindex") {
    feed.kind = FeedKind::kSitemapIndex;
    reader.SitemapIndex(root, target->url);
  } else {
    std::string shown(root.name());
    TruncateUtf8(shown, 64);
    return Unsupported(target->url + " is not a feed or sitemap: its root element is <" + shown +
                       ">");
  }
  return feed;
}

}  // namespace takedown::fetch
