// Internal to fetch: one request's state inside the Fetcher, and one attempt as a curl easy
// handle (options, callbacks, what its ending means). Used from the fetcher's thread only.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/address_policy.h"
#include "fetch/fetcher.h"
#include "fetch/url_util.h"

namespace takedown::fetch::internal {

using SteadyClock = std::chrono::steady_clock;

// What the curl callbacks saw of one response.
struct Response {
  enum class Abort { kNone, kBody, kDecoded, kHeaders, kAddress };

  int status = 0;  // from the status line; 0 until one came
  std::string content_type, content_encoding, etag, last_modified, retry_after, location,
      cache_control;
  std::optional<uint64_t> content_length;
  size_t header_bytes = 0;    // over every response of the attempt (1xx included)
  bool discard_body = false;  // a redirect's body: read and dropped
  Abort abort = Abort::kNone;
  std::string refused;  // why the connect-time check refused an address
};

// One submitted request, from Submit to its callback.
struct Job {
  enum class State { kQueued, kDelayed, kResolving, kTransferring };

  uint64_t id = 0;
  Request request;
  Fetcher::Callback callback;
  FetchResult result;
  Target target;  // the current hop
  State state = State::kQueued;
  int hop_attempts = 0;  // attempts at the current hop
  bool started = false;
  SteadyClock::time_point first_start{};
  SteadyClock::time_point deadline{};
  std::string slot_host;  // the host whose politeness slot this job holds; "" when none
  // The host's next allowed start before and after this attempt took its slot, so that an
  // attempt that never reached the server (refused, no address) gives the delay back.
  SteadyClock::time_point slot_previous_start{};
  SteadyClock::time_point slot_next_start{};
  bool attempt_sent = false;  // the attempt went to curl: the server may have seen it
  bool literal_host = false;
  std::vector<IpAddress> addresses;  // checked, for the current hop

  // The current attempt.
  std::chrono::milliseconds timeout{0};
  uint64_t body_cap = 0;
  size_t header_cap = 0;
  Response response;
  CURL* easy = nullptr;
  curl_slist* resolve_list = nullptr;
  curl_slist* header_list = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};
  const AddressPolicy* policy = nullptr;
  uint64_t* connections_opened = nullptr;
};

// Configures job->easy for one attempt at job->target: limits, TLS, headers, callbacks, and
// when the host is a name, pinned to job->addresses. Internal on a curl refusal.
Status SetUpTransfer(Job* job, const FetcherConfig& config);

// Frees the lists SetUpTransfer made, once curl is done with the handle.
void ReleaseTransferLists(Job* job);

// What a finished attempt means.
struct Outcome {
  enum class Kind {
    kResponse,   // a complete response: look at its status
    kRetryable,  // a connection failure worth another attempt
    kFailed,     // final
  };
  Kind kind = Kind::kResponse;
  FetchError error = FetchError::kNone;
  Status status;
};

Outcome ClassifyTransfer(const Job& job, CURLcode code);

// Retry-After as delta seconds or an HTTP date, relative to `now`; nullopt when unreadable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace takedown::fetch::internal
