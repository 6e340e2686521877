#include "fetch/extract.h"

#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_set>

#include "fetch/html_guard.h"
#include "fetch/parse_arena.h"
#include "fetch/url_util.h"

namespace takedown::fetch {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

const char* Attr(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a != nullptr ? a->value : nullptr;
}

// The element's lowercase name, also for elements gumbo has no enum value for (<picture>).
std::string TagName(const GumboElement& e) {
  if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
  GumboStringPiece piece = e.original_tag;
  if (piece.data == nullptr || piece.length == 0) return "";
  gumbo_tag_from_original_text(&piece);
  std::string name(piece.data, piece.length);
  name = name.substr(0, name.find_first_of(" \t\n\f\r/>"));
  std::transform(name.begin(), name.end(), name.begin(), Lower);
  return name;
}

bool IsHtml(const GumboNode* n, GumboTag tag) {
  return n != nullptr && n->type == GUMBO_NODE_ELEMENT &&
         n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML && n->v.element.tag == tag;
}

std::string_view Extension(std::string_view url) {
  const size_t authority = url.find("://");
  const size_t path = url.find('/', authority == std::string_view::npos ? 0 : authority + 3);
  if (path == std::string_view::npos) return "";
  std::string_view p = url.substr(path);
  p = p.substr(0, p.find('?'));
  p = p.substr(p.rfind('/') + 1);
  const size_t dot = p.rfind('.');
  return dot == std::string_view::npos ? "" : p.substr(dot + 1);
}

// For links only, where the address is all there is to go by: what its extension promises.
// (Fetched bodies are judged by their bytes, never by this.)
std::optional<MediaHint> HintFromExtension(std::string_view url) {
  std::string ext(Extension(url));
  if (ext.size() > 5) return std::nullopt;
  std::transform(ext.begin(), ext.end(), ext.begin(), Lower);
  static constexpr std::string_view kImages[] = {"jpg", "jpeg", "jpe",  "jfif", "png",
                                                 "gif", "webp", "avif", "heic", "heif",
                                                 "bmp", "tif",  "tiff"};
  static constexpr std::string_view kVideos[] = {"mp4", "m4v", "mov", "webm", "mkv", "avi",
                                                 "flv", "wmv", "mpg", "mpeg", "ogv", "3gp"};
  if (std::find(std::begin(kImages), std::end(kImages), ext) != std::end(kImages)) {
    return MediaHint::kImage;
  }
  if (std::find(std::begin(kVideos), std::end(kVideos), ext) != std::end(kVideos)) {
    return MediaHint::kVideo;
  }
  return std::nullopt;
}

// What url() in CSS also points at besides images: stylesheets (@import), fonts, SVG.
bool NeverAnImage(std::string_view url) {
  std::string ext(Extension(url));
  std::transform(ext.begin(), ext.end(), ext.begin(), Lower);
  static constexpr std::string_view kNot[] = {"css", "woff", "woff2", "ttf", "otf",
                                              "eot", "svg",  "svgz",  "htc", "js"};
  return std::find(std::begin(kNot), std::end(kNot), ext) != std::end(kNot);
}

// Gathers addresses in document order, resolved, each once, up to the caps.
class Collector {
 public:
  Collector(std::string base, const ExtractOptions& options, Page* page)
      : base_(std::move(base)), options_(options), page_(page) {}

  void Media(std::string_view raw, MediaHint hint, MediaSource source) {
    if (page_->media_capped) return;
    if (std::optional<std::string> url = internal::ResolveUrl(base_, raw)) {
      AddMedia(std::move(*url), hint, source);
    }
  }

