// Webhooks against a loopback receiver (cpp-httplib): the signature verifies, private addresses
// are refused unless allowed, redirects are not followed, errors are classified.
#include "delivery/webhook.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace takedown::notify {
namespace {

struct Hook {
  std::string body, timestamp, signature, key, content_type;
  int hits = 0;
};

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++hook_.hits;
      hook_.body = req.body;
      hook_.timestamp = req.get_header_value("X-Takedown-Timestamp");
      hook_.signature = req.get_header_value("X-Takedown-Signature");
      hook_.key = req.get_header_value("Idempotency-Key");
      hook_.content_type = req.get_header_value("Content-Type");
      res.set_content("{\"ok\":true}", "application/json");
    });
    server_.Post("/moved", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/hook", 307);
    });
    server_.Post("/broken", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_content("down for maintenance", "text/plain");
    });
    server_.Post("/bad", [](const httplib::Request&, httplib::Response& res) {
      res.status = 400;
      res.set_content("{\"error\":\"unknown notice\"}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    config_.allowed_ranges = {"127.0.0.0/8"};
    config_.allow_http = true;
    config_.connect_timeout = std::chrono::seconds(5);
    config_.total_timeout = std::chrono::seconds(10);
  }
  void TearDown() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  WebhookRequest Request(const std::string& path) const {
    WebhookRequest r;
    r.url = "http://127.0.0.1:" + std::to_string(port_) + path;
    r.secret = "whsec_0123456789abcdef";
    r.body = R"({"notice":42,"subject":"移除通知","urls":["https://example.com/p/123"]})";
    r.idempotency_key = "notice-42";
    return r;
  }
  Hook hook() {
    std::lock_guard lock(mu_);
    return hook_;
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  Hook hook_;
  WebhookConfig config_;
};

std::string HmacHex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  std::string hex;
  char buffer[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(buffer, sizeof buffer, "%02x", mac[i]);
    hex += buffer;
  }
  return hex;
}

TEST_F(WebhookTest, SignedBodyArrivesAndVerifies) {
  const WebhookRequest request = Request("/hook");
  WebhookReply reply;
  const Status s = PostWebhook(config_, request, 1772600767123, &reply);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(reply.http_status, 200);
  EXPECT_EQ(reply.body, "{\"ok\":true}");
  const Hook got = hook();
  EXPECT_EQ(got.hits, 1);
  EXPECT_EQ(got.body, request.body);
  EXPECT_EQ(got.content_type, "application/json");
  EXPECT_EQ(got.timestamp, "1772600767");
  EXPECT_EQ(got.key, "notice-42");
  // The receiver's side: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret.
  EXPECT_EQ(got.signature, "sha256=" + HmacHex(request.secret, got.timestamp + "." + got.body));
  EXPECT_NE(got.signature, "sha256=" + HmacHex("another secret!!", got.timestamp + "." + got.body));
}

TEST_F(WebhookTest, PrivateAndLoopbackAddressesAreRefusedUnlessAllowed) {
  WebhookConfig strict = config_;
  strict.allowed_ranges.clear();
  const Status loopback = PostWebhook(strict, Request("/hook"), 0);
  EXPECT_EQ(loopback.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(loopback.message().find("127.0.0.1 is a loopback address"), std::string::npos)
      << loopback.message();
  WebhookRequest named = Request("/hook");
  named.url = "http://localhost:" + std::to_string(port_) + "/hook";
  const Status by_name = PostWebhook(strict, named, 0);
  EXPECT_EQ(by_name.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(by_name.message().find("localhost resolves to"), std::string::npos)
      << by_name.message();
  for (const char* url :
       {"http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/hook",
        "http://2130706433/hook", "http://192.168.1.1/hook"}) {
    WebhookRequest r = Request("/hook");
    r.url = url;
    EXPECT_EQ(PostWebhook(strict, r, 0).code(), StatusCode::kPermissionDenied) << url;
  }
  EXPECT_EQ(hook().hits, 0);
}

TEST_F(WebhookTest, RedirectsAreNotFollowed) {
  const Status s = PostWebhook(config_, Request("/moved"), 0);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("answered HTTP 307 (a redirect to /hook); webhooks do not follow"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(hook().hits, 0);
}

TEST_F(WebhookTest, ErrorsAreClassified) {
  const Status busy = PostWebhook(config_, Request("/broken"), 0);
  EXPECT_EQ(busy.code(), StatusCode::kUnavailable);
  EXPECT_NE(busy.message().find("answered HTTP 503 (try again later): down for maintenance"),
            std::string::npos)
      << busy.message();
  const Status bad = PostWebhook(config_, Request("/bad"), 0);
  EXPECT_EQ(bad.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(bad.message().find("unknown notice"), std::string::npos) << bad.message();

  WebhookRequest closed = Request("/hook");
  server_.stop();
  thread_.join();
  const Status down = PostWebhook(config_, closed, 0);
  EXPECT_EQ(down.code(), StatusCode::kUnavailable) << down.message();

  WebhookConfig https_only = config_;
  https_only.allow_http = false;
  EXPECT_EQ(PostWebhook(https_only, Request("/hook"), 0).code(), StatusCode::kInvalidArgument);
  WebhookRequest weak = Request("/hook");
  weak.secret = "short";
  EXPECT_EQ(PostWebhook(config_, weak, 0).code(), StatusCode::kInvalidArgument);
  WebhookRequest injected = Request("/hook");
  injected.idempotency_key = "k\r\nX-Evil: 1";
  EXPECT_EQ(PostWebhook(config_, injected, 0).code(), StatusCode::kInvalidArgument);
}

TEST(WebhookSignatureTest, KnownAnswer) {
  // printf '1772600767.{"notice":42}' | openssl dgst -sha256 -hmac 'whsec_0123456789abcdef'
  EXPECT_EQ(WebhookSignature("whsec_0123456789abcdef", 1772600767, "{\"notice\":42}"),
            "sha256=6db64d80329164a7fd064750eaa0ce3b792b4a8fc0f8b67a89d0b32d58696d76");
}

}  // namespace
}  // namespace takedown::notify
