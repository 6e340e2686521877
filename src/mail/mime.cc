// Building the RFC 5322 / MIME text of a notice by hand (BuildMime); the checks every header
// value goes through are in mail_checks.cc.
//
// Why not curl_mime: the outbox's exactly-once check searches the archive for the Message-ID, so
// the Message-ID must be exactly the one the caller recorded, and the bytes sent must be the
// bytes the tests read. curl_mime picks its own boundaries and encodings (and would need the
// Message-ID as a custom header anyway); writing the text here keeps the encoding choices
// (encoded-words of whole characters, folding, quoted-printable vs base64) in one tested place,
// and BuildMime is deterministic, so a retry sends the same bytes.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "mail/mail.h"
#include "mail/mail_internal.h"

namespace takedown::notify {

namespace {

using internal::CheckAddress;
using internal::CheckHeaderValue;
using internal::CheckMessageId;

constexpr size_t kLineLimit = 78;   // RFC 5322 2.1.1: SHOULD be no more than 78 characters
constexpr size_t kEncodedMax = 75;  // RFC 2047 2: an encoded-word is at most 75 characters
constexpr size_t kBodyLine = 76;    // RFC 2045: quoted-printable and base64 lines
constexpr char kHex[] = "0123456789ABCDEF";

std::string Base64(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Text with every line end (LF, CR, CRLF) made CRLF: the canonical form of text/* (RFC 2046).
std::string Canonical(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

// Bytes quoted-printable must escape, besides trailing white space and the line-start cases.
bool QpNeedsEscape(unsigned char c) { return c == '=' || c > 126 || (c < 32 && c != '\t'); }

// Quoted-printable (RFC 2045 6.7) of canonical text: hard line breaks stay CRLF, long lines get
// soft breaks so no line passes 76 characters, and white space before a line end is escaped. A
// '.' or "From " at the start of a line is escaped too, so neither a relay's dot handling nor an
// mbox's "From " munging can change the text.
std::string QuotedPrintable(std::string_view canonical) {
  std::string out;
  size_t start = 0;
  bool first = true;
  while (true) {
    const size_t end = canonical.find("\r\n", start);
    const std::string_view line = canonical.substr(
        start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!first) out += "\r\n";
    first = false;
    size_t used = 0;  // characters on the current output line
    for (size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool at_line_start = used == 0;
      bool escape = QpNeedsEscape(c);
      if ((c == ' ' || c == '\t') && i + 1 == line.size()) escape = true;
      if (at_line_start && c == '.') escape = true;
      if (at_line_start && line.substr(i, 5) == "From ") escape = true;
      const size_t width = escape ? 3 : 1;
      // Keep room for the '=' of a soft break unless this is the line's last character.
      const size_t room = i + 1 == line.size() ? kBodyLine : kBodyLine - 1;
      if (used + width > room) {
        out += "=\r\n";
        used = 0;
        --i;  // look at this character again at the start of the new line
        continue;
      }
      if (escape) {
        out += '=';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
      used += width;
    }
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

// Base64 in lines of 76, joined by CRLF (no CRLF after the last).
std::string Base64Lines(std::string_view data) {
  const std::string flat = Base64(data);
  std::string out;
  out.reserve(flat.size() + flat.size() / kBodyLine * 2);
  for (size_t i = 0; i < flat.size(); i += kBodyLine) {
    if (i > 0) out += "\r\n";
    out.append(flat, i, kBodyLine);
  }
  return out;
}

struct EncodedPart {
  std::string encoding;  // "quoted-printable" or "base64"
  std::string body;
};

// Quoted-printable when it comes out no longer than base64 would (mostly ASCII text: English,
// Malay), base64 otherwise (Chinese, where quoted-printable triples every byte).
EncodedPart EncodeText(std::string_view text) {
  const std::string canonical = Canonical(text);
  size_t escaped = 0;
  for (char c : canonical) {
    if (c != '\r' && c != '\n' && QpNeedsEscape(static_cast<unsigned char>(c))) ++escaped;
  }
  const size_t qp_size = canonical.size() + 2 * escaped;
  const size_t b64_size = (canonical.size() + 2) / 3 * 4;
  if (qp_size <= b64_size) return {"quoted-printable", QuotedPrintable(canonical)};
  return {"base64", Base64Lines(canonical)};
}

bool IsPlainAscii(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 126 || (u < 32 && c != '\t')) return false;
  }
  return true;
}

// Folds ASCII words ("a b c") at spaces so lines stay under 78 where the words allow it.
std::string FoldAscii(std::string_view value, size_t first_line_used) {
  std::string out;
  size_t used = first_line_used;
  size_t i = 0;
  while (i < value.size()) {
    // The next piece: spaces then a word; a fold goes before the spaces.
    size_t j = i;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
    while (j < value.size() && value[j] != ' ' && value[j] != '\t') ++j;
    const std::string_view piece = value.substr(i, j - i);
    const bool starts_with_space = piece.front() == ' ' || piece.front() == '\t';
    if (used + piece.size() > kLineLimit && starts_with_space && !out.empty()) {
      out += "\r\n";
      used = 0;
    }
    out += piece;
    used += piece.size();
    i = j;
  }
  return out;
}

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  return 4;
}

// UTF-8 base64 encoded-words of whole characters, separated by CRLF SP.
std::string EncodedWords(std::string_view utf8, size_t first_line_used) {
  std::string out;
  size_t used = first_line_used;
  size_t i = 0;
  while (i < utf8.size()) {
    // Adjacent encoded-words need white space between them: each after the first starts a line.
    if (!out.empty()) {
      out += "\r\n ";
      used = 1;
    }
    const size_t room = std::min(kEncodedMax, kLineLimit > used ? kLineLimit - used : 0);
    const size_t max_bytes = room >= 16 ? (room - 12) / 4 * 3 : 3;
    size_t n = 0;
    while (i + n < utf8.size()) {
      const size_t len = Utf8Length(static_cast<unsigned char>(utf8[i + n]));
      if (n + len > max_bytes && n > 0) break;
      n += len;
    }
    n = std::min(n, utf8.size() - i);
    const std::string word = "=?UTF-8?B?" + Base64(utf8.substr(i, n)) + "?=";
    out += word;
    used += word.size();
    i += n;
  }
  return out;
}

// A display name as an RFC 5322 phrase: atoms as they are, other ASCII as a quoted-string,
// anything else as encoded-words.
std::string Phrase(std::string_view name, size_t first_line_used) {
  bool atoms = true;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool atext = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                       std::string_view("!#$%&'*+-/=?^_`{|}~ ").find(c) != std::string_view::npos;
    if (!atext) atoms = false;
  }
  const bool has_encoded_marker = name.find("=?") != std::string_view::npos;
  if (IsPlainAscii(name) && !has_encoded_marker && name.size() < 60) {
    if (atoms && name.front() != ' ' && name.back() != ' ' &&
        name.find("  ") == std::string_view::npos) {
      return std::string(name);
    }
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\"";
  }
  return EncodedWords(name, first_line_used);
}

size_t LastLineLength(const std::string& s) {
  const size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s.size() : s.size() - nl - 1;
}

// "Name: a, b, c", folded after commas.
std::string AddressListHeader(std::string_view name, const std::vector<std::string>& addresses) {
  std::string line = std::string(name) + ": ";
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (i > 0) {
      line += ",";
      if (LastLineLength(line) + 1 + addresses[i].size() > kLineLimit) {
        line += "\r\n ";
      } else {
        line += " ";
      }
    }
    line += addresses[i];
  }
  return line + "\r\n";
}

std::string FormatDate(UnixMillis date) {
  const std::time_t seconds = static_cast<std::time_t>(date / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

// A boundary that cannot occur in quoted-printable or base64 text ("=_" never does), derived
// from the Message-ID so that BuildMime is deterministic.
std::string Boundary(std::string_view message_id) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  for (char c : message_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  std::string out = "=_takedown_";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 15];
  return out;
}

bool IsReservedHeader(std::string_view name) {
  static const char* const kReserved[] = {
      "from",        "to",           "cc",           "bcc",
      "reply-to",    "subject",      "date",         "message-id",
      "in-reply-to", "references",   "sender",       "return-path",
      "received",    "mime-version", "content-type", "content-transfer-encoding"};
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const char* reserved : kReserved) {
    if (lower == reserved) return true;
  }
  return lower.rfind("content-", 0) == 0;
}

Status CheckList(std::string_view field, const std::vector<std::string>& addresses) {
  for (const std::string& a : addresses) {
    if (Status s = CheckAddress(field, a); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status ValidateEmail(const Email& email) {
  if (Status s = CheckMessageId("the Message-ID", email.message_id); !s.ok()) return s;
  if (Status s = CheckAddress("the From address", email.from_address); !s.ok()) return s;
  if (Status s = CheckHeaderValue("the From name", email.from_name); !s.ok()) return s;
  if (!internal::IsUtf8(email.from_name)) {
    return InvalidArgument("the From name is not valid UTF-8");
  }
  if (email.to.empty()) return InvalidArgument("the email has no To address");
  if (Status s = CheckList("a To address", email.to); !s.ok()) return s;
  if (Status s = CheckList("a Cc address", email.cc); !s.ok()) return s;
  if (Status s = CheckList("a Bcc address", email.bcc); !s.ok()) return s;
  if (!email.reply_to.empty()) {
    if (Status s = CheckAddress("the Reply-To address", email.reply_to); !s.ok()) return s;
  }
  if (!email.envelope_from.empty()) {
    if (Status s = CheckAddress("the envelope sender", email.envelope_from); !s.ok()) return s;
  }
  if (!email.in_reply_to.empty()) {
    if (Status s = CheckMessageId("In-Reply-To", email.in_reply_to); !s.ok()) return s;
  }
  if (Status s = CheckHeaderValue("the subject", email.subject); !s.ok()) return s;
  if (!internal::IsUtf8(email.subject)) return InvalidArgument("the subject is not valid UTF-8");
  if (email.text.empty()) return InvalidArgument("the email has no text part");
  if (!internal::IsUtf8(email.text)) return InvalidArgument("the text part is not valid UTF-8");
  if (!internal::IsUtf8(email.html)) return InvalidArgument("the HTML part is not valid UTF-8");
  for (const auto& [name, value] : email.extra_headers) {
    bool name_ok = !name.empty() && name.size() <= 76;
    for (char c : name) {
      if (c <= ' ' || c > '~' || c == ':') name_ok = false;
    }
    if (!name_ok) {
      if (Status s = CheckHeaderValue("a header name", name); !s.ok()) return s;
      return InvalidArgument("\"" + name + "\" is not a valid header name");
    }
    if (IsReservedHeader(name)) {
      return InvalidArgument("the header " + name +
                             " is written by BuildMime and cannot be set as an extra header");
    }
    if (Status s = CheckHeaderValue("the header " + name, value); !s.ok()) return s;
    if (!IsPlainAscii(value)) {
      return InvalidArgument("the header " + name + " must be printable ASCII");
    }
  }
  return Status::Ok();
}

std::string EncodeHeaderText(std::string_view utf8, size_t first_line_used) {
  bool long_word = false;
  size_t run = 0;
  for (char c : utf8) {
    run = (c == ' ' || c == '\t') ? 0 : run + 1;
    if (run > kLineLimit - 2) long_word = true;
  }
  if (IsPlainAscii(utf8) && utf8.find("=?") == std::string_view::npos && !long_word) {
    return FoldAscii(utf8, first_line_used);
  }
  return EncodedWords(utf8, first_line_used);
}

Result<std::string> MessageIdForKey(std::string_view key, std::string_view from_address) {
  if (key.empty()) return InvalidArgument("the idempotency key is empty");
  const std::string_view domain = internal::DomainOf(from_address);
  if (domain.empty()) {
    return InvalidArgument("the From address has no domain to put in the Message-ID");
  }
  std::string id = "<";
  for (char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '_') {
      id += c;
    } else {
      id += '=';
      id += kHex[u >> 4];
      id += kHex[u & 15];
    }
  }
  id += "@";
  id += domain;
  id += ">";
  if (Status s = CheckMessageId("the Message-ID made from the idempotency key", id); !s.ok()) {
    return s;
  }
  return id;
}

std::optional<std::string> KeyForMessageId(std::string_view message_id, std::string_view domain) {
  if (message_id.size() < 3 || message_id.front() != '<' || message_id.back() != '>') {
    return std::nullopt;
  }
  const std::string_view inner = message_id.substr(1, message_id.size() - 2);
  const size_t at = inner.rfind('@');
  if (at == std::string_view::npos || at == 0 || domain.empty() ||
      !std::equal(inner.begin() + static_cast<std::ptrdiff_t>(at) + 1, inner.end(), domain.begin(),
                  domain.end(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                  })) {
    return std::nullopt;
  }
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string key;
  for (size_t i = 0; i < at; ++i) {
    const char c = inner[i];
    if (c != '=') {
      key += c;
      continue;
    }
    if (i + 2 >= at || hex(inner[i + 1]) < 0 || hex(inner[i + 2]) < 0) return std::nullopt;
    key += static_cast<char>(hex(inner[i + 1]) * 16 + hex(inner[i + 2]));
    i += 2;
  }
  return key;
}

Result<std::string> BuildMime(const Email& email, UnixMillis date) {
  if (Status s = ValidateEmail(email); !s.ok()) return s;
  std::string m;
  m += "Date: " + FormatDate(date) + "\r\n";
  if (email.from_name.empty()) {
    m += "From: " + email.from_address + "\r\n";
  } else {
    std::string from = "From: " + Phrase(email.from_name, 6);
    const std::string angle = "<" + email.from_address + ">";
    from += LastLineLength(from) + 1 + angle.size() > kLineLimit ? "\r\n " : " ";
    m += from + angle + "\r\n";
  }
  m += AddressListHeader("To", email.to);
  if (!email.cc.empty()) m += AddressListHeader("Cc", email.cc);
  if (!email.reply_to.empty()) m += "Reply-To: " + email.reply_to + "\r\n";
  m += "Subject: " + EncodeHeaderText(email.subject, 9) + "\r\n";
  m += "Message-ID: " + email.message_id + "\r\n";
  if (!email.in_reply_to.empty()) {
    m += "In-Reply-To: " + email.in_reply_to + "\r\n";
    m += "References: " + email.in_reply_to + "\r\n";
  }
  for (const auto& [name, value] : email.extra_headers) {
    m += name + ": " + EncodeHeaderText(value, name.size() + 2) + "\r\n";
  }
  m += "MIME-Version: 1.0\r\n";

  const EncodedPart text = EncodeText(email.text);
  if (email.html.empty()) {
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: " + text.encoding + "\r\n\r\n";
    m += text.body;
    // The message ends with a line end: the text's own, or one added.
    if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0) m += "\r\n";
    return m;
  }
  const EncodedPart html = EncodeText(email.html);
  const std::string boundary = Boundary(email.message_id);
  m += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is a MIME message: a plain text and an HTML version of the same text.\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: " + text.encoding + "\r\n\r\n";
  m += text.body + "\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/html; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: " + html.encoding + "\r\n\r\n";
  m += html.body + "\r\n";
  m += "--" + boundary + "--\r\n";
  return m;
}

}  // namespace takedown::notify
