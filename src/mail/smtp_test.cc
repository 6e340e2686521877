// Mail delivery against real servers on loopback: aiosmtpd for SMTP (with STARTTLS, implicit
// TLS and AUTH), Dovecot for the archive mailbox the exactly-once check searches. What the SMTP
// server received is read back both as bytes and as Python's email package parsed it (an
// independent MIME parser). Webhooks are tested in delivery/webhook_test.cc.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "mail/mail.h"
#include "mail/testing/imap_server.h"
#include "mail/testing/mime_decode.h"
#include "mail/testing/smtp_server.h"

namespace takedown::notify {
namespace {

using nlohmann::json;
using testing::ImapServer;
using testing::ParsePart;
using testing::ReceivedMessage;
using testing::SmtpServer;
using testing::SmtpServerOptions;

// A server the test needs: skipped where it cannot run, but failed under CI=true.
#define START_OR_SKIP(var, expr)                                           \
  auto var##_result = (expr);                                              \
  if (!var##_result.ok()) {                                                \
    if (SmtpServer::Required()) FAIL() << var##_result.status().message(); \
    GTEST_SKIP() << var##_result.status().message();                       \
  }                                                                        \
  auto var = std::move(var##_result.value())

const char kChineseSubject[] =
    "移除通知：未經同意散布的私密影像（案件 TD-2026-0042），請於四十八小時內處理";
const char kChineseText[] =
    "您好：\n\n我們代表受害者通知貴平台，下列網址含有未經同意散布的私密影像，依法請於四十八"
    "小時內移除。\n\nhttps://example.com/p/123\n\n謝謝。🙏\n";
const char kChineseHtml[] =
    "<!doctype html><html><body><p>您好：</p><p>我們代表受害者通知貴平台，下列網址含有未經同意"
    "散布的私密影像。</p><ul><li>https://example.com/p/123</li></ul></body></html>\n";
const char kMalaySubject[] =
    "Notis penurunan kandungan: imej intim yang dikongsi tanpa kebenaran (kes TD-2026-0042)";

SmtpConfig LoopbackConfig(const SmtpServer& server) {
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

SmtpSender MakeSender(const SmtpConfig& config) {
  Result<SmtpSender> sender = SmtpSender::Create(config);
  EXPECT_TRUE(sender.ok()) << sender.status().message();
  return std::move(sender.value());
}

Email ChineseNotice(const std::string& key = "notice-42") {
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

// ------------------------------------------------------------------------------------------
// The archive check and exactly-once

// An SMTP server that files archive copies into a Dovecot mailbox.
struct ArchiveRig {
  std::unique_ptr<ImapServer> imap;
  std::unique_ptr<SmtpServer> smtp;
  ImapConfig archive;
  SmtpConfig smtp_config;
};

Result<ArchiveRig> StartArchiveRig() {
  ArchiveRig rig;
  Result<std::unique_ptr<ImapServer>> imap = ImapServer::Start("archive", "archive-password");
  if (!imap.ok()) return imap.status();
  rig.imap = std::move(*imap);
  SmtpServerOptions options;
  options.archive_address = "archive@takedown.example.org";
  options.archive_maildir = rig.imap->maildir();
  Result<std::unique_ptr<SmtpServer>> smtp = SmtpServer::Start(options);
  if (!smtp.ok()) return smtp.status();
  rig.smtp = std::move(*smtp);
  rig.archive.url = rig.imap->url();
  rig.archive.username = "archive";
  rig.archive.password = "archive-password";
  rig.archive.starttls_required = false;  // loopback
  rig.archive.connect_timeout = std::chrono::seconds(5);
  rig.archive.total_timeout = std::chrono::seconds(15);
  rig.smtp_config = LoopbackConfig(*rig.smtp);
  rig.smtp_config.archive_bcc = "archive@takedown.example.org";
  return rig;
}

size_t CountWithId(const std::vector<ReceivedMessage>& messages, const std::string& id) {
  size_t n = 0;
  for (const ReceivedMessage& m : messages) {
    n += ParsePart(m.raw).Header("Message-ID") == id ? 1 : 0;
  }
  return n;
}

TEST(ArchiveCheckTest, ImapFindsTheSentMessageByItsMessageId) {
  START_OR_SKIP(rig, StartArchiveRig());
  const SmtpSender sender = MakeSender(rig.smtp_config);
  const Email email = ChineseNotice("7f9c2ba4-e88f");
  Result<bool> before = ImapHasMessage(rig.archive, email.message_id);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_FALSE(*before);
  ASSERT_TRUE(sender.Send(email).ok());
  ASSERT_TRUE(sender.Send(ChineseNotice("7f9c2ba4-e88fX")).ok());
  Result<bool> after = ImapHasMessage(rig.archive, email.message_id);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_TRUE(*after);
  // Not a prefix or substring match of another id.
  EXPECT_FALSE(*ImapHasMessage(rig.archive, "<7f9c2ba4-e88@takedown.example.org>"));
  EXPECT_FALSE(*ImapHasMessage(rig.archive, "<f9c2ba4-e88f@takedown.example.org>"));

  ImapConfig wrong = rig.archive;
  wrong.password = "nope";
  EXPECT_EQ(ImapHasMessage(wrong, email.message_id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ImapHasMessage(rig.archive, "<a\"b@c>").status().code(), StatusCode::kInvalidArgument);
  rig.imap.reset();  // the server goes away
  const Status down = ImapHasMessage(rig.archive, email.message_id).status();
  EXPECT_EQ(down.code(), StatusCode::kUnavailable) << down.message();
}

// A stand-in for the outbox table: one file per notice holding its state, written with
// rename so a killed process leaves the old state or the new one.
class FileOutbox {
 public:
  explicit FileOutbox(std::string dir) : dir_(std::move(dir)) {}
  void Record(const std::string& key, const std::string& state) const {
    const std::string tmp = dir_ + "/" + key + ".tmp";
    {
      std::ofstream out(tmp);
      out << state;
    }
    std::filesystem::rename(tmp, dir_ + "/" + key);
  }
  std::string State(const std::string& key) const {
    std::ifstream in(dir_ + "/" + key);
    std::string state;
    in >> state;
    return state;
  }

 private:
  std::string dir_;
};

// Runs the outbox's send in a child process that is killed with SIGKILL at `kill_point`:
// "before-send" (after recording "sending") or "after-send" (after the relay accepted the
// message, before recording "sent").
void RunAndKill(const SmtpSender& sender, const ImapConfig& archive, const FileOutbox& outbox,
                const std::string& key, const Email& email, const std::string& kill_point) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    outbox.Record(key, "sending");
    if (kill_point == "before-send") {
      (void)!::write(ready[1], "r", 1);
      ::pause();
    }
    Result<SendOnceResult> r = SendOnce(sender, &archive, email, /*resuming=*/false);
    (void)!::write(ready[1], r.ok() ? "s" : "f", 1);
    ::pause();  // killed here: between "sent" and "recorded"
    ::_exit(0);
  }
  ::close(ready[1]);
  char what = 0;
  ASSERT_EQ(::read(ready[0], &what, 1), 1);
  ::close(ready[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(what, kill_point == "before-send" ? 'r' : 's');
}

// The restart: every notice found in "sending" is resumed through SendOnce.
void Recover(const SmtpSender& sender, const ImapConfig& archive, const FileOutbox& outbox,
             const std::string& key, const Email& email, SendOnceResult expected) {
  ASSERT_EQ(outbox.State(key), "sending");
  Result<SendOnceResult> r = SendOnce(sender, &archive, email, /*resuming=*/true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, expected);
  outbox.Record(key, "sent");
}

TEST(ExactlyOnceTest, KilledBetweenSendAndRecordDoesNotSendASecondEmail) {
  START_OR_SKIP(rig, StartArchiveRig());
  const std::string dir = testing::MakeTempDir("takedown-outbox");
  const FileOutbox outbox(dir);
  const SmtpSender sender = MakeSender(rig.smtp_config);
  const Email email = ChineseNotice("kill-after-send");
  RunAndKill(sender, rig.archive, outbox, "kill-after-send", email, "after-send");
  ASSERT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
  Recover(sender, rig.archive, outbox, "kill-after-send", email, SendOnceResult::kAlreadySent);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u) << "no second email";
  EXPECT_EQ(outbox.State("kill-after-send"), "sent");
  std::filesystem::remove_all(dir);
}

TEST(ExactlyOnceTest, KilledBeforeSendingSendsOnceOnRestart) {
  START_OR_SKIP(rig, StartArchiveRig());
  const std::string dir = testing::MakeTempDir("takedown-outbox");
  const FileOutbox outbox(dir);
  const SmtpSender sender = MakeSender(rig.smtp_config);
  const Email email = ChineseNotice("kill-before-send");
  RunAndKill(sender, rig.archive, outbox, "kill-before-send", email, "before-send");
  ASSERT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 0u);
  Recover(sender, rig.archive, outbox, "kill-before-send", email, SendOnceResult::kSent);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
  // A second restart (killed again before recording "sent") still sends nothing more.
  outbox.Record("kill-before-send", "sending");
  Recover(sender, rig.archive, outbox, "kill-before-send", email, SendOnceResult::kAlreadySent);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
  std::filesystem::remove_all(dir);
}

TEST(ExactlyOnceTest, LostAnswerThenResumeDoesNotSendTwice) {
  START_OR_SKIP(rig, StartArchiveRig());
  SmtpConfig config = rig.smtp_config;
  config.response_timeout = std::chrono::seconds(1);
  const SmtpSender sender = MakeSender(config);
  Email email = ChineseNotice("lost-answer");
  email.extra_headers["X-Test-Hang"] = "yes";
  SendDetails details;
  Result<SendOnceResult> first = SendOnce(sender, &rig.archive, email, false, &details);
  ASSERT_FALSE(first.ok());
  ASSERT_EQ(details.outcome, SendOutcome::kUnknown) << first.status().message();
  // The outbox keeps it in "sending" and resumes it (after a while, in real life).
  Result<SendOnceResult> again = SendOnce(sender, &rig.archive, email, true, &details);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, SendOnceResult::kAlreadySent);
  EXPECT_EQ(details.outcome, SendOutcome::kAccepted);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
}

TEST(ExactlyOnceTest, ResumingWithoutAWayToCheckSendsNothing) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  const Email email = ChineseNotice();
  Result<SendOnceResult> no_archive = SendOnce(sender, nullptr, email, true);
  EXPECT_EQ(no_archive.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no_archive.status().message().find("a person must look in the sent mail"),
            std::string::npos)
      << no_archive.status().message();
  ImapConfig unreachable;
  unreachable.url = "imap://127.0.0.1:1";
  unreachable.starttls_required = false;
  Result<SendOnceResult> down = SendOnce(sender, &unreachable, email, true);
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable) << down.status().message();
  EXPECT_NE(down.status().message().find("so it was not sent"), std::string::npos);
  EXPECT_TRUE(server->Messages().empty());
  // Not resuming: no check needed.
  Result<SendOnceResult> fresh = SendOnce(sender, nullptr, email, false);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(*fresh, SendOnceResult::kSent);
  EXPECT_EQ(server->Messages().size(), 1u);
}

}  // namespace
}  // namespace takedown::notify
