#include "platforms/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>
#include <utility>

namespace takedown::platforms {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsUnreserved(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
char ToLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
int HexValue(char c) { return IsDigit(c) ? c - '0' : (ToLower(c) - 'a' + 10); }
std::string Lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ToLower);
  return out;
}

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when there is none.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n > s.size() - i || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// A copy that is valid UTF-8, each bad byte replaced by U+FFFD, so that it can always be shown
// and serialised to JSON.
std::string ShowableCopy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Trims ASCII whitespace and the invisible characters that copying from chat apps and word
// processors leaves around links: no-break space, zero-width space, byte order mark.
std::string_view Trim(std::string_view s) {
  constexpr std::array<std::string_view, 3> kInvisible = {"\xC2\xA0", "\xE2\x80\x8B",
                                                          "\xEF\xBB\xBF"};
  for (bool changed = true; changed;) {
    changed = false;
    while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
    for (std::string_view mark : kInvisible) {
      if (s.substr(0, mark.size()) == mark) {
        s.remove_prefix(mark.size());
        changed = true;
      }
      if (s.size() >= mark.size() && s.substr(s.size() - mark.size()) == mark) {
        s.remove_suffix(mark.size());
        changed = true;
      }
    }
  }
  return s;
}

// Length of the scheme the line starts with ("mailto" in "mailto:x"), 0 when it has none
// ("example.com/x", "localhost:8080/x"). By hand because curl, asked to assume a missing
// scheme, reads "javascript:alert(1)" as the host "javascript" with a bad port.
size_t SchemeLength(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return 0;
  size_t i = 1;
  while (i < s.size() &&
         (IsAlpha(s[i]) || IsDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i == s.size() || s[i] != ':') return 0;
  const std::string_view rest = s.substr(i + 1);
  if (!rest.empty() && rest[0] == '/') return i;                     // "ftp://", "file:///"
  if (s.substr(0, i).find('.') != std::string_view::npos) return 0;  // "example.com:8080"
  size_t digits = 0;
  while (digits < rest.size() && IsDigit(rest[digits])) ++digits;
  const bool port = digits > 0 && (digits == rest.size() || rest[digits] == '/' ||
                                   rest[digits] == '?' || rest[digits] == '#');
  return port ? 0 : i;  // "localhost:8080" has a port; "mailto:a@b.org" a scheme
}

enum class Escaping {
  kEscapesOnly,  // rewrite well-formed %XX escapes only: safe on a whole unparsed URL
  kComponent,    // also escape what a path or query may not hold bare
};

// Percent-encoding normalisation (RFC 3986 6.2.2.2): escapes of unreserved characters are
// decoded, the hex of the others uppercased. Done by hand: curl neither decodes nor uppercases.
std::string NormalizeEscapes(std::string_view in, Escaping mode) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // pchar (unreserved, sub-delims, ':', '@') plus '/' and '?', which path and query allow.
  static constexpr std::string_view kBare = "!$&'()*+,;=:@/?";
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && i + 2 < in.size() && IsHex(in[i + 1]) && IsHex(in[i + 2])) {
      const char decoded = static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      if (IsUnreserved(decoded)) {
        out += decoded;
      } else {
        out += '%';
        out += ToUpper(in[i + 1]);
        out += ToUpper(in[i + 2]);
      }
      i += 2;
    } else if (mode == Escaping::kEscapesOnly || IsUnreserved(c) ||
               (c != '%' && kBare.find(c) != std::string_view::npos)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

// Query parameters that only track where a click came from. Removing them makes shares of the
// same page one key. Short names that sites also use for content are removed only on the
// sites where they are known to track.
struct TrackingParam {
  std::string_view name;
  std::array<std::string_view, 3> only_on;  // registrable domains; all empty: everywhere
};
constexpr std::array<TrackingParam, 16> kTrackingParams = {{
    {"fbclid", {}},
    {"gclid", {}},
    {"dclid", {}},
    {"gbraid", {}},
    {"wbraid", {}},
    {"msclkid", {}},
    {"igshid", {}},
    {"igsh", {}},
    {"mc_cid", {}},
    {"mc_eid", {}},
    {"_hsenc", {}},
    {"_hsmkt", {}},
    {"yclid", {}},
    {"ref_src", {}},
    {"si", {"youtube.com", "youtu.be", "spotify.com"}},
    {"s", {"x.com", "twitter.com"}},
}};

bool IsTracking(std::string_view name, std::string_view registrable_domain) {
  const std::string lower = Lowercase(name);
  if (lower.rfind("utm_", 0) == 0) return true;
  for (const TrackingParam& p : kTrackingParams) {
    if (p.name != lower) continue;
    if (p.only_on[0].empty()) return true;
    return std::any_of(p.only_on.begin(), p.only_on.end(), [&](std::string_view domain) {
      return !domain.empty() && domain == registrable_domain;
    });
  }
  return false;
}

// Drops empty and tracking parameters; the others keep their order, which can matter to the site.
std::string CleanQuery(std::string_view query, std::string_view registrable_domain) {
  std::string out;
  while (!query.empty()) {
    const size_t amp = std::min(query.find('&'), query.size());
    const std::string_view param = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (param.empty() || IsTracking(param.substr(0, param.find('=')), registrable_domain)) {
      continue;
    }
    if (!out.empty()) out += '&';
    out += param;
  }
  return out;
}

bool IsIpLiteral(std::string_view host) {
  // Numeric hosts that are not IPv4 addresses ("1.2.3.4.5") are no DNS names either: no TLD is
  // numeric, so the public suffix list has nothing to say about them.
  return host.front() == '[' ||
         std::all_of(host.begin(), host.end(), [](char c) { return IsDigit(c) || c == '.'; });
}

// One spelling per IPv6 address (RFC 5952, as inet_ntop writes it): "[::0:1]" is "[::1]".
std::string CanonicalIpv6(const std::string& bracketed) {
  const std::string inner = bracketed.substr(1, bracketed.size() - 2);
  in6_addr addr{};
  char text[INET6_ADDRSTRLEN];
  if (bracketed.back() != ']' || inet_pton(AF_INET6, inner.c_str(), &addr) != 1 ||
      inet_ntop(AF_INET6, &addr, text, sizeof(text)) == nullptr) {
    return Lowercase(bracketed);  // curl accepted it, so keep it rather than refuse it
  }
  return "[" + std::string(text) + "]";
}

Result<std::string> NormalizeHost(std::string host) {
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) return InvalidArgument("the address has no host name");
  if (host.front() == '[') return CanonicalIpv6(host);
  host = Lowercase(host);
  const bool ascii = std::all_of(host.begin(), host.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  // ASCII hosts skip libidn2 unless they hold punycode to check: its rules would refuse real
  // host names such as "-x.blogspot.com".
  if (!ascii || host.rfind("xn--", 0) == 0 || host.find(".xn--") != std::string::npos) {
    // UTS 46 non-transitional processing, as browsers do: "ß" stays "ß" rather than "ss".
    char* out = nullptr;
    const int rc = idn2_to_ascii_8z(host.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
      idn2_free(out);
      return InvalidArgument(std::string("the host name is not a valid international domain "
                                         "name (") +
                             idn2_strerror(rc) + ")");
    }
    host = out;
    idn2_free(out);
  }
  for (char c : host) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '.' && c != '_') {
      // Only reachable through escapes, which curl decodes in the host ("%21" is "!").
      return InvalidArgument("the host name holds a character no host name may hold");
    }
  }
  // curl rewrites IPv4 forms such as "0x7f.1" but not once a trailing dot follows; inet_aton
  // reads the same forms (decimal, octal, hex, 1 to 4 parts), so every spelling gets one key.
  if (in_addr v4{}; inet_aton(host.c_str(), &v4) != 0) {
    char text[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &v4, text, sizeof(text)) != nullptr) return std::string(text);
  }
  if (IsIpLiteral(host)) return host;
  if (host.size() > 253) return InvalidArgument("the host name is longer than 253 characters");
  for (size_t start = 0; start <= host.size();) {
    const size_t end = std::min(host.find('.', start), host.size());
    if (end == start) {
      return InvalidArgument("the host name has an empty part (a leading dot or two in a row)");
    }
    if (end - start > 63) {
      return InvalidArgument("a part of the host name is longer than 63 characters");
    }
    start = end + 1;
  }
  return host;
}

