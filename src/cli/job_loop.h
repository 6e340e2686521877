// The job loop on threads of its own, for `takedown serve` (in-process) and `takedown worker`
// (the loop alone, for more machines on PostgreSQL): on --discovery-threads threads, each with its
// own fetch::Fetcher, a jobs::Worker with the jobs that discovery (discovery/jobs.h) and casework
// (casework/notice_jobs.h) register themselves. Only configuration is made here.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/notice_setup.h"
#include "casework/outbox.h"
#include "casework/replies.h"
#include "platforms/platforms.h"
#include "store/store.h"

namespace takedown::cli {

struct JobLoopFlags {
  bool no_worker = false;
  bool no_dns = false;
  int threads = 2;
  int host_delay_ms = 250;                 // between request starts to one host name
  std::vector<std::string> fetch_allow;    // CIDR ranges the SSRF guard lets through
  std::vector<std::string> fetch_resolve;  // host=address
  std::string user_agent = "TakedownBot/0.1 (+https://github.com/takedown/takedown)";
  std::string rdap_bootstrap = "https://data.iana.org/rdap/";  // IANA's bootstrap files
};

void AddJobLoopFlags(CLI::App* cmd, JobLoopFlags* flags);

// What the jobs work with; everything must outlive the loop.
struct JobLoopServices {
  store::Store& store;
  const Clock& clock;
  const platforms::PlatformDirectory& platforms;
  casework::Courier& courier;  // sends "notice.send" jobs
  const casework::NoticeSetup& notices;
  casework::Mailbox* replies = nullptr;  // where replies are read from; none: not read
  casework::ReplySettings reply_settings;
};

// Owns the threads; stopping (the destructor) waits for the jobs in hand to finish.
class JobLoop {
 public:
  // Starts the threads; with a reply mailbox, also queues its first read.
  static Result<std::unique_ptr<JobLoop>> Start(const JobLoopServices& services,
                                                const JobLoopFlags& flags);
  ~JobLoop();

 private:
  JobLoop() = default;
  std::vector<std::jthread> threads_;
};

}  // namespace takedown::cli
