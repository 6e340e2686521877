// The HTTP API under /api/v1 (docs/openapi.yaml), /healthz, /metrics and the static pages, behind
// the event-driven front of front.h. Thin: it authenticates, validates JSON strictly, calls
// casework and translates Status codes into HTTP statuses with one-sentence errors (never stack
// traces or SQL).
//
// Thread-safe: requests are served by a pool of threads; Stop may be called from any thread and
// from a signal handler.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "casework/accounts.h"
#include "casework/cases.h"
#include "casework/notices.h"
#include "casework/partner_bank.h"
#include "casework/partners.h"
#include "casework/statistics.h"
#include "casework/stopncii_feed.h"
#include "casework/survivors.h"
#include "casework/watching.h"
#include "http/limits.h"
#include "notices/render.h"
#include "platforms/platforms.h"

namespace takedown::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;     // 0: any free port (tests)
  FrontLimits limits;  // connections, deadlines, body cap, trusted proxies
  // The session cookie's Secure flag. Browsers accept Secure cookies from http://localhost, so
  // it stays on unless a deployment serves plain HTTP on another name (don't).
  bool secure_cookies = true;
  std::filesystem::path static_dir;  // the web pages; empty: a built-in front page
};

// The use cases the routes translate requests into, and the data the public pages read; all
// must outlive the server.
struct UseCases {
  casework::Survivors& survivors;
  casework::Cases& cases;
  casework::Watching& watching;
  casework::Notices& notices;
  casework::PartnerAccess& partners;
  casework::StopnciiFeed& stopncii;  // the same partners, in StopNCII's shape
  casework::Reports& reports;
  casework::Accounts& accounts;
  casework::PartnerBank& bank;
  const platforms::PlatformDirectory& platforms;
  const notify::NoticeLibrary& library;  // the legal profiles, with the support services
};

class ApiServer {
 public:
  // `manual_clock`: non-null only under --clock=manual; it enables the admin clock endpoint.
  ApiServer(UseCases use_cases, const Clock& clock, ManualClock* manual_clock,
            ServerOptions options);
  ~ApiServer();

  // Binds the address; after it, port() is the port bound.
  Status Bind();
  int port() const;
  // Serves until Stop.
  Status Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace takedown::http
