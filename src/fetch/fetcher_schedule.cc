#include <algorithm>

#include "fetch/fetcher_impl.h"

namespace takedown::fetch {

using internal::Seconds;
using internal::SteadyClock;
using internal::Until;

namespace {

using std::chrono::milliseconds;
using Job = internal::Job;

}  // namespace

Fetcher::Impl::Impl(FetcherConfig config, AddressPolicy policy,
                    std::unordered_map<std::string, std::vector<IpAddress>> overrides)
    : config_(std::move(config)), policy_(std::move(policy)), overrides_(std::move(overrides)) {}

Fetcher::Impl::~Impl() {
  resolver_.reset();  // first: its workers may still call curl_multi_wakeup
  for (auto& [id, job] : jobs_) {
    if (job->easy != nullptr) {
      curl_multi_remove_handle(multi_, job->easy);
      curl_easy_cleanup(job->easy);
      internal::ReleaseTransferLists(job.get());
    }
  }
  for (CURL* e : idle_handles_) curl_easy_cleanup(e);
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

Status Fetcher::Impl::Init() {
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return Internal("curl could not create a multi handle");
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, std::max(16L, 2L * config_.max_concurrent));
  CURLM* multi = multi_;
  resolver_ = std::make_unique<internal::Resolver>(config_.dns_threads,
                                                   [multi] { curl_multi_wakeup(multi); });
  return Status::Ok();
}

uint64_t Fetcher::Impl::Submit(Request request, Callback done) {
  auto job = std::make_unique<Job>();
  Job* j = job.get();
  j->id = next_id_++;
  j->result.id = j->id;
  j->result.url = request.url;
  j->request = std::move(request);
  j->callback = std::move(done);
  j->policy = &policy_;
  j->connections_opened = &stats_.connections_opened;
  jobs_.emplace(j->id, std::move(job));
  Result<internal::Target> target = internal::ParseTarget(j->request.url);
  if (!target.ok()) {
    Finish(j, FetchError::kInvalidUrl, target.status(), SteadyClock::now());
  } else {
    j->target = std::move(*target);
    Enqueue(j, /*front=*/false);
  }
  return j->id;
}

bool Fetcher::Impl::Poll(milliseconds max_wait) {
  const auto until = SteadyClock::now() + max_wait;
  for (;;) {
    Step();
    if (jobs_.empty()) return false;
    const auto now = SteadyClock::now();
    if (now >= until) return true;
    const milliseconds wait =
        std::clamp(Until(now, std::min(until, NextWake(now))), milliseconds(0), milliseconds(1000));
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait.count()), nullptr);
  }
}

void Fetcher::Impl::Step() {
  auto now = SteadyClock::now();
  TakeDnsAnswers(now);
  for (auto it = resolving_.begin(); it != resolving_.end();) {  // lookups past the deadline
    Job* job = jobs_.at(*it).get();
    ++it;
    if (now >= job->deadline) {
      Finish(job, FetchError::kTimeout,
             Unavailable("resolving " + job->target.host + " took past the request's deadline"),
             now);
    }
  }
  Schedule(now);
  int running = 0;
  curl_multi_perform(multi_, &running);
  now = SteadyClock::now();
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg == CURLMSG_DONE) TransferDone(msg->easy_handle, msg->data.result, now);
  }
  Schedule(now);
  Deliver();
}

void Fetcher::Impl::Enqueue(Job* job, bool front) {
  job->state = Job::State::kQueued;
  Host& host = hosts_[job->target.host];
  if (front) {
    host.queue.push_front(job);
  } else {
    host.queue.push_back(job);
  }
}

// Starts queued requests, round robin over hosts, within the global and per-host limits.
void Fetcher::Impl::Schedule(SteadyClock::time_point now) {
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    Job* job = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    Enqueue(job, /*front=*/true);
  }
  for (bool progress = true; progress && active_ < config_.max_concurrent;) {
    progress = false;
    for (auto& [name, host] : hosts_) {
      if (active_ >= config_.max_concurrent) break;
      if (host.queue.empty() || host.active >= config_.max_per_host || now < host.next_start) {
        continue;
      }
      Job* job = host.queue.front();
      host.queue.pop_front();
      ++host.active;
      ++active_;
      job->slot_previous_start = host.next_start;
      host.next_start = now + config_.per_host_delay;
      job->slot_next_start = host.next_start;
      job->slot_host = name;
      job->attempt_sent = false;
      Start(job, now);
      progress = true;
    }
  }
  std::erase_if(hosts_, [&](const auto& entry) {
    const Host& h = entry.second;
    return h.queue.empty() && h.active == 0 && h.next_start <= now;
  });
}

void Fetcher::Impl::ReleaseSlot(Job* job) {
  if (job->slot_host.empty()) return;
  if (auto it = hosts_.find(job->slot_host); it != hosts_.end()) {
    Host& host = it->second;
    --host.active;
    if (!job->attempt_sent && host.next_start == job->slot_next_start) {
      host.next_start = job->slot_previous_start;  // nothing was sent: no delay is owed
    }
  }
  --active_;
  job->slot_host.clear();
}

