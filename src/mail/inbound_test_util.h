// The reply tests' shared helper, for inbound_test.cc and inbound_imap_test.cc: a message written
// as lines.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace takedown::notify::inbound_testing {

// Lines joined with CRLF, as on the wire.
inline std::string Mail(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (std::string_view line : lines) out.append(line).append("\r\n");
  return out;
}

}  // namespace takedown::notify::inbound_testing
