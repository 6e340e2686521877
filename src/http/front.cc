#include "http/front.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace takedown::http {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string AddressText(const sockaddr* addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr == nullptr) return "";
  if (addr->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, text, sizeof text);
  } else if (addr->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, text, sizeof text);
  }
  return text;
}

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// What the watchdog knows of one connection. Written by the polling thread, read by the watchdog.
struct Watched {
  enum Phase { kHeaders, kBody, kAnswering };
  MHD_socket fd;
  std::string peer;
  std::atomic<int> phase{kHeaders};
  std::atomic<int64_t> since_ms{NowMs()};
  std::atomic<uint64_t> body_bytes{0};
};

// One request: what arrived, and the answer the handler pool made for it.
struct Exchange {
  ~Exchange() {
    if (reply != nullptr) MHD_destroy_response(reply);  // the connection ended before it was sent
  }
  httplib::Request req;
  uint64_t received = 0;   // body bytes, decoded
  bool too_large = false;  // past the cap: the rest is read and dropped, then 413
  bool dispatched = false;
  MHD_Response* reply = nullptr;  // set by the pool before it resumes the connection
  unsigned int reply_status = 0;
};

constexpr char kTooLargeBody[] =
    R"({"error":"the request body is too large","error_code":"too_large"})";
// What of a body over the cap is read and dropped before the 413, for clients that read no
// answer until they have sent everything; past it the connection is closed.
constexpr uint64_t kDrainBytes = 8 << 20;

// The whole 413 answer, for writing on the socket directly.
const std::string& TooLargeAnswer() {
  static const std::string kAnswer =
      "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
      "X-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: " +
      std::to_string(sizeof kTooLargeBody - 1) + "\r\n\r\n" + kTooLargeBody;
  return kAnswer;
}

MHD_Response* ToMhd(const httplib::Response& res) {
  MHD_Response* reply = MHD_create_response_from_buffer(
      res.body.size(), const_cast<char*>(res.body.data()), MHD_RESPMEM_MUST_COPY);
  for (const auto& [name, value] : res.headers) {
    // libmicrohttpd frames the body itself.
    if (strcasecmp(name.c_str(), "Content-Length") == 0 ||
        strcasecmp(name.c_str(), "Transfer-Encoding") == 0) {
      continue;
    }
    MHD_add_response_header(reply, name.c_str(), value.c_str());
  }
  return reply;
}

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<httplib::Request*>(cls)->headers.emplace(key, value ? value : "");
  return MHD_YES;
}

MHD_Result CollectParam(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<httplib::Request*>(cls)->params.emplace(key, value ? value : "");
  return MHD_YES;
}

bool IsTrusted(const std::string& peer, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) != trusted_proxies.end();
}

// The client address of a request that came from `peer`: the last X-Forwarded-For entry (the one
// the proxy appended) when `peer` is a trusted proxy and the entry is an IP address, else `peer`.
std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  if (!IsTrusted(peer, trusted_proxies)) return peer;
  const auto comma = forwarded_for.rfind(',');
  std::string last = comma == std::string::npos ? forwarded_for : forwarded_for.substr(comma + 1);
  const auto start = last.find_first_not_of(" \t");
  const auto end = last.find_last_not_of(" \t");
  last = start == std::string::npos ? "" : last.substr(start, end - start + 1);
  return IsIpAddress(last) ? last : peer;
}

}  // namespace

struct HttpFront::Impl {
  Impl(FrontLimits limits_in, RequestHandler handler_in)
      : limits(std::move(limits_in)), handler(std::move(handler_in)) {}

  FrontLimits limits;
  RequestHandler handler;
  int listen_fd = -1;
  std::atomic<int> port{0};
  int stop_pipe[2] = {-1, -1};

  std::mutex mu;  // guards watched and per_address
  std::set<Watched*> watched;
  std::map<std::string, int> per_address;

  static MHD_Result Admit(void* cls, const sockaddr* addr, socklen_t) {
    auto& self = *static_cast<Impl*>(cls);
    const std::string peer = AddressText(addr);
    if (IsTrusted(peer, self.limits.trusted_proxies)) return MHD_YES;
    std::lock_guard lock(self.mu);
    const auto it = self.per_address.find(peer);
    const int open = it == self.per_address.end() ? 0 : it->second;
    return open < self.limits.max_connections_per_address ? MHD_YES : MHD_NO;
  }

