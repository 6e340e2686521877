// The limits of the HTTP front (front.h): what one client, or many slow ones, may take of the
// server. Plain settings.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace takedown::http {

struct FrontLimits {
  size_t max_body_bytes = 1 << 20;
  int handler_threads = 64;
  // From a connection's start (or the end of its previous request) to its headers' end.
  int header_timeout_s = 10;
  // A body must average at least this many bytes a second, once it has had header_timeout_s.
  size_t min_body_bytes_per_s = 1024;
  // A connection with no bytes moving either way (a client not reading its answer) is closed.
  int idle_timeout_s = 30;
  int max_connections = 512;
  int max_connections_per_address = 32;  // trusted proxies are not capped
  // Addresses of reverse proxies whose X-Forwarded-For names the client; none: the header is
  // ignored and the client is the socket's peer.
  std::vector<std::string> trusted_proxies;
};

}  // namespace takedown::http