// One attempt at the current hop: find its addresses, then check and connect.
void Fetcher::Impl::Start(Job* job, SteadyClock::time_point now) {
  if (!job->started) {
    job->started = true;
    job->first_start = now;
    job->deadline = now + config_.request_deadline;
  }
  if (now >= job->deadline) {
    Finish(job, FetchError::kTimeout,
           Unavailable("the request's deadline of " + Seconds(config_.request_deadline) +
                       " passed before " + job->target.url + " could be fetched"),
           now);
    return;
  }
  ++job->hop_attempts;
  ++job->result.attempts;
  ++stats_.attempts;
  const std::string& host = job->target.host;
  Result<std::optional<IpAddress>> literal = ParseHostAddress(host);
  if (!literal.ok()) {
    Finish(job, FetchError::kInvalidUrl, literal.status(), now);
    return;
  }
  job->literal_host = literal->has_value();
  if (job->literal_host) {
    Launch(job, {**literal}, now);
    return;
  }
  if (auto it = overrides_.find(host); it != overrides_.end()) {
    Launch(job, it->second, now);
    return;
  }
  if (auto it = dns_cache_.find(host); it != dns_cache_.end() && it->second.expires > now) {
    Launch(job, it->second.addresses, now);
    return;
  }
  if (!config_.system_dns) {
    Finish(job, FetchError::kDns,
           NotFound("no address is configured for " + host + " and system DNS is off"), now);
    return;
  }
  job->state = Job::State::kResolving;
  resolving_.insert(job->id);
  ++stats_.dns_lookups;
  resolver_->Lookup(job->id, host);
}

void Fetcher::Impl::TakeDnsAnswers(SteadyClock::time_point now) {
  for (internal::Resolver::Answer& answer : resolver_->TakeAnswers()) {
    if (answer.addresses.ok()) {
      if (dns_cache_.size() > 10'000) {
        std::erase_if(dns_cache_, [&](const auto& e) { return e.second.expires <= now; });
      }
      dns_cache_[answer.host] = {*answer.addresses, now + config_.dns_cache_ttl};
    }
    auto it = jobs_.find(answer.token);
    if (it == jobs_.end() || it->second->state != Job::State::kResolving) continue;
    Job* job = it->second.get();
    resolving_.erase(job->id);
    if (answer.addresses.ok()) {
      Launch(job, *answer.addresses, now);
    } else if (answer.retryable) {
      ReleaseSlot(job);
      Retry(job, FetchError::kDns, answer.addresses.status(), std::nullopt, now);
    } else {
      Finish(job, FetchError::kDns, answer.addresses.status(), now);
    }
  }
}

// Checks every address, then hands the attempt to curl pinned to them.
void Fetcher::Impl::Launch(Job* job, const std::vector<IpAddress>& addresses,
                           SteadyClock::time_point now) {
  for (const IpAddress& address : addresses) {
    if (std::optional<std::string> why = policy_.WhyRefused(address)) {
      ++stats_.refused;
      const std::string what = job->literal_host ? address.ToString() + " is " + *why
                                                 : job->target.host + " resolves to " +
                                                       address.ToString() + ", which is " + *why;
      Finish(job, FetchError::kRefused,
             PermissionDenied("refused to fetch " + job->target.url + ": " + what), now);
      return;
    }
  }
  job->addresses = addresses;
  job->timeout = std::min(config_.transfer_timeout, Until(now, job->deadline));
  job->body_cap =
      job->request.max_body_bytes > 0 ? job->request.max_body_bytes : config_.max_body_bytes;
  job->header_cap = config_.max_header_bytes;
  if (idle_handles_.empty()) {
    job->easy = curl_easy_init();
  } else {
    job->easy = idle_handles_.back();
    idle_handles_.pop_back();
  }
  Status s = job->easy != nullptr ? internal::SetUpTransfer(job, config_)
                                  : Internal("curl could not create a handle");
  if (s.ok() && curl_multi_add_handle(multi_, job->easy) != CURLM_OK) {
    s = Internal("curl could not start a transfer");
  }
  if (!s.ok()) {
    ReturnHandle(job);
    Finish(job, FetchError::kInternal, s, now);
    return;
  }
  job->state = Job::State::kTransferring;
  job->attempt_sent = true;
}

void Fetcher::Impl::ReturnHandle(Job* job) {
  if (job->easy != nullptr) idle_handles_.push_back(job->easy);
  job->easy = nullptr;
  internal::ReleaseTransferLists(job);
}

SteadyClock::time_point Fetcher::Impl::NextWake(SteadyClock::time_point now) {
  SteadyClock::time_point wake = now + milliseconds(1000);
  if (!delayed_.empty()) wake = std::min(wake, delayed_.begin()->first);
  if (active_ < config_.max_concurrent) {
    for (const auto& [name, host] : hosts_) {
      if (!host.queue.empty() && host.active < config_.max_per_host) {
        wake = std::min(wake, host.next_start);
      }
    }
  }
  for (uint64_t id : resolving_) wake = std::min(wake, jobs_.at(id)->deadline);
  return wake;
}

}  // namespace takedown::fetch
