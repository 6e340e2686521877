#include "fetch/resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace takedown::fetch::internal {

struct Resolver::Shared {
  std::mutex mutex;
  std::condition_variable work;
  std::deque<std::pair<uint64_t, std::string>> queue;
  std::vector<Answer> answers;
  std::function<void()> wake;  // cleared when the Resolver goes
  bool stop = false;
};

namespace {

Resolver::Answer Resolve(uint64_t token, const std::string& host) {
  Resolver::Answer answer;
  answer.token = token;
  answer.host = host;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    const std::string why = "could not resolve " + host + ": " + gai_strerror(rc);
    if (rc == EAI_NONAME) {
      answer.addresses = NotFound(why);
    } else {
      answer.addresses = Unavailable(why);
      answer.retryable = rc == EAI_AGAIN;
    }
    return answer;
  }
  std::vector<IpAddress> addresses;
  for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (std::optional<IpAddress> ip = IpAddress::FromSockaddr(a->ai_addr);
        ip && std::find(addresses.begin(), addresses.end(), *ip) == addresses.end()) {
      addresses.push_back(*ip);
    }
  }
  freeaddrinfo(list);
  if (addresses.empty()) {
    answer.addresses = NotFound("the name " + host + " has no IPv4 or IPv6 address");
  } else {
    answer.addresses = std::move(addresses);
  }
  return answer;
}

void Work(std::shared_ptr<Resolver::Shared> shared) {
  for (;;) {
    std::pair<uint64_t, std::string> item;
    {
      std::unique_lock lock(shared->mutex);
      shared->work.wait(lock, [&] { return shared->stop || !shared->queue.empty(); });
      if (shared->stop) return;
      item = std::move(shared->queue.front());
      shared->queue.pop_front();
    }
    Resolver::Answer answer = Resolve(item.first, item.second);
    std::lock_guard lock(shared->mutex);
    if (shared->stop) return;
    shared->answers.push_back(std::move(answer));
    if (shared->wake) shared->wake();
  }
}

}  // namespace

Resolver::Resolver(int threads, std::function<void()> wake)
    : shared_(std::make_shared<Shared>()), threads_(std::max(1, threads)) {
  shared_->wake = std::move(wake);
}

Resolver::~Resolver() {
  std::lock_guard lock(shared_->mutex);
  shared_->stop = true;
  shared_->wake = nullptr;
  shared_->work.notify_all();
}

void Resolver::Lookup(uint64_t token, std::string host) {
  if (!started_) {  // threads only once a name needs the system's DNS
    started_ = true;
    for (int i = 0; i < threads_; ++i) std::thread(Work, shared_).detach();
  }
  std::lock_guard lock(shared_->mutex);
  shared_->queue.emplace_back(token, std::move(host));
  shared_->work.notify_one();
}

std::vector<Resolver::Answer> Resolver::TakeAnswers() {
  std::lock_guard lock(shared_->mutex);
  std::vector<Answer> out;
  out.swap(shared_->answers);
  return out;
}

}  // namespace takedown::fetch::internal
