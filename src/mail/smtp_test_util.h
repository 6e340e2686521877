// The mail delivery tests' shared helpers, for smtp_test.cc and smtp_archive_test.cc: the test
// servers' names (START_OR_SKIP is in mail_test_util.h), a sender configured for the loopback
// relay, and a Traditional Chinese notice.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "mail/mail.h"
#include "mail/mail_test_util.h"
#include "mail/testing/imap_server.h"
#include "mail/testing/mime_decode.h"
#include "mail/testing/smtp_server.h"

namespace takedown::notify::smtp_testing {

using nlohmann::json;
using testing::ImapServer;
using testing::ParsePart;
using testing::ReceivedMessage;
using testing::SmtpServer;
using testing::SmtpServerOptions;

inline const char kChineseSubject[] =
    "移除通知：未經同意散布的私密影像（案件 TD-2026-0042），請於四十八小時內處理";
inline const char kChineseText[] =
    "您好：\n\n我們代表受害者通知貴平台，下列網址含有未經同意散布的私密影像，依法請於四十八"
    "小時內移除。\n\nhttps://example.com/p/123\n\n謝謝。🙏\n";
inline const char kChineseHtml[] =
    "<!doctype html><html><body><p>您好：</p><p>我們代表受害者通知貴平台，下列網址含有未經同意"
    "散布的私密影像。</p><ul><li>https://example.com/p/123</li></ul></body></html>\n";
inline const char kMalaySubject[] =
    "Notis penurunan kandungan: imej intim yang dikongsi tanpa kebenaran (kes TD-2026-0042)";

inline SmtpConfig LoopbackConfig(const SmtpServer& server) {
  SmtpConfig c;
  c.url = server.url();
  c.starttls_required = false;  // the plain test server; loopback only
  c.from_address = "notices@takedown.example.org";
  c.from_name = "Takedown casework";
  c.reply_domain = "reply.takedown.example.org";
  c.connect_timeout = std::chrono::seconds(5);
  c.response_timeout = std::chrono::seconds(10);
  c.total_timeout = std::chrono::seconds(20);
  return c;
}

inline SmtpSender MakeSender(const SmtpConfig& config) {
  Result<SmtpSender> sender = SmtpSender::Create(config);
  EXPECT_TRUE(sender.ok()) << sender.status().message();
  return std::move(sender.value());
}

inline Email ChineseNotice(const std::string& key = "notice-42") {
  Email e;
  e.message_id = *MessageIdForKey(key, "notices@takedown.example.org");
  e.to = {"abuse@platform.example"};
  e.reply_to = "notice+r4nd0m@reply.takedown.example.org";
  e.subject = kChineseSubject;
  e.text = kChineseText;
  e.html = kChineseHtml;
  e.extra_headers["X-Takedown-Notice"] = "42";
  return e;
}

}  // namespace takedown::notify::smtp_testing
