// Mail delivery against real servers on loopback: aiosmtpd for SMTP (with STARTTLS, implicit
// TLS and AUTH), Dovecot for the archive mailbox the exactly-once check searches. What the SMTP
// server received is read back both as bytes and as Python's email package parsed it (an
// independent MIME parser). Webhooks are tested in delivery/webhook_test.cc.
// The archive check and exactly-once are tested in smtp_archive_test.cc (helpers:
// smtp_test_util.h).
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "mail/mail.h"
#include "mail/smtp_test_util.h"

namespace takedown::notify {
namespace {

using namespace smtp_testing;  // NOLINT: the servers and helpers every delivery test uses

std::string HeaderOf(const json& summary, const std::string& name) {
  for (const auto& h : summary["headers"]) {
    if (h[0].get<std::string>() == name) return h[1].get<std::string>();
  }
  return "";
}

// ------------------------------------------------------------------------------------------
// SMTP

TEST(SmtpDeliveryTest, NoticeArrivesWithExactHeadersAndMimeStructure) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  const Email email = ChineseNotice();
  SendDetails details;
  const Status sent = sender.Send(email, &details);
  ASSERT_TRUE(sent.ok()) << sent.message();
  EXPECT_EQ(details.outcome, SendOutcome::kAccepted);
  EXPECT_EQ(details.reply_code, 250);

  const std::vector<ReceivedMessage> got = server->Messages();
  ASSERT_EQ(got.size(), 1u);
  const ReceivedMessage& m = got[0];
  EXPECT_EQ(m.mail_from, "notices@takedown.example.org");
  EXPECT_EQ(m.rcpt_tos, std::vector<std::string>{"abuse@platform.example"});

  // The bytes: headers exactly as given, CRLF line ends.
  const testing::ParsedPart raw = ParsePart(m.raw);
  EXPECT_EQ(raw.Header("Message-ID"), "<notice-42@takedown.example.org>");
  EXPECT_EQ(raw.Header("From"), "Takedown casework <notices@takedown.example.org>");
  EXPECT_EQ(raw.Header("To"), "abuse@platform.example");
  EXPECT_EQ(raw.Header("Reply-To"), "notice+r4nd0m@reply.takedown.example.org");
  EXPECT_EQ(raw.Header("MIME-Version"), "1.0");
  EXPECT_EQ(raw.Header("X-Takedown-Notice"), "42");
  std::tm tm{};
  ASSERT_NE(strptime(raw.Header("Date").c_str(), "%a, %d %b %Y %H:%M:%S +0000", &tm), nullptr)
      << raw.Header("Date");
  EXPECT_LT(std::abs(static_cast<double>(timegm(&tm) - std::time(nullptr))), 300.0);
  for (size_t i = 0; i < m.raw.size(); ++i) {
    if (m.raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && m.raw[i - 1] == '\r') << "bare LF at " << i;
    }
  }

  // As Python's email package reads it.
  const json j = json::parse(m.summary);
  EXPECT_EQ(j["defects"].size(), 0u) << j["defects"].dump();
  EXPECT_EQ(j["content_type"], "multipart/alternative");
  EXPECT_EQ(HeaderOf(j, "Subject"), kChineseSubject);
  EXPECT_EQ(HeaderOf(j, "Message-ID"), "<notice-42@takedown.example.org>");
  ASSERT_EQ(j["parts"].size(), 2u);
  EXPECT_EQ(j["parts"][0]["content_type"], "text/plain");
  EXPECT_EQ(j["parts"][0]["charset"], "utf-8");
  EXPECT_EQ(j["parts"][0]["content"], kChineseText);
  EXPECT_EQ(j["parts"][1]["content_type"], "text/html");
  EXPECT_EQ(j["parts"][1]["charset"], "utf-8");
  EXPECT_EQ(j["parts"][1]["content"], kChineseHtml);
  for (const auto& part : j["parts"]) EXPECT_EQ(part["defects"].size(), 0u) << part.dump();
}

