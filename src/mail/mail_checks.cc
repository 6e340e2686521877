// The checks every email header value and address goes through before a message is built
// (header injection, addresses, Message-IDs, UTF-8): delivery_internal.h.
#include <algorithm>
#include <string>
#include <string_view>

#include "mail/mail_internal.h"

namespace takedown::notify {
namespace internal {
namespace {

bool IsAtext(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '.') {
      if (s[i + 1] == '.') return false;  // s.back() is not '.', so i + 1 is in range
    } else if (!IsAtext(c)) {
      return false;
    }
  }
  return true;
}

bool IsDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  size_t label = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    const char c = d[i];
    if (c == '.') {
      if (label == 0 || d[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    (c == '-' && label > 0);
    if (!ok || ++label > 63) return false;
  }
  return d.back() != '-';
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\0') {
      out += "\\0";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

Status CheckHeaderValue(std::string_view field, std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n') {
      return InvalidArgument(std::string(field) +
                             " contains a line break (CR or LF), which could inject headers "
                             "into the email; refused");
    }
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return InvalidArgument(std::string(field) + " contains a control character; refused");
    }
  }
  return Status::Ok();
}

Status CheckAddress(std::string_view field, std::string_view address) {
  if (Status s = CheckHeaderValue(field, address); !s.ok()) return s;
  const size_t at = address.rfind('@');
  const bool ok = at != std::string_view::npos && address.size() <= 254 && at <= 64 &&
                  IsDotAtom(address.substr(0, at)) && IsDomain(address.substr(at + 1));
  if (!ok) {
    return InvalidArgument(std::string(field) + " " + Quote(address) +
                           " is not a plain ASCII email address (local@domain)");
  }
  return Status::Ok();
}

Status CheckMessageId(std::string_view field, std::string_view id) {
  if (Status s = CheckHeaderValue(field, id); !s.ok()) return s;
  bool ok = id.size() >= 5 && id.size() <= 250 && id.front() == '<' && id.back() == '>';
  if (ok) {
    const std::string_view inner = id.substr(1, id.size() - 2);
    const size_t at = inner.find('@');
    ok = at != std::string_view::npos && IsDotAtom(inner.substr(0, at)) &&
         IsDotAtom(inner.substr(at + 1));
  }
  if (!ok) {
    return InvalidArgument(std::string(field) + " " + Quote(id) +
                           " is not a Message-ID of the form <left@right>");
  }
  return Status::Ok();
}

std::string_view DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

bool IsUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // the sequence is cut off
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace internal

}  // namespace takedown::notify