  static void Notify(void* cls, MHD_Connection* connection, void** socket_context,
                     MHD_ConnectionNotificationCode code) {
    auto& self = *static_cast<Impl*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      auto* w = new Watched;
      w->fd = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD)->connect_fd;
      w->peer = AddressText(
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS)->client_addr);
      std::lock_guard lock(self.mu);
      self.watched.insert(w);
      ++self.per_address[w->peer];
      *socket_context = w;
      return;
    }
    // Closed: libmicrohttpd closes the socket after this returns, so the watchdog (which shuts
    // sockets down under `mu`) never touches a descriptor reused by another connection.
    auto* w = static_cast<Watched*>(*socket_context);
    if (w == nullptr) return;
    std::lock_guard lock(self.mu);
    self.watched.erase(w);
    if (--self.per_address[w->peer] <= 0) self.per_address.erase(w->peer);
    delete w;
    *socket_context = nullptr;
  }

  static void Completed(void* cls, MHD_Connection* connection, void** request_context,
                        MHD_RequestTerminationCode) {
    delete static_cast<Exchange*>(*request_context);
    *request_context = nullptr;
    (void)cls;
    // The next request on a kept-alive connection has its own header deadline.
    if (auto* w = WatchedOf(connection)) {
      w->phase = Watched::kHeaders;
      w->since_ms = NowMs();
    }
  }

  static Watched* WatchedOf(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? static_cast<Watched*>(info->socket_context) : nullptr;
  }

  // 413 before the body is read: libmicrohttpd then reads none of it and closes the connection.
  static MHD_Result AnswerTooLarge(MHD_Connection* connection) {
    httplib::Response res;
    res.set_content(kTooLargeBody, "application/json");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Connection", "close");
    MHD_Response* reply = ToMhd(res);
    const MHD_Result queued = MHD_queue_response(connection, 413, reply);
    MHD_destroy_response(reply);
    return queued;
  }

  static MHD_Result Access(void* cls, MHD_Connection* connection, const char* url,
                           const char* method, const char* version, const char* upload_data,
                           size_t* upload_data_size, void** request_context) {
    auto& self = *static_cast<Impl*>(cls);
    auto* exchange = static_cast<Exchange*>(*request_context);
    Watched* w = WatchedOf(connection);
    if (exchange == nullptr) {  // the headers have arrived
      exchange = new Exchange;
      *request_context = exchange;
      httplib::Request& req = exchange->req;
      req.method = method;
      req.path = url;
      req.version = version;
      MHD_get_connection_values(connection, MHD_HEADER_KIND, CollectHeader, &req);
      MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, CollectParam, &req);
      const std::string peer = w ? w->peer : "";
      req.remote_addr =
          ClientAddress(peer, req.get_header_value("X-Forwarded-For"), self.limits.trusted_proxies);
      if (w) {
        w->phase = Watched::kBody;
        w->since_ms = NowMs();
        w->body_bytes = 0;
      }
      // A body announced too large: refused before it is read when the client waits to be told
      // (Expect: 100-continue) or the body is past what is worth draining; otherwise read and
      // dropped first, since a client that sends its whole body before reading (most do) would
      // see the connection reset rather than the 413.
      const std::string length = req.get_header_value("Content-Length");
      const uint64_t announced = length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
      if (announced > self.limits.max_body_bytes) {
        if (!req.get_header_value("Expect").empty() ||
            announced > self.limits.max_body_bytes + kDrainBytes) {
          return AnswerTooLarge(connection);
        }
        exchange->too_large = true;
      }
      return MHD_YES;
    }
    if (*upload_data_size > 0) {  // more of the body, decoded (chunked or not)
      const size_t size = *upload_data_size;
      *upload_data_size = 0;
      exchange->received += size;
      if (w) w->body_bytes += size;
      if (exchange->received > self.limits.max_body_bytes && !exchange->too_large) {
        exchange->too_large = true;  // a chunked body: its length was not announced
        std::string().swap(exchange->req.body);
      }
      if (!exchange->too_large) {
        exchange->req.body.append(upload_data, size);
      } else if (exchange->received > self.limits.max_body_bytes + kDrainBytes) {
        // Past what is worth draining. libmicrohttpd accepts an answer only before a body or
        // after all of it, and the rest is never read: the 413 is written on the socket, which
        // nothing else writes to while a body arrives, and the connection closed.
        const std::string& answer = TooLargeAnswer();
        if (w) (void)!::send(w->fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        return MHD_NO;
      }
      return MHD_YES;
    }
    if (exchange->too_large) return AnswerTooLarge(connection);  // the whole body was drained
    if (exchange->reply != nullptr) {
      const MHD_Result queued =
          MHD_queue_response(connection, exchange->reply_status, exchange->reply);
      MHD_destroy_response(exchange->reply);
      exchange->reply = nullptr;
      return queued;
    }
    if (exchange->dispatched) return MHD_YES;
    exchange->dispatched = true;
    if (w) w->phase = Watched::kAnswering;
    MHD_suspend_connection(connection);
    self.pool->enqueue([&self, connection, exchange] {
      httplib::Response res;
      self.handler(exchange->req, res);
      exchange->reply_status = static_cast<unsigned int>(res.status);
      exchange->reply = ToMhd(res);
      MHD_resume_connection(connection);
    });
    return MHD_YES;
  }

  // Shuts down connections past their header deadline or below the body rate; libmicrohttpd
  // then sees the end of the stream and closes them.
  void Watch(std::stop_token stop) {
    std::mutex sleep_mu;
    std::condition_variable_any sleep;
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(sleep_mu);
        sleep.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
      }
      const int64_t now = NowMs();
      const int64_t grace_ms = int64_t{limits.header_timeout_s} * 1000;
      std::lock_guard lock(mu);
      for (Watched* w : watched) {
        const int64_t elapsed = now - w->since_ms;
        const bool late_headers = w->phase == Watched::kHeaders && elapsed > grace_ms;
        const bool slow_body =
            w->phase == Watched::kBody && elapsed > grace_ms &&
            w->body_bytes * 1000 < limits.min_body_bytes_per_s * static_cast<uint64_t>(elapsed);
        if (late_headers || slow_body) ::shutdown(w->fd, SHUT_RDWR);
      }
    }
  }

  std::unique_ptr<httplib::ThreadPool> pool;
};