TEST(SmtpDeliveryTest, MalayLongLinesAndNonAsciiSurvive) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  Email email = ChineseNotice("notice-43");
  email.subject = kMalaySubject;
  email.from_name = "Pasukan Takedown — 撤除小組";
  email.text = "Tuan/Puan,\n\nKami mewakili mangsa. " + std::string(1500, 'k') +
               "\n.baris bermula dengan titik\n..dua titik\n.\nFrom awal baris\n"
               "harga = RM 50 — “petikan” café naïve\nruang di hujung   \n";
  email.html = "<p>" + std::string(2000, 'h') + "</p><p>café — “petikan”</p>\n";
  ASSERT_TRUE(sender.Send(email).ok());
  const std::vector<ReceivedMessage> got = server->Messages();
  ASSERT_EQ(got.size(), 1u);
  const json j = json::parse(got[0].summary);
  EXPECT_EQ(HeaderOf(j, "Subject"), kMalaySubject);
  EXPECT_EQ(HeaderOf(j, "From"), "Pasukan Takedown — 撤除小組 <notices@takedown.example.org>");
  ASSERT_EQ(j["parts"].size(), 2u);
  EXPECT_EQ(j["parts"][0]["cte"], "quoted-printable");
  EXPECT_EQ(j["parts"][0]["content"], email.text);
  EXPECT_EQ(j["parts"][1]["content"], email.html);
  size_t longest = 0, start = 0;
  while (start < got[0].raw.size()) {
    size_t end = got[0].raw.find("\r\n", start);
    if (end == std::string::npos) end = got[0].raw.size();
    longest = std::max(longest, end - start);
    start = end + 2;
  }
  EXPECT_LE(longest, 78u);
}

TEST(SmtpDeliveryTest, CcAndBccAndArchiveAreRecipientsButOnlyCcIsAHeader) {
  START_OR_SKIP(server, SmtpServer::Start());
  SmtpConfig config = LoopbackConfig(*server);
  config.archive_bcc = "archive@takedown.example.org";
  const SmtpSender sender = MakeSender(config);
  Email email = ChineseNotice();
  email.to = {"abuse@platform.example", "legal@platform.example"};
  email.cc = {"caseworker@takedown.example.org"};
  email.bcc = {"supervisor@takedown.example.org", "ABUSE@platform.example"};
  email.envelope_from = "bounce+42@reply.takedown.example.org";
  ASSERT_TRUE(sender.Send(email).ok());
  const std::vector<ReceivedMessage> got = server->Messages();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].mail_from, "bounce+42@reply.takedown.example.org");
  EXPECT_EQ(
      got[0].rcpt_tos,
      (std::vector<std::string>{
          "abuse@platform.example", "legal@platform.example", "caseworker@takedown.example.org",
          "supervisor@takedown.example.org", "archive@takedown.example.org"}));
  const testing::ParsedPart raw = ParsePart(got[0].raw);
  EXPECT_EQ(raw.Header("Cc"), "caseworker@takedown.example.org");
  EXPECT_EQ(got[0].raw.find("supervisor"), std::string::npos);
  EXPECT_EQ(got[0].raw.find("archive@"), std::string::npos);
}

TEST(SmtpDeliveryTest, StartTlsWithAuth) {
  SmtpServerOptions options;
  options.tls = SmtpServerOptions::Tls::kStartTls;
  options.username = "relay-user";
  options.password = "relay-password";
  START_OR_SKIP(server, SmtpServer::Start(options));
  SmtpConfig config = LoopbackConfig(*server);
  config.starttls_required = true;
  config.ca_file = server->ca_file();
  config.username = "relay-user";
  config.password = "relay-password";
  const Status sent = MakeSender(config).Send(ChineseNotice());
  ASSERT_TRUE(sent.ok()) << sent.message();
  std::vector<ReceivedMessage> got = server->Messages();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].tls);
  EXPECT_EQ(got[0].auth_user, "relay-user");

  config.password = "wrong";
  SendDetails details;
  const Status refused = MakeSender(config).Send(ChineseNotice("notice-44"), &details);
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused.message();
  EXPECT_NE(refused.message().find("refused the login of relay-user"), std::string::npos)
      << refused.message();
  EXPECT_EQ(refused.message().find("wrong"), std::string::npos) << "no password in errors";
  EXPECT_EQ(details.outcome, SendOutcome::kNotAccepted);
  EXPECT_EQ(server->Messages().size(), 1u);
}

