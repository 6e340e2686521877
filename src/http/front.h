// The HTTP front: connections, request bytes and limits, on libmicrohttpd. One event-driven thread
// reads every connection, so a slow client costs a socket and a little memory, never a thread; a
// request whose headers and body have fully arrived is handed to a pool of threads, where the
// handler may block (the database, Argon2id) without stalling the other connections.
//
// Limits (FrontLimits): a deadline for the headers, a minimum body rate, connections in all and
// per client address, a body cap counted on the decoded bytes whatever the transfer encoding.
//
// Thread-safe: Stop may be called from any thread, and from a signal handler.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "http/limits.h"

namespace takedown::http {

// Answers one request whose body has fully arrived; req.remote_addr is the client's address.
// Runs on the handler pool.
using RequestHandler = std::function<void(httplib::Request& req, httplib::Response& res)>;

class HttpFront {
 public:
  HttpFront(FrontLimits limits, RequestHandler handler);
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Checks the limits and listens on host:port (0: any free port); after it, port() is the port
  // bound. The socket is not shared (no SO_REUSEPORT): a second server on a port in use fails
  // here.
  Status Bind(const std::string& host, int port);
  int port() const;
  // Serves until Stop.
  Status Run();
  // Async-signal-safe.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace takedown::http
