// The flags `takedown serve`, `worker`, `user add`, `migrate` and `report` share: where the data
// is, the TOML config file that can hold them, the notices' organisation, and opening the store.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "base/status.h"
#include "casework/policy.h"
#include "casework/statistics.h"
#include "cli/job_loop.h"
#include "cli/notice_courier.h"
#include "http/limits.h"
#include "notices/render.h"
#include "store/store.h"

namespace takedown::cli {

struct ServerFlags {
  std::string config;
  std::string data = "takedown-data";
  std::string database;  // default: sqlite in the data folder
  std::string listen = "127.0.0.1:8080";
  std::string clock = "system";
  std::string clock_start;  // ISO time for --clock=manual; default: now
  std::string platforms = std::string(TAKEDOWN_SOURCE_DIR) + "/data/platforms.toml";
  std::string notices = std::string(TAKEDOWN_SOURCE_DIR) + "/data";  // jurisdictions, templates
  notify::Organisation organisation;
  std::string static_dir;
  int threads = 64;
  http::FrontLimits front;  // connections, deadlines, trusted proxies (threads and body: above)
  bool insecure_cookies = false;
  int intakes_per_hour = casework::Policy{}.intakes_per_hour;  // per address; 0: no limit
  int stats_k = 5;  // exported statistics suppress counts below this
  JobLoopFlags discovery;
  MailFlags mail;
  // user add
  std::string username, role = "caseworker";
  bool password_stdin = false;
};

// --header-timeout, --min-body-rate, --idle-timeout, --max-connections,
// --max-connections-per-address, --trust-proxy.
void AddFrontFlags(CLI::App* cmd, http::FrontLimits* limits);

// Fills flags the command line left at their defaults from the TOML config file.
Status ApplyConfig(ServerFlags* flags, const CLI::App& app);
// --config, --data, --database.
void AddStoreFlags(CLI::App* cmd, ServerFlags* flags);
// The legal profiles and templates, and the organisation notices are sent in the name of.
void AddNoticeFlags(CLI::App* cmd, ServerFlags* flags);
// The database of --database, or SQLite in the data folder (created, owner only).
Result<std::unique_ptr<store::Store>> OpenStore(const ServerFlags& flags);
// --stats-k.
void AddStatsFlags(CLI::App* cmd, ServerFlags* flags);
// The statistics' setup: --stats-k, the report labels of data/report/ in every language, the
// organisation's name.
Result<casework::StatisticsSetup> StatisticsSetupOf(const ServerFlags& flags);
// Prints "error: <message>" and returns the exit status 1.
int Fail(const Status& s);

}  // namespace takedown::cli
