// The server's courier for a platform's notice API: the notice is POSTed as JSON, signed with the
// endpoint's shared secret (HMAC-SHA256 over timestamp and body) and carrying the notice's key as
// Idempotency-Key, so a retried send is dropped by the platform; an endpoint without a secret, or
// an email notice without a relay, fails with a sentence instead of waiting.
#include "cli/notice_courier.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "delivery/webhook.h"

namespace takedown::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct Received {
  std::string body, signature, timestamp, key;
};

class NoticeApi : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-courier-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ / "secret") << "a-shared-secret-of-32-bytes-long\n";
    server_.set_keep_alive_timeout(1);
    server_.Post("/ncii/notices", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      received_.push_back({req.body, req.get_header_value("X-Takedown-Signature"),
                           req.get_header_value("X-Takedown-Timestamp"),
                           req.get_header_value("Idempotency-Key")});
      res.status = 202;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
    fs::remove_all(dir_);
  }
  std::string Endpoint() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/ncii/notices";
  }
  domain::Notice ApiNotice() const {
    domain::Notice n;
    n.id = 7;
    n.case_id = 3;
    n.channel = domain::ChannelKind::kApi;
    n.recipient = "exampletube";
    n.address = Endpoint();
    n.subject = "Removal request";
    n.body = "Please remove https://tube.example/v/1";
    n.sighting_ids = {5};
    n.idempotency_key = "notice:3:exampletube:5";
    n.legal_basis = "TAKE IT DOWN Act s.3";
    return n;
  }

  ManualClock clock_{1'767'225'600'000};  // the server's clock signs the webhook
  fs::path dir_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> received_;
};

TEST_F(NoticeApi, ANoticeIsPostedSignedWithItsKey) {
  MailFlags flags;
  flags.webhook_secrets = {Endpoint() + "=" + (dir_ / "secret").string()};
  flags.webhook_allow = {"127.0.0.0/8"};
  flags.webhook_allow_http = true;
  auto courier = MakeCourier(flags, clock_);
  ASSERT_TRUE(courier.ok()) << courier.status().message();
  bool unknown = false;
  const Status sent = (*courier)->Deliver(ApiNotice(), &unknown);
  ASSERT_TRUE(sent.ok()) << sent.message();
  EXPECT_FALSE(unknown);
  EXPECT_EQ(*(*courier)->AlreadyDelivered(ApiNotice()), false)
      << "the platform drops a repeated key, so sending again is safe";

  std::lock_guard lock(mu_);
  ASSERT_EQ(received_.size(), 1u);
  const Received& r = received_[0];
  EXPECT_EQ(r.key, "notice:3:exampletube:5");
  EXPECT_EQ(r.signature, notify::WebhookSignature("a-shared-secret-of-32-bytes-long",
                                                  std::stoll(r.timestamp), r.body));
  EXPECT_EQ(r.timestamp, "1767225600") << "signed at the server's clock, not the system's";
  const json body = json::parse(r.body);
  EXPECT_EQ(body["notice"], 7);
  EXPECT_EQ(body["reference"], "N3-5") << "the reference the text prints; never her case code";
  EXPECT_EQ(body["text"], "Please remove https://tube.example/v/1");
  EXPECT_EQ(body["legal_basis"], "TAKE IT DOWN Act s.3");
}

TEST_F(NoticeApi, WithoutASecretOrARelayNothingIsSentAndTheReasonIsSaid) {
  MailFlags flags;
  flags.webhook_allow = {"127.0.0.0/8"};
  flags.webhook_allow_http = true;
  auto courier = MakeCourier(flags, clock_);
  ASSERT_TRUE(courier.ok());
  bool unknown = false;
  const Status no_secret = (*courier)->Deliver(ApiNotice(), &unknown);
  EXPECT_EQ(no_secret.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no_secret.message().find("--webhook-secret"), std::string::npos);
  domain::Notice email = ApiNotice();
  email.channel = domain::ChannelKind::kEmail;
  email.address = "abuse@tube.example";
  const Status no_relay = (*courier)->Deliver(email, &unknown);
  EXPECT_EQ(no_relay.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no_relay.message().find("--smtp-url"), std::string::npos);
  std::lock_guard lock(mu_);
  EXPECT_TRUE(received_.empty());

  flags.webhook_secrets = {Endpoint() + "=" + (dir_ / "missing").string()};
  EXPECT_EQ(MakeCourier(flags, clock_).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace takedown::cli