  // A lazy-loading attribute's value: an address when its path ends in a media extension, or,
  // for an attribute that holds only addresses (`address_only`), when it has a path at all; a
  // flag, a size or a title ("true", "1024,768", "IMG_0001") has neither.
  void Lazy(std::string_view raw, bool address_only, MediaHint hint) {
    if (page_->media_capped) return;
    std::optional<std::string> url = internal::ResolveUrl(base_, raw);
    if (!url) return;
    const std::optional<MediaHint> by_extension = HintFromExtension(*url);
    if (by_extension || (address_only && raw.find('/') != std::string_view::npos)) {
      AddMedia(std::move(*url), by_extension.value_or(hint), MediaSource::kLazy);
    }
  }

  void Link(std::string_view raw) {
    std::optional<std::string> url = internal::ResolveUrl(base_, raw);
    if (!url) return;
    if (std::optional<MediaHint> hint = HintFromExtension(*url)) {
      AddMedia(*url, *hint, MediaSource::kAnchor);
    }
    if (seen_links_.contains(*url)) return;
    if (page_->links.size() >= options_.max_links) {
      page_->links_capped = true;
      return;
    }
    seen_links_.insert(*url);
    page_->links.push_back(std::move(*url));
  }

  // The HTML "parse a srcset attribute" algorithm, keeping only the addresses: a candidate's
  // address runs to whitespace, trailing commas end it, and descriptors run to a comma outside
  // parentheses (so "w_100,h_100" style addresses survive).
  void Srcset(std::string_view s, MediaHint hint, MediaSource source) {
    size_t p = 0;
    while (p < s.size() && !page_->media_capped) {
      while (p < s.size() && (IsSpace(s[p]) || s[p] == ',')) ++p;
      if (p >= s.size()) break;
      const size_t start = p;
      while (p < s.size() && !IsSpace(s[p])) ++p;
      std::string_view url = s.substr(start, p - start);
      if (!url.empty() && url.back() == ',') {
        while (!url.empty() && url.back() == ',') url.remove_suffix(1);
      } else {
        int depth = 0;
        for (; p < s.size(); ++p) {
          if (s[p] == '(') ++depth;
          if (s[p] == ')' && depth > 0) --depth;
          if (s[p] == ',' && depth == 0) break;
        }
      }
      if (!url.empty()) Media(url, hint, source);
    }
  }

  // Every url(...) in a style attribute or a <style> block: quoted or bare, with CSS escapes
  // undone. Files that are never images (stylesheets, fonts, SVG, which is not hashed) are
  // skipped: each would only be a failed fetch counted against the page. (References inside the
  // document, url(#gradient), resolve to nothing.)
  void Style(std::string_view css) {
    size_t p = 0;
    while (!page_->media_capped) {
      size_t found = std::string_view::npos;
      for (size_t q = p; q + 4 <= css.size(); ++q) {
        if (Lower(css[q]) == 'u' && Lower(css[q + 1]) == 'r' && Lower(css[q + 2]) == 'l' &&
            css[q + 3] == '(') {
          found = q;
          break;
        }
      }
      if (found == std::string_view::npos) return;
      p = found + 4;
      while (p < css.size() && IsSpace(css[p])) ++p;
      const char quote = p < css.size() && (css[p] == '"' || css[p] == '\'') ? css[p] : 0;
      if (quote != 0) ++p;
      std::string url;
      for (; p < css.size(); ++p) {
        const char c = css[p];
        if (quote != 0 ? c == quote : (c == ')' || IsSpace(c))) break;
        if (c == '\\' && p + 1 < css.size()) {
          url += css[++p];
        } else {
          url += c;
        }
        if (url.size() > internal::kMaxUrlBytes) break;
      }
      std::optional<std::string> resolved = internal::ResolveUrl(base_, url);
      if (resolved && !NeverAnImage(*resolved)) {
        AddMedia(std::move(*resolved), MediaHint::kImage, MediaSource::kStyle);
      }
    }
  }

 private:
  void AddMedia(std::string url, MediaHint hint, MediaSource source) {
    if (seen_media_.contains(url)) return;
    if (page_->media.size() >= options_.max_media_urls) {
      page_->media_capped = true;
      return;
    }
    seen_media_.insert(url);
    page_->media.push_back({std::move(url), hint, source});
  }

