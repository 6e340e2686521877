// `takedown serve`, `takedown worker`, `takedown user add` and `takedown migrate`: the server, its
// job loop and its chores.
#include <sys/stat.h>
#include <toml++/toml.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "casework/accounts.h"
#include "casework/notice_setup.h"
#include "casework/partner_bank.h"
#include "casework/sealed_notices.h"
#include "cli/commands.h"
#include "cli/job_loop.h"
#include "cli/notice_courier.h"
#include "cli/server_flags.h"
#include "http/server.h"
#include "platforms/platforms.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace takedown::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<http::ApiServer*> g_server{nullptr};

void StopOnSignal(int) {
  if (http::ApiServer* server = g_server.load()) server->Stop();
}

// Records sealed under one key cannot be opened with another: a second server or worker on the
// same database with a key of its own (an empty data folder makes one) would silently lose her
// contact and her messages. The first process records its key's fingerprint; the others must match.
Status RequireTheDatabasesKey(store::SettingsStore& settings, const secrets::Sealer& sealer,
                              const fs::path& key_file) {
  const std::string mine = sealer.Fingerprint();
  auto expected = settings.ClaimSetting("sealing_key_fingerprint", mine);
  if (!expected.ok()) return expected.status();
  if (*expected == mine) return Status::Ok();
  return FailedPrecondition(
      key_file.string() + " is not the key this database's records are sealed with (its " +
      "fingerprint is " + mine + ", the database's " + *expected +
      "): copy the secret.key of the first server on this database into " +
      key_file.parent_path().string() + ", or give --database this folder's own database");
}

// Deletes expired sessions, old login addresses and quiet throttle counts (the client addresses
// in them) at start and every 10 minutes until stopped, so none is kept long past its window.
std::jthread StartPurge(casework::Accounts& accounts) {
  return std::jthread([&accounts](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      if (auto purged = accounts.PurgeExpired(); !purged.ok()) {
        std::fprintf(stderr, "warning: the purge of expired sessions failed: %s\n",
                     purged.status().message().c_str());
      }
      std::unique_lock lock(mu);
      wake.wait_for(lock, stop, std::chrono::minutes(10), [] { return false; });
    }
  });
}

// Notices drafted before their words were sealed (migration 0007) are sealed before anything
// reads them; whichever of the server and the worker starts first does it.
Status SealOldNotices(store::NoticeStore& notices, const secrets::Sealer& sealer) {
  auto sealed = casework::SealStoredNotices(notices, sealer);
  if (!sealed.ok()) return sealed.status();
  if (*sealed > 0) std::fprintf(stderr, "sealed the text of %d older notices\n", *sealed);
  return Status::Ok();
}