TEST(SmtpDeliveryTest, ImplicitTls) {
  SmtpServerOptions options;
  options.tls = SmtpServerOptions::Tls::kImplicit;
  START_OR_SKIP(server, SmtpServer::Start(options));
  SmtpConfig config = LoopbackConfig(*server);
  config.starttls_required = true;
  config.ca_file = server->ca_file();
  ASSERT_EQ(config.url.rfind("smtps://", 0), 0u);
  const Status sent = MakeSender(config).Send(ChineseNotice());
  ASSERT_TRUE(sent.ok()) << sent.message();
  ASSERT_EQ(server->Messages().size(), 1u);
  EXPECT_TRUE(server->Messages()[0].tls);
}

TEST(SmtpDeliveryTest, UntrustedCertificateIsRefused) {
  SmtpServerOptions options;
  options.tls = SmtpServerOptions::Tls::kStartTls;
  START_OR_SKIP(server, SmtpServer::Start(options));
  SmtpConfig config = LoopbackConfig(*server);
  config.starttls_required = true;  // and no ca_file: the self-signed certificate fails
  const Status s = MakeSender(config).Send(ChineseNotice());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.message();
  EXPECT_NE(s.message().find("could not be verified over TLS"), std::string::npos) << s.message();
  EXPECT_TRUE(server->Messages().empty());
}

TEST(SmtpDeliveryTest, RequiredStartTlsThatIsNotOfferedSendsNothing) {
  START_OR_SKIP(server, SmtpServer::Start());
  SmtpConfig config = LoopbackConfig(*server);
  config.starttls_required = true;
  const Status s = MakeSender(config).Send(ChineseNotice());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.message();
  EXPECT_NE(s.message().find("does not offer STARTTLS"), std::string::npos) << s.message();
  EXPECT_TRUE(server->Messages().empty());
}

TEST(SmtpDeliveryTest, ServerDownIsUnavailable) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  server->Stop();
  SendDetails details;
  const Status s = sender.Send(ChineseNotice(), &details);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  EXPECT_NE(s.message().find("could not deliver to the SMTP relay " + server->url()),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("onnect"), std::string::npos) << s.message();
  EXPECT_EQ(details.outcome, SendOutcome::kNotAccepted);
}

TEST(SmtpDeliveryTest, RejectedRecipientIsAClearPermanentError) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  Email email = ChineseNotice();
  email.to = {"abuse@platform.example", "rejected-abuse@platform.example"};
  SendDetails details;
  const Status s = sender.Send(email, &details);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.message();
  EXPECT_EQ(s.message(), "the SMTP relay " + server->url() +
                             " refused RCPT TO:<rejected-abuse@platform.example>: 550 5.1.1 "
                             "<rejected-abuse@platform.example>: Recipient address rejected: "
                             "User unknown");
  EXPECT_EQ(details.outcome, SendOutcome::kNotAccepted);
  EXPECT_EQ(details.reply_code, 550);
  EXPECT_TRUE(server->Messages().empty()) << "nobody gets it when one recipient is refused";

  email.to = {"deferred@platform.example"};
  const Status later = sender.Send(email, &details);
  EXPECT_EQ(later.code(), StatusCode::kUnavailable) << later.message();
  EXPECT_NE(later.message().find("451 4.3.0"), std::string::npos) << later.message();
}

TEST(SmtpDeliveryTest, MessageRefusedAtItsEndIsNotAccepted) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  Email email = ChineseNotice();
  email.extra_headers["X-Test-Refuse"] = "yes";
  SendDetails details;
  const Status s = sender.Send(email, &details);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.message();
  EXPECT_NE(s.message().find("554 5.7.1 Message refused"), std::string::npos) << s.message();
  EXPECT_EQ(details.outcome, SendOutcome::kNotAccepted);
  EXPECT_TRUE(server->Messages().empty());
}