  std::string base_;
  const ExtractOptions& options_;
  Page* page_;
  std::unordered_set<std::string> seen_media_;
  std::unordered_set<std::string> seen_links_;
};

bool MetaNameIs(const char* value, std::initializer_list<std::string_view> names) {
  if (value == nullptr) return false;
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view n) { return EqualsIgnoreCase(value, n); });
}

bool HasToken(const char* list, std::string_view token) {
  if (list == nullptr) return false;
  std::string_view s(list);
  size_t p = 0;
  while (p < s.size()) {
    while (p < s.size() && IsSpace(s[p])) ++p;
    const size_t start = p;
    while (p < s.size() && !IsSpace(s[p])) ++p;
    if (EqualsIgnoreCase(s.substr(start, p - start), token)) return true;
  }
  return false;
}

// Lazy loaders keep the real address in a data- attribute until a script swaps it in, which a
// fetch never runs. These names hold an address and nothing else (WordPress/Jetpack's
// data-orig-file and data-large-file, Pinterest's data-pin-media, lazysizes' data-bg, ...).
constexpr std::string_view kLazyAddressNames[] = {"data-src",
                                                  "data-lazy-src",
                                                  "data-original",
                                                  "data-orig-file",
                                                  "data-orig-src",
                                                  "data-medium-file",
                                                  "data-large-file",
                                                  "data-full-url",
                                                  "data-full-src",
                                                  "data-fullsrc",
                                                  "data-original-src",
                                                  "data-original-url",
                                                  "data-pin-media",
                                                  "data-hi-res-src",
                                                  "data-high-res-src",
                                                  "data-hires",
                                                  "data-src-retina",
                                                  "data-retina",
                                                  "data-zoom-image",
                                                  "data-zoom-src",
                                                  "data-large-src",
                                                  "data-lazyload",
                                                  "data-lazy",
                                                  "data-echo",
                                                  "data-bg",
                                                  "data-bg-src",
                                                  "data-background",
                                                  "data-background-image",
                                                  "data-lazy-background",
                                                  "data-poster",
                                                  "data-image",
                                                  "data-img",
                                                  "data-thumb",
                                                  "data-url"};
// Families whose other members hold an address only sometimes (data-original-width and
// data-image-meta do not): their values count only when the path ends in a media extension.
constexpr std::string_view kLazyFamilies[] = {
    "data-original",   "data-orig",   "data-lazy", "data-src",   "data-full",
    "data-large",      "data-medium", "data-hi",   "data-zoom",  "data-bg",
    "data-background", "data-image",  "data-img",  "data-thumb", "data-pin"};

// The data- attributes of any element that lazy loaders use (see above); `hint` is what the
// element suggests when the address has no telling extension.
void LazyAttributes(const GumboElement& e, MediaHint hint, Collector& out) {
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    const std::string_view name(a->name), value(a->value);
    if (!name.starts_with("data-")) continue;
    if (name.ends_with("srcset")) {
      out.Srcset(value, MediaHint::kImage, MediaSource::kLazy);
      continue;
    }
    const bool address = std::find(std::begin(kLazyAddressNames), std::end(kLazyAddressNames),
                                   name) != std::end(kLazyAddressNames);
    const bool family =
        address || std::any_of(std::begin(kLazyFamilies), std::end(kLazyFamilies),
                               [&](std::string_view f) { return name.starts_with(f); });
    if (!family) continue;
    if (value.find("url(") != std::string_view::npos) {
      out.Style(value);  // data-bg="url(photo.jpg)"
      continue;
    }
    out.Lazy(value, address, hint);
  }
}

