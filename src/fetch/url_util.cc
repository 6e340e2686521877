#include "fetch/url_util.h"

#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <memory>

namespace takedown::fetch::internal {
namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

UrlHandle NewUrl() { return UrlHandle(curl_url(), &curl_url_cleanup); }

std::string GetPart(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* text = nullptr;
  std::string out;
  if (curl_url_get(url, part, &text, flags) == CURLUE_OK && text != nullptr) out = text;
  curl_free(text);
  return out;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The scheme a reference starts with, lowercased; "" for a relative reference.
std::string SchemeOf(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return "";
  size_t i = 1;
  while (i < s.size() && i < 32 &&
         (IsAlpha(s[i]) || IsDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i >= s.size() || s[i] != ':') return "";
  std::string out(s.substr(0, i));
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

// Browser-style clean-up of an address written in HTML, before curl parses it (curl refuses
// spaces and would keep the rest as they are). The host is left alone: IDN is handled after.
std::string CleanReference(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  while (!in.empty() && static_cast<unsigned char>(in.front()) <= 0x20) in.remove_prefix(1);
  while (!in.empty() && static_cast<unsigned char>(in.back()) <= 0x20) in.remove_suffix(1);
  in = in.substr(0, in.find('#'));  // the fragment never reaches the server
  // Where the authority (host) is, so that it is not percent-encoded.
  size_t authority_start = std::string_view::npos;
  const std::string scheme = SchemeOf(in);
  const size_t after_scheme = scheme.empty() ? 0 : scheme.size() + 1;
  if (in.substr(after_scheme, 2) == "//" || in.substr(after_scheme, 2) == "\\\\") {
    authority_start = after_scheme + 2;
  }
  std::string out;
  out.reserve(in.size() + 16);
  bool in_path = true;  // before '?': backslashes are slashes there
  bool in_authority = false;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (i == authority_start) in_authority = true;
    if (in_authority && (c == '/' || c == '?' || c == '\\')) in_authority = false;
    if (c == '?') in_path = false;
    if (c == '\\' && in_path) c = '/';
    const auto b = static_cast<unsigned char>(c);
    const bool escape = b <= 0x20 || b == 0x7F || (b >= 0x80 && !in_authority) || c == '"' ||
                        c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '|' ||
                        c == '^' || (c == '\\' && !in_path);
    if (escape) {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// Lowercase ASCII host (IDN to punycode), no trailing dot. Nullopt for a host no DNS name or
// address can be.
std::optional<std::string> AsciiHost(std::string host) {
  if (!host.empty() && host.front() == '[') {
    std::transform(host.begin(), host.end(), host.begin(), Lower);
    return host;
  }
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty() || host.size() > 253 || host.find('%') != std::string::npos) {
    return std::nullopt;
  }
  const bool ascii = std::all_of(host.begin(), host.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    char* converted = nullptr;
    if (idn2_to_ascii_8z(host.c_str(), &converted, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) !=
        IDN2_OK) {
      idn2_free(converted);
      return std::nullopt;
    }
    host = converted;
    idn2_free(converted);
  }
  std::transform(host.begin(), host.end(), host.begin(), Lower);
  return host;
}

// Checks and normalises a parsed URL in place; fills `target`. `refuse_credentials`: an error
// rather than dropping them.
Status Normalise(CURLU* url, bool refuse_credentials, Target* target) {
  target->scheme = GetPart(url, CURLUPART_SCHEME);
  std::transform(target->scheme.begin(), target->scheme.end(), target->scheme.begin(), Lower);
  if (target->scheme != "http" && target->scheme != "https") {
    return InvalidArgument("only http and https addresses can be fetched, not \"" +
                           target->scheme.substr(0, 32) + ":\"");
  }
  if (!GetPart(url, CURLUPART_USER).empty() || !GetPart(url, CURLUPART_PASSWORD).empty()) {
    if (refuse_credentials) {
      return InvalidArgument("the address holds a user name or password; they are never sent");
    }
    curl_url_set(url, CURLUPART_USER, nullptr, 0);
    curl_url_set(url, CURLUPART_PASSWORD, nullptr, 0);
  }
  const std::optional<std::string> host = AsciiHost(GetPart(url, CURLUPART_HOST));
  if (!host) return InvalidArgument("the address has no valid host name");
  if (host->front() != '[' && curl_url_set(url, CURLUPART_HOST, host->c_str(), 0) != CURLUE_OK) {
    return InvalidArgument("the address has no valid host name");
  }
  target->host = *host;
  curl_url_set(url, CURLUPART_SCHEME, target->scheme.c_str(), 0);
  curl_url_set(url, CURLUPART_FRAGMENT, nullptr, 0);
  if (GetPart(url, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT).empty()) {
    curl_url_set(url, CURLUPART_PORT, nullptr, 0);  // "https://x:443/" is "https://x/"
  }
  const std::string port = GetPart(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  target->port = port.empty() ? 0 : std::atoi(port.c_str());
  target->url = GetPart(url, CURLUPART_URL);
  if (target->url.empty() || target->url.size() > kMaxUrlBytes) {
    return InvalidArgument("the address is not valid or longer than 8,192 bytes");
  }
  return Status::Ok();
}

}  // namespace

Result<Target> ParseTarget(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return InvalidArgument("the address is longer than 8,192 bytes");
  const std::string scheme = SchemeOf(url);
  if (scheme != "http" && scheme != "https") {
    return InvalidArgument(
        scheme.empty() ? "the address has no scheme; give a full http or https address"
                       : "only http and https addresses can be fetched, not \"" + scheme + ":\"");
  }
  UrlHandle handle = NewUrl();
  if (handle == nullptr) return Internal("out of memory while parsing an address");
  const std::string cleaned = CleanReference(url);
  if (const CURLUcode rc = curl_url_set(handle.get(), CURLUPART_URL, cleaned.c_str(), 0);
      rc != CURLUE_OK) {
    return InvalidArgument(std::string("this is not a valid web address (") +
                           curl_url_strerror(rc) + ")");
  }
  Target target;
  if (Status s = Normalise(handle.get(), /*refuse_credentials=*/true, &target); !s.ok()) return s;
  return target;
}

std::optional<std::string> ResolveUrl(std::string_view base, std::string_view reference) {
  if (reference.size() > 2 * kMaxUrlBytes) return std::nullopt;  // data: URIs, mostly
  const std::string scheme = SchemeOf(reference);
  if (!scheme.empty() && scheme != "http" && scheme != "https") return std::nullopt;
  const std::string cleaned = CleanReference(reference);
  if (cleaned.empty()) return std::nullopt;  // "", spaces, or only a fragment: this page
  UrlHandle handle = NewUrl();
  if (handle == nullptr) return std::nullopt;
  if (curl_url_set(handle.get(), CURLUPART_URL, std::string(base).c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  if (curl_url_set(handle.get(), CURLUPART_URL, cleaned.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  Target target;
  if (!Normalise(handle.get(), /*refuse_credentials=*/false, &target).ok()) return std::nullopt;
  return target.url;
}

}  // namespace takedown::fetch::internal