// Loaded once, then only read (libpsl lookups are thread-safe). psl_latest() takes the newer of
// libpsl's built-in list and the system's (Debian package publicsuffix); the built-in list is
// the fallback when that fails. It lives as long as the process.
const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* const list = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return list;
}

std::string RegistrableDomain(const std::string& host) {
  if (IsIpLiteral(host)) return "";
  const char* domain = psl_registrable_domain(PublicSuffixList(), host.c_str());
  return domain != nullptr ? domain : "";
}

Status CurlError(CURLUcode rc) {
  switch (rc) {
    case CURLUE_USER_NOT_ALLOWED:
      return InvalidArgument(
          "the address holds a user name or password before the host; remove it, credentials "
          "are never stored");
    case CURLUE_NO_HOST:
      return InvalidArgument("the address has no host name");
    case CURLUE_BAD_PORT_NUMBER:
      return InvalidArgument("the port is not a number from 0 to 65535");
    case CURLUE_BAD_HOSTNAME:
    case CURLUE_BAD_IPV6:
      return InvalidArgument("the host name is not valid");
    case CURLUE_BAD_SLASHES:
      return InvalidArgument("the address needs two slashes after \"http:\" or \"https:\"");
    default:
      return InvalidArgument(std::string("this is not a valid web address (") +
                             curl_url_strerror(rc) + ")");
  }
}

// Returns the part, or "" when the URL has none (no query; a default port with
// CURLU_NO_DEFAULT_PORT).
std::string GetPart(CURLU* url, CURLUPart part, unsigned int flags) {
  char* text = nullptr;
  std::string out;
  if (curl_url_get(url, part, &text, flags) == CURLUE_OK && text != nullptr) out = text;
  curl_free(text);
  return out;
}

