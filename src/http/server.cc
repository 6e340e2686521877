#include "http/server.h"

#include <sodium.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "http/front.h"
#include "http/internal.h"
#include "http/static_files.h"

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

namespace {

// On every answer: the browser may not sniff types, frame the pages, send referrers or share
// them with other origins.
const httplib::Headers& SecurityHeaders() {
  static const httplib::Headers kHeaders = {
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
  };
  return kHeaders;
}

// One request, on the front's handler pool: a route, else a web page, else 404; errors without
// a body get a JSON one.
void Serve(const Server& s, httplib::Request& req, httplib::Response& res) {
  res.headers = SecurityHeaders();
  if (req.path.rfind("/api/", 0) == 0) res.set_header("Cache-Control", "no-store");
  try {
    if (!s.routes.Dispatch(req, res) &&
        (s.options.static_dir.empty() || !ServeStaticFile(s.options.static_dir, req, res))) {
      res.status = 404;
    }
  } catch (...) {
    res.body.clear();
    ReplyError(res, Internal("an exception escaped a handler"));
  }
  if (res.status == -1) res.status = 200;
  if (res.status >= 400 && res.body.empty()) {
    const int code = res.status;
    const char* sentence = code == 404   ? "there is nothing at this address"
                           : code == 416 ? "the range lies past the end of the file"
                                         : "the request could not be served";
    ReplyJson(res, code, {{"error", sentence}, {"error_code", "http"}});
  }
}

}  // namespace

}  // namespace internal

struct ApiServer::Impl : internal::Server {
  Impl(UseCases use_cases, const Clock& clock_in, ManualClock* manual_clock_in,
       ServerOptions options_in)
      : internal::Server(use_cases, clock_in, manual_clock_in, std::move(options_in)),
        front(this->options.limits, [this](httplib::Request& req, httplib::Response& res) {
          internal::Serve(*this, req, res);
        }) {}
  HttpFront front;
};

ApiServer::ApiServer(UseCases use_cases, const Clock& clock, ManualClock* manual_clock,
                     ServerOptions options)
    : impl_(std::make_unique<Impl>(use_cases, clock, manual_clock, std::move(options))) {
  using namespace internal;
  Server& s = *impl_;
  s.routes.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    ReplyJson(res, 200, {{"status", "ok"}});
  });
  s.routes.Get("/metrics", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(s.metrics.Render(s.bank.size()), "text/plain; version=0.0.4");
  });
  if (s.options.static_dir.empty()) {
    s.routes.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kFrontPage, "text/html; charset=utf-8");
    });
  }
  AddPublicRoutes(s);
  AddStaffRoutes(s);
  AddPartnerRoutes(s);
  AddStopnciiRoutes(s);
  AddWatchRoutes(s);
  AddNoticeRoutes(s);
  AddBulkRoutes(s);
  AddStatsRoutes(s);
  AddAdminRoutes(s);
  AddSettingsRoutes(s);
  AddOrganisationRoutes(s);
}

ApiServer::~ApiServer() = default;

Status ApiServer::Bind() {
  Status bound = impl_->front.Bind(impl_->options.host, impl_->options.port);
  if (bound.ok()) impl_->port = impl_->front.port();
  return bound;
}

int ApiServer::port() const { return impl_->port; }
Status ApiServer::Run() { return impl_->front.Run(); }
void ApiServer::Stop() { impl_->front.Stop(); }

}  // namespace takedown::http