int RunServe(const ServerFlags& flags) {
  const auto colon = flags.listen.rfind(':');
  if (colon == std::string::npos) return Fail(InvalidArgument("--listen must be HOST:PORT"));
  http::ServerOptions options;
  options.host = flags.listen.substr(0, colon);
  options.port = std::atoi(flags.listen.c_str() + colon + 1);
  options.limits = flags.front;
  options.limits.handler_threads = std::max(1, flags.threads);
  options.secure_cookies = !flags.insecure_cookies;
  options.static_dir = flags.static_dir;

  std::unique_ptr<Clock> clock;
  ManualClock* manual = nullptr;
  if (flags.clock == "manual") {
    UnixMillis start = SystemClock().Now();
    if (!flags.clock_start.empty() && !ParseTime(flags.clock_start, &start)) {
      return Fail(InvalidArgument("--clock-start must be an ISO 8601 UTC time"));
    }
    auto m = std::make_unique<ManualClock>(start);
    manual = m.get();
    clock = std::move(m);
    std::fprintf(stderr,
                 "warning: the clock is manual (simulations only): time moves only through "
                 "POST /api/v1/admin/clock\n");
  } else if (flags.clock == "system") {
    clock = std::make_unique<SystemClock>();
  } else {
    return Fail(InvalidArgument("--clock must be system or manual"));
  }

  auto store = OpenStore(flags);
  if (!store.ok()) return Fail(store.status());
  auto platforms = platforms::PlatformDirectory::Load(flags.platforms);
  if (!platforms.ok()) return Fail(platforms.status());
  std::error_code ec;
  fs::create_directories(flags.data, ec);
  const fs::path key = fs::path(flags.data) / "secret.key";
  auto sealer = secrets::Sealer::FromKeyFile(key);
  if (!sealer.ok()) return Fail(sealer.status());
  if (Status s = RequireTheDatabasesKey(**store, *sealer, key); !s.ok()) return Fail(s);
  if (Status s = SealOldNotices(**store, *sealer); !s.ok()) return Fail(s);

  casework::PartnerBank bank(**store, *clock);
  if (Status s = bank.Refresh(); !s.ok()) return Fail(s);
  auto notices = notify::NoticeLibrary::Load(flags.notices);
  if (!notices.ok()) return Fail(notices.status());
  auto dossier = notify::DossierTemplates::Load(flags.notices, *notices);
  if (!dossier.ok()) return Fail(dossier.status());
  const casework::NoticeSetup notice_setup{*notices, flags.organisation, *sealer, **store};
  auto statistics = StatisticsSetupOf(flags);
  if (!statistics.ok()) return Fail(statistics.status());
  casework::Policy policy;
  if (flags.intakes_per_hour < 0)
    return Fail(InvalidArgument("--intakes-per-hour must be 0 or more"));
  policy.intakes_per_hour = flags.intakes_per_hour;
  casework::Survivors survivors(**store, *clock, *sealer, *platforms, *notices, bank, policy);
  casework::Cases cases(**store, *clock, *sealer, *platforms);
  casework::Watching watching(**store, *clock);
  casework::Notices notice_work(**store, *clock, *platforms, notice_setup, *dossier);
  casework::PartnerAccess partners(**store, *clock, bank);
  casework::StopnciiFeed stopncii(**store, *clock);
  casework::Reports reports(**store, *clock, *platforms, std::move(*statistics));
  casework::Accounts accounts(**store, *clock);
  auto first = accounts.EnsureFirstAdmin();
  if (!first.ok()) return Fail(first.status());
  std::jthread purge = StartPurge(accounts);  // stopped before the store closes

  auto courier = MakeCourier(flags.mail, *clock);
  if (!courier.ok()) return Fail(courier.status());
  auto replies = MakeReplyMailbox(flags.mail);
  if (!replies.ok()) return Fail(replies.status());
  std::unique_ptr<JobLoop> worker;  // stopped after the server, before the store closes
  if (!flags.discovery.no_worker) {
    auto started = JobLoop::Start({**store, *clock, *platforms, **courier, notice_setup,
                                   replies->get(), ReplySettingsOf(flags.mail)},
                                  flags.discovery);
    if (!started.ok()) return Fail(started.status());
    worker = std::move(*started);
  }

  http::ApiServer server({survivors, cases, watching, notice_work, partners, stopncii, reports,
                          accounts, bank, *platforms, *notices},
                         *clock, manual, options);
  if (Status s = server.Bind(); !s.ok()) return Fail(s);
  if (first->has_value()) {
    std::printf(
        "First start: an administrator account was created.\n"
        "  username: admin\n  password: %s\n"
        "This password is shown once. Log in and add accounts for your caseworkers.\n",
        (*first)->c_str());
  }
  std::printf("Takedown is listening on http://%s:%d (%s, data in %s)\n", options.host.c_str(),
              server.port(), (*store)->Backend().c_str(), flags.data.c_str());
  // No notice can be approved without who sends it: say where to fill it, at every start.
  auto organisation = casework::OrganisationOf(notice_setup);
  if (!organisation.ok()) return Fail(organisation.status());
  if (const auto lacks = casework::OrganisationLacks(*organisation); !lacks.empty()) {
    std::string missing;
    for (const std::string& field : lacks) missing += (missing.empty() ? "" : ", ") + field;
    std::printf(
        "The organisation's profile lacks its %s: notices cannot be approved until an admin "
        "fills it in at http://%s:%d/staff.html?view=admin\n",
        missing.c_str(), options.host.c_str(), server.port());
  }
  std::fflush(stdout);
  g_server = &server;
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  const Status ran = server.Run();
  g_server = nullptr;
  if (!ran.ok()) return Fail(ran);
  std::fprintf(stderr, "Takedown stopped.\n");
  return 0;
}

std::atomic<bool> g_stop_worker{false};

void StopWorkerOnSignal(int) { g_stop_worker = true; }

int RunWorker(const ServerFlags& flags) {
  auto store = OpenStore(flags);
  if (!store.ok()) return Fail(store.status());
  SystemClock clock;
  auto platforms = platforms::PlatformDirectory::Load(flags.platforms);
  if (!platforms.ok()) return Fail(platforms.status());
  auto notices = notify::NoticeLibrary::Load(flags.notices);
  if (!notices.ok()) return Fail(notices.status());
  // The same key as the server's (share the data folder's secret.key between machines): notices
  // name a survivor who chose so, and replies are sealed.
  const fs::path key = fs::path(flags.data) / "secret.key";
  if (!fs::exists(key)) {
    return Fail(NotFound(key.string() + " is missing: copy the server's key file there"));
  }
  auto sealer = secrets::Sealer::FromKeyFile(key);
  if (!sealer.ok()) return Fail(sealer.status());
  if (Status s = RequireTheDatabasesKey(**store, *sealer, key); !s.ok()) return Fail(s);
  if (Status s = SealOldNotices(**store, *sealer); !s.ok()) return Fail(s);
  const casework::NoticeSetup notice_setup{*notices, flags.organisation, *sealer, **store};
  auto courier = MakeCourier(flags.mail, clock);
  if (!courier.ok()) return Fail(courier.status());
  auto replies = MakeReplyMailbox(flags.mail);
  if (!replies.ok()) return Fail(replies.status());
  auto worker = JobLoop::Start({**store, clock, *platforms, **courier, notice_setup, replies->get(),
                                ReplySettingsOf(flags.mail)},
                               flags.discovery);
  if (!worker.ok()) return Fail(worker.status());
  std::printf("Takedown worker running (%s); stop it with SIGTERM or Ctrl-C\n",
              (*store)->Backend().c_str());
  std::fflush(stdout);
  std::signal(SIGINT, StopWorkerOnSignal);
  std::signal(SIGTERM, StopWorkerOnSignal);
  while (!g_stop_worker) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  worker->reset();  // finishes the job in hand
  std::fprintf(stderr, "Takedown worker stopped.\n");
  return 0;
}

