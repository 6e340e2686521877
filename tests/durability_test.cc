// An acknowledged report is never lost: the server is killed with SIGKILL in the middle of a
// burst of intakes and started again on the same database; every intake that was answered 2xx is
// there (its code and PIN still open its status), and none is there twice.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api_backends.h"
#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;

class Durability : public ::testing::TestWithParam<std::string> {};

TEST_P(Durability, EveryAcknowledgedIntakeSurvivesSigkill) {
  char tmpl[] = "/tmp/takedown-durable-XXXXXX";
  const std::filesystem::path dir = mkdtemp(tmpl);
  auto backend = testing::BackendArgs(GetParam(), dir);
  if (!backend.available) {
    if (store::testing::PostgresCluster::Required()) FAIL() << backend.why;
    GTEST_SKIP() << backend.why;
  }
  // The burst comes from one address: no limit on reports per address here.
  std::vector<std::string> args = {"--data", dir.string(), "--no-dns", "--intakes-per-hour", "0"};
  args.insert(args.end(), backend.args.begin(), backend.args.end());

  auto server = std::make_unique<testing::ServerProcess>(args);
  ASSERT_GT(server->port(), 0) << server->output();
  const std::string admin_password = server->admin_password();
  const int port = server->port();

  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> acknowledged;  // code, pin
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  auto burst = [&](int worker) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2);
    client.set_read_timeout(2);
    for (int i = 0; !stop; ++i) {
      const json body = {
          {"language", "en"},
          {"urls", {"https://example.com/" + std::to_string(worker) + "/" + std::to_string(i)}}};
      ++sent;
      auto res = client.Post("/api/v1/intake", body.dump(), "application/json");
      if (!res) break;  // the server is gone
      if (res->status == 201) {
        const json receipt = json::parse(res->body);
        std::lock_guard lock(mu);
        acknowledged.emplace_back(receipt["code"], receipt["pin"]);
      }
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) workers.emplace_back(burst, w);
  // Kill it while requests are in flight.
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard lock(mu);
    if (acknowledged.size() >= 40) break;
  }
  const int status = server->Stop(SIGKILL);
  stop = true;
  for (auto& t : workers) t.join();
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(acknowledged.size(), 40u);

  server = std::make_unique<testing::ServerProcess>(args);
  ASSERT_GT(server->port(), 0) << server->output();
  httplib::Client client("127.0.0.1", server->port());
  auto login = client.Post("/api/v1/login",
                           json({{"username", "admin"}, {"password", admin_password}}).dump(),
                           "application/json");
  ASSERT_EQ(login->status, 200);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  const httplib::Headers cookie = {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  std::multiset<std::string> stored;
  for (int offset = 0;; offset += 500) {
    auto page =
        client.Get(("/api/v1/cases?limit=500&offset=" + std::to_string(offset)).c_str(), cookie);
    ASSERT_EQ(page->status, 200);
    const json cases = json::parse(page->body)["cases"];
    for (const auto& c : cases) stored.insert(c["code"].get<std::string>());
    if (cases.size() < 500) break;
  }
  for (const auto& [code, pin] : acknowledged) {
    EXPECT_EQ(stored.count(code), 1u) << code << " was acknowledged but is not stored once";
  }
  EXPECT_LE(stored.size(), static_cast<size_t>(sent.load())) << "no intake stored twice";
  // A sample still opens with its PIN.
  for (size_t i = 0; i < acknowledged.size(); i += acknowledged.size() / 5) {
    const std::string raw = acknowledged[i].first + ":" + acknowledged[i].second;
    char basic[128];
    sodium_bin2base64(basic, sizeof basic, reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_ORIGINAL);
    auto res = client.Get("/api/v1/status", {{"Authorization", std::string("Basic ") + basic}});
    EXPECT_EQ(res->status, 200) << acknowledged[i].first;
  }
  server.reset();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, Durability, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace takedown
