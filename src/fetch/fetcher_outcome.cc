#include <algorithm>

#include "fetch/fetcher_impl.h"

namespace takedown::fetch {

using internal::Seconds;
using internal::SteadyClock;
using internal::Until;

namespace {

using std::chrono::milliseconds;
using Job = internal::Job;

bool IsRetryableStatus(int status) {
  return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

bool IsRedirectStatus(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

void Fetcher::Impl::TransferDone(CURL* easy, CURLcode code, SteadyClock::time_point now) {
  Job* job = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &job);
  long status = 0;
  long version = 0;
  char* ip = nullptr;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip);
  curl_multi_remove_handle(multi_, easy);
  ReturnHandle(job);
  ReleaseSlot(job);

  FetchResult& r = job->result;
  const internal::Response& response = job->response;
  r.http_status = static_cast<int>(status);
  r.http_version = version == CURL_HTTP_VERSION_1_0   ? 10
                   : version == CURL_HTTP_VERSION_1_1 ? 11
                   : version == CURL_HTTP_VERSION_2_0 ? 20
                   : version == CURL_HTTP_VERSION_3   ? 30
                                                      : 0;
  r.remote_address = ip != nullptr ? ip : "";
  r.content_type = response.content_type;
  r.content_encoding = response.content_encoding;
  r.etag = response.etag;
  r.last_modified = response.last_modified;
  r.retry_after = response.retry_after;
  r.cache_control = response.cache_control;

  const internal::Outcome outcome = internal::ClassifyTransfer(*job, code);
  if (outcome.error == FetchError::kRefused) ++stats_.refused;
  switch (outcome.kind) {
    case internal::Outcome::Kind::kFailed:
      Finish(job, outcome.error, outcome.status, now);
      return;
    case internal::Outcome::Kind::kRetryable:
      Retry(job, outcome.error, outcome.status, std::nullopt, now);
      return;
    case internal::Outcome::Kind::kResponse:
      break;
  }
  if (IsRedirectStatus(r.http_status) && !response.location.empty()) {
    Redirect(job, now);
    return;
  }
  if (IsRetryableStatus(r.http_status)) {
    Retry(job, FetchError::kHttpStatus,
          Unavailable(job->target.url + " answered HTTP " + std::to_string(r.http_status)),
          internal::ParseRetryAfter(response.retry_after, std::chrono::system_clock::now()), now);
    return;
  }
  Finish(job, FetchError::kNone, Status::Ok(), now);
}

void Fetcher::Impl::Redirect(Job* job, SteadyClock::time_point now) {
  FetchResult& r = job->result;
  const std::string& location = job->response.location;
  if (static_cast<int>(r.redirects.size()) >= config_.max_redirects) {
    Finish(job, FetchError::kTooManyRedirects,
           ResourceExhausted("gave up after " + std::to_string(config_.max_redirects) +
                             " redirects; " + job->target.url + " redirects again"),
           now);
    return;
  }
  Result<internal::Target> target = InvalidArgument("not an http or https address");
  if (std::optional<std::string> next = internal::ResolveUrl(job->target.url, location)) {
    target = internal::ParseTarget(*next);
  }
  if (!target.ok()) {
    Finish(job, FetchError::kBadRedirect,
           InvalidArgument(job->target.url + " redirects to \"" + location.substr(0, 200) +
                           "\", which is not an http or https address"),
           now);
    return;
  }
  r.redirects.push_back({job->target.url, r.http_status, target->url});
  ++stats_.redirects;
  // The result's response fields describe the final address only.
  const std::string url = r.url;
  const std::vector<RedirectHop> hops = std::move(r.redirects);
  const int attempts = r.attempts;
  r = FetchResult{};
  r.id = job->id;
  r.url = url;
  r.redirects = hops;
  r.attempts = attempts;
  job->target = std::move(*target);
  job->hop_attempts = 0;
  Enqueue(job, /*front=*/true);
}

// Another attempt after a wait (Retry-After, or exponential backoff), when attempts, the
// Retry-After cap and the deadline allow; otherwise the request ends with `status`.
void Fetcher::Impl::Retry(Job* job, FetchError error, const Status& status,
                          std::optional<milliseconds> retry_after, SteadyClock::time_point now) {
  if (job->hop_attempts >= config_.max_attempts) {
    Finish(job, error,
           Status(status.code(), status.message() + " (gave up after " +
                                     std::to_string(job->hop_attempts) + " attempts)"),
           now);
    return;
  }
  if (retry_after && *retry_after > config_.max_retry_after) {
    Finish(job, FetchError::kRetryAfterTooLong,
           Unavailable(status.message() + " and asked to retry after " + Seconds(*retry_after) +
                       ", longer than the " + Seconds(config_.max_retry_after) +
                       " this fetcher waits; try again later"),
           now);
    return;
  }
  milliseconds wait = config_.initial_backoff * (1 << std::min(job->hop_attempts - 1, 20));
  wait = retry_after ? *retry_after : std::min(wait, config_.max_backoff);
  if (now + wait >= job->deadline) {
    Finish(
        job, error,
        Status(status.code(), status.message() + "; no time is left before the request's deadline "
                                                 "for another attempt"),
        now);
    return;
  }
  ++stats_.retries;
  job->state = Job::State::kDelayed;
  delayed_.emplace(now + wait, job);
  if (retry_after) {  // the server asked for quiet: every request to it waits
    Host& host = hosts_[job->target.host];
    host.next_start = std::max(host.next_start, now + wait);
  }
}

void Fetcher::Impl::Finish(Job* job, FetchError error, Status status, SteadyClock::time_point now) {
  ReleaseSlot(job);
  resolving_.erase(job->id);
  FetchResult& r = job->result;
  r.final_url = job->target.url.empty() ? r.url : job->target.url;
  r.elapsed = job->started ? Until(job->first_start, now) : milliseconds(0);
  r.status = std::move(status);
  r.error = error;
  ++stats_.completed;
  auto it = jobs_.find(job->id);
  done_.push_back(std::move(it->second));
  jobs_.erase(it);
}

// Callbacks run here, outside any loop over the fetcher's own state, so they may Submit.
void Fetcher::Impl::Deliver() {
  while (!done_.empty()) {
    std::vector<std::unique_ptr<Job>> done;
    done.swap(done_);
    for (auto& job : done) {
      if (job->callback) job->callback(std::move(job->result));
    }
  }
}

}  // namespace takedown::fetch
