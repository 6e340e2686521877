#include "http/server.h"

#include <sodium.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "http/internal.h"

namespace takedown::http {
namespace internal {
namespace {

// Shown at / until the web pages of a later issue are installed in static_dir.
constexpr char kFrontPage[] = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Takedown</title></head>
<body><main>
<h1>Takedown is running</h1>
<p>This server keeps survivors' reports (image hashes only, never images) and caseworkers'
work on them. The API is under <code>/api/v1</code> (see docs/openapi.yaml); its health is at
<a href="/healthz">/healthz</a>.</p>
</main></body></html>
)";

std::string Trim(std::string s) {
  const auto start = s.find_first_not_of(" \t");
  const auto end = s.find_last_not_of(" \t");
  return start == std::string::npos ? "" : s.substr(start, end - start + 1);
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::stringstream cookies(req.get_header_value("Cookie"));
  for (std::string part; std::getline(cookies, part, ';');) {
    part = Trim(part);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 &&
        part[name.size()] == '=') {
      return part.substr(name.size() + 1);
    }
  }
  return "";
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorrupt:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kUnsupported:
      return 415;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      break;
  }
  return 500;
}

void ReplyJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void ReplyError(httplib::Response& res, const Status& status) {
  const int code = HttpStatusFor(status.code());
  if (code >= 500 && code != 503) {
    std::fprintf(stderr, "takedown serve: internal error: %s\n", status.message().c_str());
    ReplyJson(res, code,
              {{"error", "something went wrong on the server; the request was not completed"},
               {"error_code", "internal"}});
    return;
  }
  ReplyJson(res, code,
            {{"error", status.message()}, {"error_code", StatusCodeName(status.code())}});
}

Result<json> ParseObject(const httplib::Request& req,
                         std::initializer_list<std::string_view> allowed) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return Unsupported("send the body as application/json");
  }
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgument("the body is not valid JSON");
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return InvalidArgument("unknown field \"" + key + "\"");
    }
  }
  return body;
}

Result<std::string> GetString(const json& body, const char* field, bool required,
                              size_t max_length) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) return InvalidArgument(std::string("\"") + field + "\" is required");
    return std::string();
  }
  if (!it->is_string()) return InvalidArgument(std::string("\"") + field + "\" must be a string");
  std::string value = it->get<std::string>();
  if (value.size() > max_length) {
    return InvalidArgument(std::string("\"") + field + "\" is longer than " +
                           std::to_string(max_length) + " bytes");
  }
  return value;
}

Result<int64_t> GetInt(const json& body, const char* field, bool required, int64_t min, int64_t max,
                       int64_t fallback) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) return InvalidArgument(std::string("\"") + field + "\" is required");
    return fallback;
  }
  if (!it->is_number_integer()) {
    return InvalidArgument(std::string("\"") + field + "\" must be a whole number");
  }
  const auto value = it->get<int64_t>();
  if (value < min || value > max) {
    return InvalidArgument(std::string("\"") + field + "\" must be " + std::to_string(min) +
                           " to " + std::to_string(max));
  }
  return value;
}

Result<bool> GetBool(const json& body, const char* field, bool fallback) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    return InvalidArgument(std::string("\"") + field + "\" must be true or false");
  return it->get<bool>();
}

std::string SessionToken(const httplib::Request& req) { return CookieValue(req, kSessionCookie); }

Result<casework::Authenticated> StaffFromRequest(Server& s, const httplib::Request& req) {
  return s.accounts.FromSession(SessionToken(req));
}

Status CheckCsrf(const casework::Authenticated& who, const httplib::Request& req) {
  if (req.method == "GET" || req.method == "HEAD") return Status::Ok();
  const std::string sent = req.get_header_value("X-CSRF-Token");
  if (sent.size() != who.csrf_token.size() ||
      sodium_memcmp(sent.data(), who.csrf_token.data(), sent.size()) != 0) {
    return PermissionDenied("the X-CSRF-Token header is missing or wrong");
  }
  return Status::Ok();
}

Result<casework::Authenticated> PartnerFromRequest(Server& s, const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) != 0) return PermissionDenied("an API key is required");
  return s.accounts.FromApiKey(auth.substr(7));
}

