// Test-only: small, independent decoders for what BuildMime encodes (base64, quoted-printable,
// RFC 2047 encoded-words, header blocks, multipart bodies), written plainly from the RFCs so the
// tests do not check the encoder with itself. Header-only.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace takedown::notify::testing {

inline std::string Base64Decode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else {
      continue;  // '=', CR, LF
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline std::string QuotedPrintableDecode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out += in[i];
    } else if (in.substr(i + 1, 2) == "\r\n") {
      i += 2;  // soft line break
    } else if (i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      i += 2;
    } else {
      out += '=';
    }
  }
  return out;
}

// Unfolds a header value and decodes its encoded-words (B and Q), dropping the white space
// between adjacent encoded-words as RFC 2047 6.2 says.
inline std::string DecodeHeader(std::string_view folded) {
  std::string value;
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded.substr(i, 2) == "\r\n") {
      ++i;
      continue;
    }
    value += folded[i];
  }
  std::string out;
  size_t i = 0;
  bool last_was_word = false;
  std::string pending_space;
  while (i < value.size()) {
    if (value.compare(i, 2, "=?") == 0) {
      const size_t q1 = value.find('?', i + 2);
      const size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
      const size_t end = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
      if (end != std::string::npos) {
        const char encoding = value[q1 + 1];
        const std::string text = value.substr(q2 + 1, end - q2 - 1);
        std::string decoded;
        if (encoding == 'B' || encoding == 'b') {
          decoded = Base64Decode(text);
        } else {
          std::string qp;
          for (char c : text) qp += c == '_' ? ' ' : c;
          decoded = QuotedPrintableDecode(qp);
        }
        if (!last_was_word) out += pending_space;
        pending_space.clear();
        out += decoded;
        last_was_word = true;
        i = end + 2;
        continue;
      }
    }
    if (value[i] == ' ' || value[i] == '\t') {
      pending_space += value[i++];
      continue;
    }
    out += pending_space;
    pending_space.clear();
    out += value[i++];
    last_was_word = false;
  }
  return out + pending_space;
}

struct ParsedPart {
  std::vector<std::pair<std::string, std::string>> headers;  // name, raw (folded) value
  std::string body;                                          // as on the wire

  // The raw value of the first header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n.size() == name.size()) {
        bool same = true;
        for (size_t i = 0; i < n.size(); ++i) {
          if (std::tolower(static_cast<unsigned char>(n[i])) !=
              std::tolower(static_cast<unsigned char>(name[i]))) {
            same = false;
          }
        }
        if (same) return v;
      }
    }
    return "";
  }
  size_t Count(std::string_view name) const {
    size_t n = 0;
    for (const auto& header : headers) n += header.first == name ? 1 : 0;
    return n;
  }
};

// Splits "headers CRLF CRLF body"; folded lines are kept in the values (with their CRLF).
inline ParsedPart ParsePart(std::string_view text) {
  ParsedPart part;
  const size_t end = text.find("\r\n\r\n");
  const std::string_view head = text.substr(0, end);
  part.body = end == std::string_view::npos ? "" : std::string(text.substr(end + 4));
  size_t start = 0;
  while (start < head.size()) {
    size_t line_end = head.find("\r\n", start);
    if (line_end == std::string_view::npos) line_end = head.size();
    const std::string_view line = head.substr(start, line_end - start);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !part.headers.empty()) {
      part.headers.back().second += "\r\n" + std::string(line);
    } else {
      const size_t colon = line.find(':');
      std::string value(line.substr(colon + 1));
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      part.headers.emplace_back(std::string(line.substr(0, colon)), value);
    }
    start = line_end + 2;
  }
  return part;
}

// The parts of a multipart body between "--boundary" lines.
inline std::vector<std::string> SplitMultipart(std::string_view body, const std::string& boundary) {
  std::vector<std::string> parts;
  const std::string delimiter = "\r\n--" + boundary;
  size_t start = body.find("--" + boundary);
  if (start == std::string_view::npos) return parts;
  start = body.find("\r\n", start) + 2;
  while (true) {
    const size_t next = body.find(delimiter, start);
    if (next == std::string_view::npos) break;
    parts.emplace_back(body.substr(start, next - start));
    const size_t after = next + delimiter.size();
    if (body.substr(after, 2) == "--") break;
    start = body.find("\r\n", after) + 2;
  }
  return parts;
}

}  // namespace takedown::notify::testing
