#include "cli/job_loop.h"

#include <unistd.h>

#include <cstdio>
#include <optional>

#include "casework/notice_jobs.h"
#include "discovery/jobs.h"
#include "fetch/fetcher.h"
#include "jobs/worker.h"

namespace takedown::cli {

void AddJobLoopFlags(CLI::App* cmd, JobLoopFlags* flags) {
  cmd->add_option("--fetch-allow", flags->fetch_allow,
                  "Address ranges (CIDR) the fetcher may reach although private or reserved; "
                  "repeatable");
  cmd->add_option("--fetch-resolve", flags->fetch_resolve,
                  "HOST=ADDRESS answered before DNS (like curl --resolve); repeatable");
  cmd->add_flag("--no-dns", flags->no_dns,
                "Resolve only through --fetch-resolve (air-gapped deployments, tests)");
  cmd->add_option("--discovery-threads", flags->threads,
                  "Job loop threads, each with its own fetcher (checking a page keeps a core busy "
                  "while it decodes and hashes)")
      ->capture_default_str();
  cmd->add_option("--fetch-host-delay", flags->host_delay_ms,
                  "Milliseconds between the starts of two requests to one host name (politeness; "
                  "0 only for a simulated web on loopback)")
      ->capture_default_str()
      ->check(CLI::Range(0, 60000));
  cmd->add_option("--user-agent", flags->user_agent,
                  "Sent with every fetch: name the service and where to read about it")
      ->capture_default_str();
  cmd->add_option("--rdap-bootstrap", flags->rdap_bootstrap,
                  "Where IANA's RDAP bootstrap files are (a mirror, for air-gapped deployments "
                  "and tests)")
      ->capture_default_str();
}

Result<std::unique_ptr<JobLoop>> JobLoop::Start(const JobLoopServices& services,
                                                const JobLoopFlags& flags) {
  fetch::FetcherConfig config;
  config.user_agent = flags.user_agent;
  config.allowed_ranges = flags.fetch_allow;
  config.per_host_delay = std::chrono::milliseconds(flags.host_delay_ms);
  config.system_dns = !flags.no_dns;
  for (const std::string& entry : flags.fetch_resolve) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
      return InvalidArgument("--fetch-resolve takes HOST=ADDRESS, not \"" + entry + "\"");
    }
    config.resolve[entry.substr(0, eq)].push_back(entry.substr(eq + 1));
  }
  if (flags.threads < 1 || flags.threads > 64) {
    return InvalidArgument("--discovery-threads must be 1 to 64");
  }
  std::unique_ptr<JobLoop> out(new JobLoop());
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  for (int i = 0; i < flags.threads; ++i) {
    auto fetcher = fetch::Fetcher::Create(config);
    if (!fetcher.ok()) return fetcher.status();
    const std::string name =
        std::string(host) + ":" + std::to_string(::getpid()) + ":discovery:" + std::to_string(i);
    // The fetcher, checkers and worker live on the thread that uses them; the queue shares the
    // jobs out (each claim is one transaction).
    out->threads_.emplace_back(
        [services, name, first = i == 0, rdap_bootstrap = flags.rdap_bootstrap,
         f = std::shared_ptr<fetch::Fetcher>(std::move(*fetcher))](std::stop_token stop) {
          store::Store& store = services.store;
          const Clock& clock = services.clock;
          jobs::Worker worker(store, clock, name);
          discovery::DiscoveryJobs discovery(store, clock, *f, services.platforms);
          discovery.Register(worker);
          notify::RdapConfig rdap_config;
          rdap_config.bootstrap_base = rdap_bootstrap;
          notify::RdapClient rdap(*f, clock, rdap_config);
          casework::NoticeJobs notices(store, clock,
                                       {services.platforms, services.notices, services.courier,
                                        rdap, services.replies, services.reply_settings});
          notices.Register(worker);
          if (first) {
            if (auto queued = discovery.Recover(clock.Now()); !queued.ok()) {
              std::fprintf(stderr, "worker %s: %s\n", name.c_str(),
                           queued.status().message().c_str());
            }
            if (Status s = notices.Schedule(clock.Now()); !s.ok()) {
              std::fprintf(stderr, "worker %s: %s\n", name.c_str(), s.message().c_str());
            }
          }
          worker.Run(stop, std::chrono::milliseconds(500));
        });
  }
  return out;
}

JobLoop::~JobLoop() {
  for (auto& t : threads_) t.request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace takedown::cli