bool CaseCredentials(const httplib::Request& req, std::string* code, std::string* pin) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Basic ", 0) != 0 || auth.size() > 300) return false;
  std::string decoded(auth.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                        auth.data() + 6, auth.size() - 6, nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  decoded.resize(length);
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  *code = decoded.substr(0, colon);
  *pin = decoded.substr(colon + 1);
  // Codes are typed by people: accept lowercase and missing dashes' surrounding spaces.
  for (char& c : *code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return true;
}

std::optional<int64_t> QueryInt(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  const std::string value = req.get_param_value(name);
  int64_t out = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return out;
}

void Metrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  Series& s = series_[{route, status}];
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

std::string Metrics::Render(size_t bank_size) const {
  std::ostringstream out;
  out << "# HELP takedown_http_request_duration_seconds Time to answer an API request.\n"
         "# TYPE takedown_http_request_duration_seconds histogram\n";
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, s] : series_) {
      const std::string labels =
          "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"";
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out << "takedown_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
            << "\"} " << s.buckets[i] << "\n";
      }
      out << "takedown_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
          << s.count << "\n";
      out << "takedown_http_request_duration_seconds_sum{" << labels << "} " << s.sum << "\n";
      out << "takedown_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
    }
  }
  out << "# HELP takedown_partner_bank_hashes Hashes partners can match against.\n"
         "# TYPE takedown_partner_bank_hashes gauge\n"
         "takedown_partner_bank_hashes "
      << bank_size << "\n";
  return out.str();
}

}  // namespace internal

struct ApiServer::Impl : internal::Server {
  using internal::Server::Server;
};

ApiServer::ApiServer(UseCases use_cases, const Clock& clock, ManualClock* manual_clock,
                     ServerOptions options)
    : impl_(std::make_unique<Impl>(use_cases, clock, manual_clock, std::move(options))) {
  using namespace internal;
  Server& s = *impl_;
  // SO_REUSEADDR only (a restart may rebind a port whose old connections linger in TIME_WAIT),
  // not cpp-httplib's default SO_REUSEPORT, with which a second server on a port in use starts
  // and the kernel splits the connections between the two.
  s.http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int threads = s.options.threads;
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.http.set_payload_max_length(s.options.max_body_bytes);
  s.http.set_read_timeout(10, 0);
  // Without TCP_NODELAY a response written as headers then body waits for the client's delayed
  // ACK (40 ms on Linux) on a kept-alive connection; and a platform checking every upload sends
  // many requests over one connection, so it is not closed after a handful.
  s.http.set_tcp_nodelay(true);
  s.http.set_keep_alive_max_count(1000);
  s.http.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      // 'wasm-unsafe-eval' lets the survivor pages compile their own WebAssembly (the PDQ core,
      // web/): it allows WebAssembly.compile only, not eval or inline scripts. The report page
      // samples the frames of a video she chooses through a <video> element that plays an object
      // URL of her own file, never uploaded: `media-src blob:` allows exactly that (blob: URLs are
      // made by the page from local files and cannot name anything on the network). Its hashing
      // worker needs no directive: worker-src falls back to script-src 'self'.
      {"Content-Security-Policy",
       "default-src 'none'; img-src 'self'; media-src blob:; style-src 'self'; script-src 'self' "
       "'wasm-unsafe-eval'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
  });
  s.http.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/", 0) == 0) res.set_header("Cache-Control", "no-store");
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const int code = res.status;
    const char* sentence = code == 413   ? "the request body is too large"
                           : code == 404 ? "there is nothing at this address"
                           : code == 405 ? "this method is not allowed here"
                                         : "the request could not be served";
    ReplyJson(res, code, {{"error", sentence}, {"error_code", code == 413 ? "too_large" : "http"}});
  });
  s.http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        ReplyError(res, Internal("an exception escaped a handler"));
      });
  s.http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    ReplyJson(res, 200, {{"status", "ok"}});
  });
  s.http.Get("/metrics", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(s.metrics.Render(s.bank.size()), "text/plain; version=0.0.4");
  });
  if (!s.options.static_dir.empty()) {
    s.http.set_mount_point("/", s.options.static_dir.string());
  } else {
    s.http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kFrontPage, "text/html; charset=utf-8");
    });
  }
  AddPublicRoutes(s);
  AddStaffRoutes(s);
  AddPartnerRoutes(s);
  AddWatchRoutes(s);
  AddNoticeRoutes(s);
  AddStatsRoutes(s);
  AddAdminRoutes(s);
}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Bind() {
  internal::Server& s = *impl_;
  if (s.options.port == 0) {
    const int port = s.http.bind_to_any_port(s.options.host);
    if (port < 0) return Unavailable("cannot listen on " + s.options.host);
    s.port = port;
  } else {
    if (!s.http.bind_to_port(s.options.host, s.options.port)) {
      return Unavailable("cannot listen on " + s.options.host + ":" +
                         std::to_string(s.options.port) + " (in use, or not allowed)");
    }
    s.port = s.options.port;
  }
  return Status::Ok();
}

int ApiServer::port() const { return impl_->port; }
void ApiServer::Run() { impl_->http.listen_after_bind(); }
void ApiServer::Stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

}  // namespace takedown::http