void VisitElement(const GumboNode* node, Collector& out) {
  const GumboElement& e = node->v.element;
  if (e.tag_namespace == GUMBO_NAMESPACE_SVG) {
    if (e.tag == GUMBO_TAG_IMAGE) {
      if (const char* href = Attr(e, "href"))
        out.Media(href, MediaHint::kImage, MediaSource::kSvgImage);
    }
  } else if (e.tag_namespace == GUMBO_NAMESPACE_HTML) {
    const auto media = [&](const char* name, MediaHint hint, MediaSource source) {
      if (const char* v = Attr(e, name)) out.Media(v, hint, source);
    };
    const auto srcset = [&](const char* name, MediaHint hint, MediaSource source) {
      if (const char* v = Attr(e, name)) out.Srcset(v, hint, source);
    };
    MediaHint lazy_hint = MediaHint::kImage;
    switch (e.tag) {
      case GUMBO_TAG_IMG:
        media("src", MediaHint::kImage, MediaSource::kImgSrc);
        srcset("srcset", MediaHint::kImage, MediaSource::kImgSrcset);
        break;
      case GUMBO_TAG_SOURCE: {
        const GumboNode* parent = node->parent;
        if (IsHtml(parent, GUMBO_TAG_VIDEO)) {
          media("src", MediaHint::kVideo, MediaSource::kVideoSrc);
          lazy_hint = MediaHint::kVideo;
        } else if (parent != nullptr && parent->type == GUMBO_NODE_ELEMENT &&
                   TagName(parent->v.element) == "picture") {
          srcset("srcset", MediaHint::kImage, MediaSource::kPictureSource);
        }
        break;
      }
      case GUMBO_TAG_VIDEO:
        media("src", MediaHint::kVideo, MediaSource::kVideoSrc);
        media("poster", MediaHint::kImage, MediaSource::kVideoPoster);
        lazy_hint = MediaHint::kVideo;
        break;
      case GUMBO_TAG_STYLE:
        // Background images of a theme or a gallery are often only in the page's CSS.
        for (unsigned i = 0; i < e.children.length; ++i) {
          const auto* k = static_cast<const GumboNode*>(e.children.data[i]);
          if (k->type == GUMBO_NODE_TEXT) out.Style(k->v.text.text);
        }
        break;
      case GUMBO_TAG_META: {
        const char* key = Attr(e, "property");
        if (key == nullptr) key = Attr(e, "name");
        if (MetaNameIs(key, {"og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                             "twitter:image:src"})) {
          media("content", MediaHint::kImage, MediaSource::kMeta);
        } else if (MetaNameIs(key, {"og:video", "og:video:url", "og:video:secure_url"})) {
          media("content", MediaHint::kVideo, MediaSource::kMeta);
        }
        break;
      }
      case GUMBO_TAG_LINK:
        if (HasToken(Attr(e, "rel"), "image_src")) {
          media("href", MediaHint::kImage, MediaSource::kLinkImageSrc);
        }
        break;
      case GUMBO_TAG_A:
        if (const char* href = Attr(e, "href")) out.Link(href);
        break;
      default:
        break;
    }
    LazyAttributes(e, lazy_hint, out);
  }
  if (const char* style = Attr(e, "style")) out.Style(style);
}

const GumboVector* Children(const GumboNode* n) {
  switch (n->type) {
    case GUMBO_NODE_DOCUMENT:
      return &n->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &n->v.element.children;
    default:
      return nullptr;
  }
}

// Calls visit(node) for every element and template in document order, without recursion (the
// guard bounds the depth, but a loop needs no bound at all).
template <typename Visit>
void Walk(const GumboNode* root, Visit visit) {
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
      if (!visit(n)) return;
    }
    if (const GumboVector* kids = Children(n)) {
      for (unsigned i = kids->length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
      }
    }
  }
}