HttpFront::HttpFront(FrontLimits limits, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(limits), std::move(handler))) {
  if (pipe(impl_->stop_pipe) != 0) impl_->stop_pipe[0] = impl_->stop_pipe[1] = -1;
}

HttpFront::~HttpFront() {
  if (impl_->listen_fd >= 0) close(impl_->listen_fd);
  for (int fd : impl_->stop_pipe) {
    if (fd >= 0) close(fd);
  }
}

Status HttpFront::Bind(const std::string& host, int port) {
  const FrontLimits& limits = impl_->limits;
  if (limits.header_timeout_s < 1 || limits.idle_timeout_s < 1 || limits.max_connections < 1 ||
      limits.max_connections_per_address < 1 || limits.handler_threads < 1) {
    return InvalidArgument(
        "the header and idle timeouts, the connection caps and the threads must be 1 or more");
  }
  for (const std::string& proxy : limits.trusted_proxies) {
    if (!IsIpAddress(proxy)) {
      return InvalidArgument("--trust-proxy " + proxy + " is not an IP address");
    }
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string where = host + ":" + std::to_string(port);
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) {
    return InvalidArgument("cannot resolve the address to listen on, " + where);
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, freeaddrinfo);
  const int fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) return Unavailable("cannot open a socket for " + where);
  // SO_REUSEADDR only (a restart may rebind a port whose old connections linger in TIME_WAIT),
  // never SO_REUSEPORT, with which a second server on a port in use starts and the kernel splits
  // the connections between the two.
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 511) != 0) {
    close(fd);
    return Unavailable("cannot listen on " + where + " (in use, or not allowed)");
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  impl_->port =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  impl_->listen_fd = fd;
  return Status::Ok();
}

int HttpFront::port() const { return impl_->port; }

Status HttpFront::Run() {
  Impl& s = *impl_;
  if (s.listen_fd < 0) return FailedPrecondition("Bind first");
  s.pool = std::make_unique<httplib::ThreadPool>(static_cast<size_t>(s.limits.handler_threads));
  MHD_Daemon* daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, &Impl::Admit,
      &s, &Impl::Access, &s, MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(s.listen_fd),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned int>(s.limits.max_connections),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(s.limits.idle_timeout_s),
      MHD_OPTION_NOTIFY_CONNECTION, &Impl::Notify, &s, MHD_OPTION_NOTIFY_COMPLETED,
      &Impl::Completed, &s, MHD_OPTION_END);
  if (daemon == nullptr) {
    s.pool->shutdown();
    return Unavailable("cannot start the HTTP server");
  }
  std::jthread watchdog([&s](std::stop_token stop) { s.Watch(stop); });
  // Until Stop writes to the pipe (a signal handler may be what calls it).
  char byte = 0;
  while (read(s.stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  // No new connections; the requests in the pool finish and resume their connections; then the
  // daemon closes everything.
  const MHD_socket listener = MHD_quiesce_daemon(daemon);
  s.pool->shutdown();
  MHD_stop_daemon(daemon);
  if (listener != MHD_INVALID_SOCKET) close(listener);
  s.listen_fd = -1;
  return Status::Ok();
}

void HttpFront::Stop() {
  const char byte = 1;
  if (impl_->stop_pipe[1] >= 0) (void)!write(impl_->stop_pipe[1], &byte, 1);
}

}  // namespace takedown::http