int RunUserAdd(const ServerFlags& flags) {
  auto role = domain::ParseRole(flags.role);
  if (!role) return Fail(InvalidArgument("--role must be admin, caseworker or reviewer"));
  auto store = OpenStore(flags);
  if (!store.ok()) return Fail(store.status());
  std::string password;
  if (flags.password_stdin) {
    std::getline(std::cin, password);
  } else {
    password = secrets::RandomToken(18);
  }
  SystemClock clock;
  casework::Accounts accounts(**store, clock);
  auto id = accounts.CreateUser(flags.username, password, *role);
  if (!id.ok()) return Fail(id.status());
  std::printf("user %s (%s) created\n", flags.username.c_str(), flags.role.c_str());
  if (!flags.password_stdin) std::printf("password: %s (shown once)\n", password.c_str());
  return 0;
}

int RunMigrate(const ServerFlags& flags) {
  auto store = OpenStore(flags);
  if (!store.ok()) return Fail(store.status());
  std::printf("%s database at schema version %d\n", (*store)->Backend().c_str(),
              (*store)->SchemaVersion());
  return 0;
}

}  // namespace

void AddServerCommands(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ServerFlags>();

  CLI::App* serve = app.add_subcommand(
      "serve", "Run the Takedown server: the API and pages, on SQLite by default.");
  AddStoreFlags(serve, flags.get());
  serve->add_option("--listen", flags->listen, "HOST:PORT to listen on")->capture_default_str();
  serve
      ->add_option("--clock", flags->clock,
                   "system, or manual for simulations (time moves only through the admin API)")
      ->capture_default_str();
  serve->add_option("--clock-start", flags->clock_start, "Start time of a manual clock (ISO 8601)");
  serve->add_option("--platforms", flags->platforms, "The platforms data file")
      ->capture_default_str();
  serve->add_option("--static", flags->static_dir, "Folder of web pages to serve at /");
  AddNoticeFlags(serve, flags.get());
  AddStatsFlags(serve, flags.get());
  serve
      ->add_option("--threads", flags->threads,
                   "Request threads: each answers one request at a time (connections wait for "
                   "their requests without holding one)")
      ->capture_default_str();
  AddFrontFlags(serve, &flags->front);
  serve
      ->add_option("--intakes-per-hour", flags->intakes_per_hour,
                   "Reports one address (an IPv6 /64) may make in an hour before it must wait; "
                   "0: no limit")
      ->capture_default_str();
  serve->add_flag("--insecure-cookies", flags->insecure_cookies,
                  "Session cookies without the Secure flag (plain HTTP on a name other than "
                  "localhost; not recommended)");
  serve->add_flag("--no-worker", flags->discovery.no_worker,
                  "Do not run the discovery job loop in this process (run `takedown worker`s)");
  AddJobLoopFlags(serve, &flags->discovery);
  AddMailFlags(serve, &flags->mail);
  serve->callback([flags, serve, exit_code] {
    if (Status s = ApplyConfig(flags.get(), *serve); !s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    *exit_code = RunServe(*flags);
  });

  CLI::App* worker = app.add_subcommand(
      "worker",
      "Run only the discovery job loop (fetching and rechecking sightings), for more machines "
      "sharing a PostgreSQL database.");
  AddStoreFlags(worker, flags.get());
  worker->add_option("--platforms", flags->platforms, "The platforms data file")
      ->capture_default_str();
  AddNoticeFlags(worker, flags.get());
  AddJobLoopFlags(worker, &flags->discovery);
  AddMailFlags(worker, &flags->mail);
  worker->callback([flags, worker, exit_code] {
    if (Status s = ApplyConfig(flags.get(), *worker); !s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    *exit_code = RunWorker(*flags);
  });

  CLI::App* user = app.add_subcommand("user", "Manage caseworker accounts.");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand(
      "add", "Create an account. Prints a random password once, unless --password-stdin.");
  AddStoreFlags(add, flags.get());
  add->add_option("--username", flags->username, "Login name")->required();
  add->add_option("--role", flags->role, "admin, caseworker or reviewer")->capture_default_str();
  add->add_flag("--password-stdin", flags->password_stdin, "Read the password from stdin");
  add->callback([flags, add, exit_code] {
    if (Status s = ApplyConfig(flags.get(), *add); !s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    *exit_code = RunUserAdd(*flags);
  });

  CLI::App* migrate = app.add_subcommand(
      "migrate", "Apply pending database migrations (serve also does this at start).");
  AddStoreFlags(migrate, flags.get());
  migrate->callback([flags, migrate, exit_code] {
    if (Status s = ApplyConfig(flags.get(), *migrate); !s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    *exit_code = RunMigrate(*flags);
  });
}

}  // namespace takedown::cli