// Cuts to at most max bytes without ending inside a UTF-8 sequence.
void TruncateUtf8(std::string& s, size_t max) {
  if (s.size() <= max) return;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

std::string CollapsedText(const GumboNode* title, size_t max_bytes) {
  std::string out;
  bool space = false;
  const GumboVector* kids = Children(title);
  for (unsigned i = 0; kids != nullptr && i < kids->length && out.size() <= max_bytes; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids->data[i]);
    if (k->type != GUMBO_NODE_TEXT && k->type != GUMBO_NODE_WHITESPACE) continue;
    for (const char* c = k->v.text.text; *c != '\0' && out.size() <= max_bytes; ++c) {
      if (IsSpace(*c)) {
        space = !out.empty();
        continue;
      }
      if (space) out += ' ';
      space = false;
      out += *c;
    }
  }
  TruncateUtf8(out, max_bytes);
  return out;
}

}  // namespace

std::string_view MediaSourceName(MediaSource source) {
  switch (source) {
    case MediaSource::kImgSrc:
      return "img src";
    case MediaSource::kImgSrcset:
      return "img srcset";
    case MediaSource::kLazy:
      return "lazy-loading attribute";
    case MediaSource::kPictureSource:
      return "picture source";
    case MediaSource::kVideoSrc:
      return "video src";
    case MediaSource::kVideoPoster:
      return "video poster";
    case MediaSource::kMeta:
      return "og/twitter meta";
    case MediaSource::kLinkImageSrc:
      return "link image_src";
    case MediaSource::kAnchor:
      return "link to a media file";
    case MediaSource::kStyle:
      return "style url()";
    case MediaSource::kSvgImage:
      return "svg image";
    case MediaSource::kEnclosure:
      return "feed enclosure";
    case MediaSource::kMediaRss:
      return "media rss";
    case MediaSource::kSitemapImage:
      return "image sitemap";
    case MediaSource::kSitemapVideo:
      return "video sitemap";
  }
  return "unknown";
}

Result<Page> ExtractPage(std::string_view html, std::string_view page_url,
                         const ExtractOptions& options) {
  Result<internal::Target> page = internal::ParseTarget(page_url);
  if (!page.ok()) return page.status();
  Page out;
  if (html.size() > options.max_html_bytes) {
    html = html.substr(0, options.max_html_bytes);
    out.truncated = true;
  }
  internal::GuardedHtml guarded =
      internal::GuardHtml(html, {options.max_depth, options.max_attributes});
  out.dropped_tags = guarded.dropped_tags;

  GumboOptions gumbo = kGumboDefaultOptions;
  gumbo.max_errors = 0;  // recorded errors copy the open-element stack each: quadratic memory
  internal::ParseArena arena(std::chrono::steady_clock::now() + options.max_parse_time,
                             options.max_parse_memory);
  const GumboOutput* doc = arena.Parse(gumbo, guarded.html.data(), guarded.html.size());
  if (doc == nullptr) {
    return ResourceExhausted(
        arena.exceeded() == internal::ParseArena::Exceeded::kTime
            ? "the page's HTML took longer than " + std::to_string(options.max_parse_time.count()) +
                  " ms to parse; it was given up"
            : "the page's HTML needed more than " + std::to_string(options.max_parse_memory >> 20) +
                  " MiB of memory to parse; it was given up");
  }

  // The first <base href> that is http(s) decides for the whole document, wherever it is.
  out.base_url = page->url;
  Walk(doc->document, [&](const GumboNode* n) {
    if (!IsHtml(n, GUMBO_TAG_BASE)) return true;
    const char* href = Attr(n->v.element, "href");
    if (href == nullptr) return true;
    if (std::optional<std::string> base = internal::ResolveUrl(page->url, href)) {
      out.base_url = std::move(*base);
    }
    return false;
  });

  Collector collector(out.base_url, options, &out);
  bool have_title = false;
  Walk(doc->document, [&](const GumboNode* n) {
    if (!have_title && IsHtml(n, GUMBO_TAG_TITLE)) {
      out.title = CollapsedText(n, options.max_title_bytes);
      have_title = true;
    }
    if (n->type == GUMBO_NODE_ELEMENT) VisitElement(n, collector);
    return true;
  });
  return out;
}

}  // namespace takedown::fetch