Status CheckCharacters(std::string_view line) {
  for (size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      return InvalidArgument(
          "the line contains a space or tab: put one address per line, and write a space "
          "inside an address as %20");
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return InvalidArgument("the line contains a control character");
    }
    const size_t n = Utf8Length(line, i);
    if (n == 0) return InvalidArgument("the line is not valid UTF-8 text");
    i += n;
  }
  return Status::Ok();
}

}  // namespace

Result<NormalizedUrl> NormalizeUrl(std::string_view line) {
  const std::string_view text = Trim(line);
  if (text.empty()) return InvalidArgument("the line is empty");
  if (text.size() > kMaxUrlBytes) {
    return TooLarge("the line is " + std::to_string(text.size()) +
                    " bytes long; one address may have at most 4,096");
  }
  if (Status s = CheckCharacters(text); !s.ok()) return s;

  std::string input;
  if (const size_t n = SchemeLength(text); n > 0) {
    const std::string scheme = Lowercase(text.substr(0, n));
    if (scheme != "http" && scheme != "https") {
      return InvalidArgument("the address uses the \"" + scheme.substr(0, 32) +
                             ":\" scheme; only http and https web addresses can be taken down");
    }
    input = scheme + std::string(text.substr(n));
  } else {
    input = (text.substr(0, 2) == "//" ? "https:" : "https://") + std::string(text);
  }
  const std::string with_scheme = input;
  // Escapes are normalised before curl parses, so that curl's removal of dot segments also sees
  // "%2E%2E" as ".." (RFC 3986 6.2.2: percent-encoding first, then dot segments).
  input = NormalizeEscapes(input, Escaping::kEscapesOnly);

  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (url == nullptr) return Internal("out of memory while parsing a URL");
  // CURLU_URLENCODE escapes non-ASCII bytes in path and query; the host stays UTF-8 for libidn2.
  const CURLUcode rc =
      curl_url_set(url.get(), CURLUPART_URL, input.c_str(), CURLU_DISALLOW_USER | CURLU_URLENCODE);
  if (rc != CURLUE_OK) return CurlError(rc);

  NormalizedUrl out;
  out.original = std::string(text);
  out.url = with_scheme;
  out.scheme = GetPart(url.get(), CURLUPART_SCHEME, 0);
  Result<std::string> host = NormalizeHost(GetPart(url.get(), CURLUPART_HOST, 0));
  if (!host.ok()) return host.status();
  out.host = std::move(*host);
  out.registrable_domain = RegistrableDomain(out.host);
  const std::string port = GetPart(url.get(), CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
  std::string path = NormalizeEscapes(GetPart(url.get(), CURLUPART_PATH, 0), Escaping::kComponent);
  if (path.empty()) path = "/";
  const std::string query =
      CleanQuery(NormalizeEscapes(GetPart(url.get(), CURLUPART_QUERY, 0), Escaping::kComponent),
                 out.registrable_domain);

  // http and https of one page are one key. An http address on a port of its own keeps http:
  // https on that port would be another service.
  out.normalized = (out.scheme == "http" && !port.empty()) ? "http://" : "https://";
  out.normalized += out.host;
  if (!port.empty()) out.normalized += ":" + port;
  out.normalized += path;
  if (!query.empty()) out.normalized += "?" + query;
  return out;
}

std::vector<UrlLine> ParseUrlLines(std::string_view pasted, const PlatformDirectory& directory) {
  std::vector<UrlLine> lines;
  std::unordered_map<std::string, int> first_line;  // normalized -> line it first appeared on
  int number = 0;
  for (size_t pos = 0; pos <= pasted.size();) {
    const size_t end = std::min(pasted.find('\n', pos), pasted.size());
    const std::string_view text = Trim(pasted.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    if (text.empty() || text.front() == '#') continue;

    UrlLine line;
    line.line = number;
    Result<NormalizedUrl> url = NormalizeUrl(text);
    if (!url.ok()) {
      line.original = ShowableCopy(text.substr(0, kMaxUrlBytes));
      line.error = url.status().message();
      line.error_code = url.status().code();
      lines.push_back(std::move(line));
      continue;
    }
    line.ok = true;
    line.original = std::move(url->original);
    line.url = std::move(url->url);
    line.host = std::move(url->host);
    line.registrable_domain = std::move(url->registrable_domain);
    if (const Platform* p = directory.Classify(line.host)) line.platform = p->id;
    auto [it, first] = first_line.emplace(url->normalized, number);
    if (!first) line.duplicate_of_line = it->second;
    line.normalized = std::move(url->normalized);
    lines.push_back(std::move(line));
  }
  return lines;
}

domain::Sighting SightingOf(const UrlLine& line, UnixMillis first_seen) {
  domain::Sighting s;
  s.url = line.url;
  s.normalized_url = line.normalized;
  s.platform = line.platform;
  s.host = line.registrable_domain;
  s.first_seen = first_seen;
  s.evidence_json = "{}";
  return s;
}

}  // namespace takedown::platforms
