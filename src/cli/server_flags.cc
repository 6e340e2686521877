#include "cli/server_flags.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace takedown::cli {

namespace fs = std::filesystem;

Status ApplyConfig(ServerFlags* flags, const CLI::App& app) {
  if (flags->config.empty()) return Status::Ok();
  // Debian's toml++ is built with exceptions, so a bad file is reported by toml::parse_error.
  toml::table t;
  try {
    t = toml::parse_file(flags->config);
  } catch (const toml::parse_error& e) {
    return InvalidArgument("cannot read the config file " + flags->config + ": " +
                           std::string(e.description()));
  }
  for (const auto& [key, value] : t) {
    const std::string k(key.str());
    auto set = [&](const char* name, std::string* field) {
      if (k != name) return false;
      if (app.count(std::string("--") + name) == 0) *field = value.value_or(*field);
      return true;
    };
    if (set("data", &flags->data) || set("database", &flags->database) ||
        set("listen", &flags->listen) || set("clock", &flags->clock) ||
        set("platforms", &flags->platforms) || set("static", &flags->static_dir) ||
        set("notices", &flags->notices) || set("org_name", &flags->organisation.name) ||
        set("org_email", &flags->organisation.email) ||
        set("org_phone", &flags->organisation.phone) ||
        set("org_address", &flags->organisation.address) ||
        set("org_website", &flags->organisation.website) ||
        set("org_signatory", &flags->organisation.signatory) ||
        set("org_signatory_role", &flags->organisation.signatory_role)) {
      continue;
    }
    if (k == "stats_k") {
      if (app.count("--stats-k") == 0) {
        flags->stats_k = static_cast<int>(value.value_or(int64_t{flags->stats_k}));
      }
      continue;
    }
    auto set_int = [&](const char* name, auto* field) {
      if (k != name) return false;
      std::string flag = std::string("--") + name;
      std::replace(flag.begin(), flag.end(), '_', '-');
      if (app.count(flag) == 0) {
        *field = static_cast<std::remove_pointer_t<decltype(field)>>(
            value.value_or(static_cast<int64_t>(*field)));
      }
      return true;
    };
    http::FrontLimits& front = flags->front;
    if (set_int("threads", &flags->threads) || set_int("header_timeout", &front.header_timeout_s) ||
        set_int("min_body_rate", &front.min_body_bytes_per_s) ||
        set_int("idle_timeout", &front.idle_timeout_s) ||
        set_int("max_connections", &front.max_connections) ||
        set_int("max_connections_per_address", &front.max_connections_per_address)) {
      continue;
    }
    if (k == "trust_proxy") {
      const toml::array* proxies = value.as_array();
      if (proxies == nullptr) {
        return InvalidArgument("trust_proxy in " + flags->config + " must be a list of addresses");
      }
      if (app.count("--trust-proxy") == 0) {
        front.trusted_proxies.clear();
        for (const auto& proxy : *proxies) front.trusted_proxies.push_back(proxy.value_or(""));
      }
      continue;
    }
    if (k == "intakes_per_hour") {
      if (app.count("--intakes-per-hour") == 0) {
        flags->intakes_per_hour =
            static_cast<int>(value.value_or(int64_t{flags->intakes_per_hour}));
      }
      continue;
    }
    if (k == "insecure_cookies") {
      flags->insecure_cookies = value.value_or(false);
      continue;
    }
    return InvalidArgument("unknown setting \"" + k + "\" in " + flags->config);
  }
  return Status::Ok();
}

void AddNoticeFlags(CLI::App* cmd, ServerFlags* flags) {
  cmd->add_option("--notices", flags->notices,
                  "Folder holding jurisdictions/ (legal profiles) and templates/ (notices)")
      ->capture_default_str();
  cmd->add_option("--org-name", flags->organisation.name,
                  "The organisation notices are sent in the name of");
  cmd->add_option("--org-email", flags->organisation.email, "Its contact email in notices");
  cmd->add_option("--org-phone", flags->organisation.phone, "Its phone in notices");
  cmd->add_option("--org-address", flags->organisation.address, "Its postal address");
  cmd->add_option("--org-website", flags->organisation.website, "Its website (https)");
  cmd->add_option("--org-signatory", flags->organisation.signatory,
                  "Who signs notices for the organisation");
  cmd->add_option("--org-signatory-role", flags->organisation.signatory_role,
                  "The signatory's role (Caseworker, Director)");
}

Result<std::unique_ptr<store::Store>> OpenStore(const ServerFlags& flags) {
  std::string url = flags.database;
  if (url.empty()) {
    std::error_code ec;
    fs::create_directories(flags.data, ec);
    if (ec) return IoError("cannot create the data folder " + flags.data);
    ::chmod(flags.data.c_str(), 0700);  // survivors' records: the owner only
    url = "sqlite:" + (fs::path(flags.data) / "takedown.db").string();
  }
  return store::Store::Open(url);
}

void AddFrontFlags(CLI::App* cmd, http::FrontLimits* limits) {
  cmd->add_option("--header-timeout", limits->header_timeout_s,
                  "Seconds a connection has to send a request's headers (from its start, or from "
                  "the end of its previous request)")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  cmd->add_option("--min-body-rate", limits->min_body_bytes_per_s,
                  "Bytes a second a request body must average once it has had --header-timeout")
      ->capture_default_str();
  cmd->add_option("--idle-timeout", limits->idle_timeout_s,
                  "Seconds a connection may move no bytes either way before it is closed")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--max-connections", limits->max_connections, "Open connections in all")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--max-connections-per-address", limits->max_connections_per_address,
                  "Open connections from one client address (trusted proxies are not capped)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--trust-proxy", limits->trusted_proxies,
                  "The address of a reverse proxy (repeat for several): from it, the client is "
                  "the last address of X-Forwarded-For; from anyone else that header is ignored");
}

void AddStatsFlags(CLI::App* cmd, ServerFlags* flags) {
  cmd->add_option("--stats-k", flags->stats_k,
                  "Exported statistics suppress counts below this (and what would give them "
                  "back), so no survivor can be singled out")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
}

Result<casework::StatisticsSetup> StatisticsSetupOf(const ServerFlags& flags) {
  casework::StatisticsSetup setup;
  setup.k = flags.stats_k;
  setup.organisation = flags.organisation.name;
  // Every translation in data/report/: adding a language's file adds it to the report.
  auto languages = report::Labels::Languages(flags.notices);
  if (!languages.ok()) return languages.status();
  for (const std::string& language : *languages) {
    auto labels = report::Labels::Load(flags.notices, language);
    if (!labels.ok()) return labels.status();
    setup.labels.emplace(language, std::move(*labels));
  }
  return setup;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.message().c_str());
  return 1;
}

void AddStoreFlags(CLI::App* cmd, ServerFlags* flags) {
  cmd->add_option("--config", flags->config, "A TOML file with these settings");
  cmd->add_option("--data", flags->data, "The data folder (database, key file)")
      ->capture_default_str();
  cmd->add_option("--database", flags->database,
                  "sqlite:PATH or postgresql://... (default: SQLite in the data folder)");
}

}  // namespace takedown::cli