TEST(SmtpDeliveryTest, LostFinalAnswerIsUnknownOutcome) {
  START_OR_SKIP(server, SmtpServer::Start());
  SmtpConfig config = LoopbackConfig(*server);
  config.response_timeout = std::chrono::seconds(1);
  const SmtpSender sender = MakeSender(config);
  Email email = ChineseNotice();
  email.extra_headers["X-Test-Hang"] = "yes";
  SendDetails details;
  const Status s = sender.Send(email, &details);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  EXPECT_EQ(details.outcome, SendOutcome::kUnknown);
  EXPECT_NE(s.message().find("it may have been accepted"), std::string::npos) << s.message();
  EXPECT_EQ(server->Messages().size(), 1u) << "the relay did take it";
}

TEST(SmtpDeliveryTest, HeaderInjectionNeverReachesTheRelay) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  Email email = ChineseNotice();
  email.subject = "Takedown notice\r\nBcc: everyone@example.org";
  const Status s = sender.Send(email);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "the subject contains a line break (CR or LF), which could inject headers into the "
            "email; refused");
  email = ChineseNotice();
  email.to = {"abuse@platform.example>\r\nRCPT TO:<everyone@example.org"};
  EXPECT_EQ(sender.Send(email).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(server->Messages().empty());
}

TEST(SmtpSenderTest, ConfigurationIsChecked) {
  SmtpConfig c;
  c.from_address = "notices@takedown.example.org";
  for (const char* bad : {"", "http://mail.example.org", "smtp://", "smtp://u:p@mail.example.org",
                          "smtp://mail.example.org/path", "smtp://mail.example.org?x=1"}) {
    c.url = bad;
    EXPECT_EQ(SmtpSender::Create(c).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  c.url = "smtp://mail.example.org:587";
  EXPECT_TRUE(SmtpSender::Create(c).ok());
  c.from_address = "not an address";
  EXPECT_EQ(SmtpSender::Create(c).status().code(), StatusCode::kInvalidArgument);
  c.from_address = "notices@takedown.example.org";
  c.starttls_required = false;
  c.username = "user";
  c.password = "secret";
  const Status clear = SmtpSender::Create(c).status();
  EXPECT_EQ(clear.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(clear.message().find("refusing to allow SMTP without TLS to mail.example.org"),
            std::string::npos)
      << clear.message();
  c.url = "smtp://127.0.0.1:2525";
  EXPECT_TRUE(SmtpSender::Create(c).ok()) << "plain SMTP to loopback is allowed";
  c.url = "smtps://mail.example.org";
  EXPECT_TRUE(SmtpSender::Create(c).ok()) << "smtps is TLS from the start";
  c.reply_domain = "not a domain";
  EXPECT_EQ(SmtpSender::Create(c).status().code(), StatusCode::kInvalidArgument);
}

TEST(SmtpSenderTest, PerNoticeReplyAddress) {
  SmtpConfig c;
  c.url = "smtps://mail.example.org";
  c.from_address = "notices@takedown.example.org";
  const SmtpSender without = MakeSender(c);
  EXPECT_EQ(without.ReplyAddress("abc"), "") << "no reply domain";
  c.reply_domain = "reply.takedown.example.org";
  const SmtpSender sender = MakeSender(c);
  EXPECT_EQ(sender.ReplyAddress("Xk3_9-a"), "notice+Xk3_9-a@reply.takedown.example.org");
  EXPECT_EQ(sender.ReplyAddress("a b"), "");
  EXPECT_EQ(sender.ReplyAddress(""), "");
  EXPECT_EQ(sender.ReplyAddress("x@evil"), "");
  EXPECT_EQ(sender.ReplyAddress("x\r\nBcc: y"), "");
}

}  // namespace
}  // namespace takedown::notify
