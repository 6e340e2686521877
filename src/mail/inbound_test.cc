#include "mail/inbound.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mail/mail_internal.h"
#include "mail/testing/imap_server.h"
#include "mail/testing/smtp_server.h"

namespace takedown::notify {
namespace {

using testing::ImapServer;
using testing::SmtpServer;

// Lines joined with CRLF, as on the wire.
std::string Mail(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (std::string_view line : lines) out.append(line).append("\r\n");
  return out;
}

InboundMessage Parse(const std::string& raw, size_t max_text = 64 * 1024) {
  Result<InboundMessage> m = ParseMessage(raw, max_text);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : InboundMessage{};
}

// ------------------------------------------------------------------------------------------
// Parsing

TEST(ParseMessageTest, PlainMessageGivesEveryField) {
  const InboundMessage m = Parse(Mail({
      "Delivered-To: Notice+ab12@reply.takedown.example.org",
      "From: \"Trust & Safety\" <abuse@platform.example>",
      "To: notice+ab12@reply.takedown.example.org, Casework <cases@ngo.example>",
      "Cc: legal@platform.example",
      "Subject: Re: Removal notice",
      "Date: Tue, 03 Mar 2026 10:15:00 +0800",
      "Message-ID: <r1@platform.example>",
      "In-Reply-To: <key-1@takedown.example.org> (our notice)",
      "References: <key-0@takedown.example.org>",
      "  <key-1@takedown.example.org>",
      "",
      "We have removed the content.",
  }));
  EXPECT_EQ(m.uid, 0u);
  EXPECT_EQ(m.message_id, "<r1@platform.example>");
  EXPECT_EQ(m.in_reply_to, "<key-1@takedown.example.org>");
  EXPECT_EQ(m.references, (std::vector<std::string>{"<key-0@takedown.example.org>",
                                                    "<key-1@takedown.example.org>"}));
  EXPECT_EQ(m.from_address, "abuse@platform.example");
  EXPECT_EQ(m.from_name, "Trust & Safety");
  EXPECT_EQ(m.recipients,
            (std::vector<std::string>{"notice+ab12@reply.takedown.example.org", "cases@ngo.example",
                                      "legal@platform.example"}));
  EXPECT_EQ(m.subject, "Re: Removal notice");
  EXPECT_EQ(m.date, 1772504100LL * 1000);
  EXPECT_EQ(m.text, "We have removed the content.\n");
  EXPECT_FALSE(m.truncated);
  EXPECT_EQ(m.kind, ReplyKind::kHuman);
  EXPECT_EQ(m.kind_reason, "");
}

TEST(ParseMessageTest, QuotedPrintableUtf8) {
  const InboundMessage m = Parse(Mail({
      "From: a@platform.example",
      "Subject: x",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Gr=C3=BC=C3=9Fe, der Inhalt wurde entfernt und ist nicht mehr abruf=",
      "bar.",
  }));
  EXPECT_EQ(m.text, "Grüße, der Inhalt wurde entfernt und ist nicht mehr abrufbar.\n");
}

TEST(ParseMessageTest, Base64Big5TraditionalChineseAndEncodedWords) {
  const InboundMessage m = Parse(Mail({
      "From: =?big5?B?pXjGV6WtpXimd6X+uc62pA==?= <safety@tw-platform.example>",
      "To: notice+ab12@reply.takedown.example.org",
      "Subject: =?UTF-8?B?5Zue6KaG77ya56e76Zmk6YCa55+lIFRELTIwMjYtMDA0Mg==?=",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=big5",
      "Content-Transfer-Encoding: base64",
      "",
      "sXqmbqFHCqfarcykd7K+sKO406S6rmWhQcHCwcKhQwo=",
  }));
  EXPECT_EQ(m.from_name, "台灣平台安全團隊");
  EXPECT_EQ(m.subject, "回覆：移除通知 TD-2026-0042");
  EXPECT_EQ(m.text, "您好：\n我們已移除該內容，謝謝。\n");
}

TEST(ParseMessageTest, AlternativePrefersPlainText) {
  const InboundMessage m = Parse(Mail({
      "From: a@platform.example",
      "Subject: x",
      "MIME-Version: 1.0",
      "Content-Type: multipart/alternative; boundary=b1",
      "",
      "--b1",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>the <b>HTML</b> one</p>",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "the plain one",
      "--b1--",
  }));
  EXPECT_EQ(m.text, "the plain one");
}

TEST(ParseMessageTest, HtmlOnlyIsReducedToText) {
  // The meta charset must not re-decode what GMime already made UTF-8.
  const InboundMessage m = Parse(Mail({
      "From: a@platform.example",
      "Subject: x",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<html><head><meta charset=\"big5\"><title>Ticket</title><style>p{color:red}</style>",
      "</head><body><p>We have   removed&nbsp;the content.</p><div>Ref&nbsp;#42 &amp; &#x5DF2;"
      "移除</div><script>alert(1)</script><ul><li>one</li><li>two<br>three</li></ul></body></html>",
  }));
  EXPECT_EQ(m.text, "We have removed the content.\nRef #42 & 已移除\none\ntwo\nthree");
}

TEST(ParseMessageTest, AttachmentsAndAttachedMessagesAreNotTheBody) {
  const InboundMessage m = Parse(Mail({
      "From: a@platform.example",
      "Subject: Fwd",
      "Content-Type: multipart/mixed; boundary=m",
      "",
      "--m",
      "Content-Type: text/plain",
      "Content-Disposition: attachment; filename=log.txt",
      "",
      "attached log",
      "--m",
      "Content-Type: message/rfc822",
      "",
      "From: b@x.example",
      "Subject: inner",
      "",
      "inner text",
      "--m",
      "Content-Type: text/html",
      "",
      "<p>outer</p>",
      "--m--",
  }));
  EXPECT_EQ(m.text, "outer");
  EXPECT_EQ(m.bounced_message_id, "") << "only a bounce says what it returns";
}

TEST(ParseMessageTest, TruncatesOnACharacterBoundary) {
  const std::string raw =
      Mail({"From: a@b.example", "Content-Type: text/plain; charset=utf-8", "", "aaaa中文"});
  InboundMessage m = Parse(raw, 6);  // "aaaa" + 2 of the 3 bytes of 中
  EXPECT_EQ(m.text, "aaaa");
  EXPECT_TRUE(m.truncated);
  m = Parse(raw, 7);
  EXPECT_EQ(m.text, "aaaa中");
  EXPECT_TRUE(m.truncated);
  m = Parse(raw, 1000);
  EXPECT_EQ(m.text, "aaaa中文\n");
  EXPECT_FALSE(m.truncated);
}

TEST(ParseMessageTest, UnknownCharsetAndBadBytesStillGiveUtf8) {
  const InboundMessage m =
      Parse(Mail({"From: a@b.example", "Subject: \xff\xfe caf\xe9",
                  "Content-Type: text/plain; charset=x-nonsense", "", "caf\xe9 \xff\x80"}));
  EXPECT_FALSE(m.text.empty());
  EXPECT_NE(m.subject.find("caf"), std::string::npos);
  EXPECT_TRUE(internal::IsUtf8(m.text));
  EXPECT_TRUE(internal::IsUtf8(m.subject));
}

TEST(ParseMessageTest, GarbageIsAnErrorNotACrash) {
  for (const std::string& garbage :
       {std::string(), std::string("hello world"), std::string("\0\x01\xff\xfe\r\n\r\n", 8),
        std::string(5000, '\n'), std::string("<html><body>no headers</body></html>")}) {
    Result<InboundMessage> m = ParseMessage(garbage);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find("not an email message"), std::string::npos);
  }
  // Deep nesting: GMime's own limit and the walk's keep the stack small.
  std::string deep = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
  for (int i = 1; i < 3000; ++i) {
    deep += "--b" + std::to_string(i - 1) + "\r\nContent-Type: multipart/mixed; boundary=b" +
            std::to_string(i) + "\r\n\r\n";
  }
  deep += "--b2999\r\nContent-Type: text/plain\r\n\r\ndeep\r\n";
  EXPECT_TRUE(ParseMessage(deep).ok());
}

TEST(ParseMessageTest, TooLargeIsRefusedBeforeParsing) {
  const std::string huge(10 * 1024 * 1024 + 1, 'a');
  Result<InboundMessage> m = ParseMessage(huge);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kTooLarge);
  EXPECT_FALSE(ParseMessage(Mail({"From: a@b.example", "", "12345"}), 100, 10).ok());
}

// ------------------------------------------------------------------------------------------
// Classification

TEST(ClassifyTest, GmailVacationResponder) {
  const InboundMessage m = Parse(Mail({
      "From: Support <support@platform.example>",
      "To: notice+ab12@reply.takedown.example.org",
      "Subject: Re: Removal notice TD-2026-0042",
      "Auto-Submitted: auto-replied",
      "Precedence: bulk",
      "X-Autoreply: yes",
      "",
      "I am away until Monday.",
  }));
  EXPECT_EQ(m.kind, ReplyKind::kAutoReply);
  EXPECT_EQ(m.kind_reason, "Auto-Submitted: auto-replied");
  EXPECT_EQ(ReplyKindName(m.kind), "auto_reply");
}

TEST(ClassifyTest, ExchangeAutomaticReply) {
  InboundMessage m = Parse(Mail({
      "From: abuse@platform.example",
      "Subject: Automatic reply: Removal notice TD-2026-0042",
      "X-MS-Exchange-Inbox-Rules-Loop: abuse@platform.example",
      "X-Auto-Response-Suppress: All",
      "",
      "Thank you. We are out of the office.",
  }));
  EXPECT_EQ(m.kind, ReplyKind::kAutoReply);
  EXPECT_EQ(m.kind_reason, "X-MS-Exchange-Inbox-Rules-Loop: abuse@platform.example");
  // An on-premises server that sets no header: the subject alone, in any of the languages.
  for (std::string_view subject : {"Automatic reply: Removal notice", "自動回覆：移除通知",
                                   "自动回复: 移除通知", "Balasan Automatik: Notis",
                                   "OUT OF OFFICE: back Monday", "Out of Office", "Auto: notice"}) {
    m = Parse(Mail({"From: a@platform.example", "Subject: " + std::string(subject), "", "x"}));
    EXPECT_EQ(m.kind, ReplyKind::kAutoReply) << subject;
    EXPECT_TRUE(m.kind_reason.starts_with("subject: ")) << m.kind_reason;
  }
  for (std::string_view subject : {"Automobile removal", "Out of Officers' reach",
                                   "Re: Automatic reply: notice", "RE: out of office hours"}) {
    m = Parse(Mail({"From: a@platform.example", "Subject: " + std::string(subject), "", "x"}));
    EXPECT_EQ(m.kind, ReplyKind::kHuman) << subject;
  }
}

TEST(ClassifyTest, DeliveryStatusNotificationIsABounce) {
  const InboundMessage m = Parse(Mail({
      "From: Mail Delivery System <MAILER-DAEMON@mx.platform.example>",
      "To: bounce+ab12@reply.takedown.example.org",
      "Subject: Undelivered Mail Returned to Sender",
      "Auto-Submitted: auto-replied",
      "MIME-Version: 1.0",
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r",
      "",
      "--r",
      "Content-Type: text/plain; charset=us-ascii",
      "",
      "I'm sorry to have to inform you that your message could not be delivered.",
      "--r",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.platform.example",
      "",
      "Final-Recipient: rfc822; abuse@platform.example",
      "Action: failed",
      "Status: 5.1.1",
      "--r",
      "Content-Type: message/rfc822",
      "",
      "From: notices@takedown.example.org",
      "Subject: Removal notice",
      "Message-ID: <key-1@takedown.example.org>",
      "",
      "Dear abuse team, please remove ... Automatic reply: quoted words do not matter.",
      "--r--",
  }));
  EXPECT_EQ(m.kind, ReplyKind::kBounce);
  EXPECT_EQ(m.kind_reason, "multipart/report delivery-status");
  EXPECT_EQ(m.bounced_message_id, "<key-1@takedown.example.org>");
  EXPECT_EQ(m.text, "I'm sorry to have to inform you that your message could not be delivered.");
}

TEST(ClassifyTest, PostmasterWithADeliveryStatusPartIsABounce) {
  const InboundMessage m = Parse(Mail({
      "From: postmaster@mx.platform.example",
      "Subject: Delivery failure",
      "Content-Type: multipart/mixed; boundary=r",
      "",
      "--r",
      "Content-Type: text/plain",
      "",
      "Delivery failed.",
      "--r",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.platform.example",
      "--r",
      "Content-Type: text/rfc822-headers",
      "",
      "From: notices@takedown.example.org",
      "Message-ID: <key-2@takedown.example.org>",
      "--r--",
  }));
  EXPECT_EQ(m.kind, ReplyKind::kBounce);
  EXPECT_EQ(m.kind_reason, "From postmaster@mx.platform.example with a delivery-status part");
  EXPECT_EQ(m.bounced_message_id, "<key-2@takedown.example.org>");
}

TEST(ClassifyTest, PlatformReplyQuotingOurNoticeStaysHuman) {
  // Helpdesk software: Precedence bulk and X-Auto-Response-Suppress on a reply a person wrote.
  const InboundMessage m = Parse(Mail({
      "From: Trust & Safety <tickets@platform.example>",
      "To: notice+ab12@reply.takedown.example.org",
      "Subject: RE: [Ticket #8812] Removal notice TD-2026-0042",
      "In-Reply-To: <key-1@takedown.example.org>",
      "Precedence: bulk",
      "X-Auto-Response-Suppress: All",
      "Auto-Submitted: no",
      "",
      "Hello, we have removed the content.",
      "",
      "> Automatic reply: Out of Office",
      "> Dear abuse team, please remove the images at https://platform.example/p/1",
  }));
  EXPECT_EQ(m.kind, ReplyKind::kHuman);
  EXPECT_EQ(m.kind_reason, "");
  EXPECT_EQ(ReplyKindName(m.kind), "human");
}

// ------------------------------------------------------------------------------------------
// ReplyToken

TEST(ReplyTokenTest, FindsTheNoticeAddress) {
  InboundMessage m;
  m.recipients = {"cases@ngo.example", "notice+ab_12-x@reply.takedown.example.org"};
  EXPECT_EQ(ReplyToken(m, "Reply.Takedown.Example.ORG"), "ab_12-x");
  EXPECT_EQ(ReplyToken(m, "other.example"), "");
  EXPECT_EQ(ReplyToken(m, ""), "");
  m.recipients = {"bounce+zz9@reply.takedown.example.org", "notice+ab@reply.takedown.example.org"};
  EXPECT_EQ(ReplyToken(m, "reply.takedown.example.org"), "zz9") << "the first one wins";
  m.recipients = {"notice+@reply.takedown.example.org", "notice+a.b@reply.takedown.example.org",
                  "notice+" + std::string(49, 'a') + "@reply.takedown.example.org",
                  "xnotice+ab@reply.takedown.example.org",
                  "notice+ab@sub.reply.takedown.example.org"};
  EXPECT_EQ(ReplyToken(m, "reply.takedown.example.org"), "");
  // Parsed recipients are lower-cased, the envelope's first.
  const InboundMessage parsed =
      Parse(Mail({"X-Original-To: Notice+AbC@Reply.Takedown.Example.org",
                  "To: notice+zzz@reply.takedown.example.org", "From: a@b.example", "", "x"}));
  EXPECT_EQ(ReplyToken(parsed, "reply.takedown.example.org"), "abc");
}

// ------------------------------------------------------------------------------------------
// FetchNewMessages against Dovecot

#define START_OR_SKIP(var, expr)                                           \
  auto var##_result = (expr);                                              \
  if (!var##_result.ok()) {                                                \
    if (SmtpServer::Required()) FAIL() << var##_result.status().message(); \
    GTEST_SKIP() << var##_result.status().message();                       \
  }                                                                        \
  auto var = std::move(var##_result.value())

ImapConfig ConfigFor(const ImapServer& server) {
  ImapConfig c;
  c.url = server.url();
  c.username = "replies";
  c.password = "reply-password";
  c.starttls_required = false;  // loopback
  c.connect_timeout = std::chrono::seconds(5);
  c.total_timeout = std::chrono::seconds(15);
  return c;
}

// Delivers like an MDA: written into tmp/, then renamed into new/.
void Deliver(const ImapServer& server, const std::string& raw) {
  static int counter = 0;
  const std::string name = "1772504100.M" + std::to_string(++counter) + "P" +
                           std::to_string(::getpid()) + ".takedown-test";
  const std::string tmp = server.maildir() + "/tmp/" + name;
  std::ofstream(tmp, std::ios::binary) << raw;
  std::filesystem::rename(tmp, server.maildir() + "/new/" + name);
}

std::string Numbered(int n, size_t body_bytes = 10) {
  return Mail({"From: abuse@platform.example", "To: notice+t" + std::to_string(n) + "@r.example",
               "Subject: reply " + std::to_string(n),
               "Message-ID: <m" + std::to_string(n) + "@platform.example>", "",
               std::string(body_bytes, 'x')});
}

std::set<std::string> Ids(const MailboxBatch& batch) {
  std::set<std::string> ids;
  for (const InboundMessage& m : batch.messages) ids.insert(m.message_id);
  return ids;
}

TEST(FetchNewMessagesTest, FetchesNewMessagesOnceReadOnly) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  const ImapConfig config = ConfigFor(*server);
  Result<MailboxBatch> empty = FetchNewMessages(config, 0, 0);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->messages.empty());
  EXPECT_NE(empty->uidvalidity, 0u);
  EXPECT_EQ(empty->last_uid, 0u);

  for (int n = 1; n <= 3; ++n) Deliver(*server, Numbered(n));
  Result<MailboxBatch> first = FetchNewMessages(config, empty->uidvalidity, 0);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(Ids(*first), (std::set<std::string>{"<m1@platform.example>", "<m2@platform.example>",
                                                "<m3@platform.example>"}));
  ASSERT_EQ(first->messages.size(), 3u);
  EXPECT_LT(first->messages[0].uid, first->messages[1].uid);
  EXPECT_LT(first->messages[1].uid, first->messages[2].uid);
  EXPECT_EQ(first->last_uid, first->messages[2].uid);
  EXPECT_EQ(first->messages[0].text, "xxxxxxxxxx\n");
  EXPECT_FALSE(first->more);
  EXPECT_TRUE(first->skipped.empty());

  for (int n = 4; n <= 5; ++n) Deliver(*server, Numbered(n));
  Result<MailboxBatch> second = FetchNewMessages(config, first->uidvalidity, first->last_uid);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(Ids(*second),
            (std::set<std::string>{"<m4@platform.example>", "<m5@platform.example>"}));
  Result<MailboxBatch> none = FetchNewMessages(config, second->uidvalidity, second->last_uid);
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_TRUE(none->messages.empty()) << "n:* names the last message too; it is filtered";
  EXPECT_EQ(none->last_uid, second->last_uid);

  // Nothing was marked \Seen: Maildir flags follow ":2," in the file names.
  for (const char* sub : {"/new", "/cur"}) {
    for (const auto& entry : std::filesystem::directory_iterator(server->maildir() + sub)) {
      const std::string name = entry.path().filename().string();
      const size_t info = name.find(":2,");
      EXPECT_TRUE(info == std::string::npos || name.find('S', info) == std::string::npos) << name;
    }
  }
}

TEST(FetchNewMessagesTest, BatchesAndUidValidityChange) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  const ImapConfig config = ConfigFor(*server);
  for (int n = 1; n <= 3; ++n) Deliver(*server, Numbered(n));
  Result<MailboxBatch> a = FetchNewMessages(config, 0, 0, /*max_messages=*/2);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->messages.size(), 2u);
  EXPECT_TRUE(a->more);
  Result<MailboxBatch> b = FetchNewMessages(config, a->uidvalidity, a->last_uid, 2);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(Ids(*b), (std::set<std::string>{"<m3@platform.example>"}));
  EXPECT_FALSE(b->more);
  // A UIDVALIDITY other than the one remembered: the old UIDs mean nothing, start again.
  Result<MailboxBatch> renumbered = FetchNewMessages(config, b->uidvalidity + 1, b->last_uid);
  ASSERT_TRUE(renumbered.ok()) << renumbered.status().message();
  EXPECT_EQ(renumbered->messages.size(), 3u);
  EXPECT_EQ(renumbered->uidvalidity, b->uidvalidity);
}

TEST(FetchNewMessagesTest, OversizeAndUnreadableMessagesAreSkippedWithAReason) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  const ImapConfig config = ConfigFor(*server);
  Deliver(*server, Numbered(1));
  Deliver(*server, Numbered(2, 300 * 1024));
  Deliver(*server, "just some bytes\r\n");
  Deliver(*server, Numbered(3));
  Result<MailboxBatch> batch = FetchNewMessages(config, 0, 0, 50, 100 * 1024);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_EQ(Ids(*batch), (std::set<std::string>{"<m1@platform.example>", "<m3@platform.example>"}));
  ASSERT_EQ(batch->skipped.size(), 2u);
  std::string skipped = batch->skipped[0] + "\n" + batch->skipped[1];
  EXPECT_NE(skipped.find("over the limit of 102400 bytes"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("not an email message"), std::string::npos) << skipped;
  EXPECT_EQ(skipped.rfind("uid ", 0), 0u) << skipped;
}

TEST(FetchNewMessagesTest, ErrorsSayWhatWentWrong) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  ImapConfig config = ConfigFor(*server);
  config.password = "wrong";
  Result<MailboxBatch> denied = FetchNewMessages(config, 0, 0);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied) << denied.status().message();

  config = ConfigFor(*server);
  config.mailbox = "Nonexistent";
  Result<MailboxBatch> missing = FetchNewMessages(config, 0, 0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().message();

  config = ConfigFor(*server);
  config.url = "imap://imap.example.org";
  EXPECT_EQ(FetchNewMessages(config, 0, 0).status().code(), StatusCode::kInvalidArgument)
      << "a password without TLS off loopback";
}

TEST(FetchNewMessagesTest, ClosedPortIsUnavailable) {
  // A bound socket that does not listen: connections to it are refused, and nobody can take it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  ImapConfig config;
  config.url = "imap://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  config.starttls_required = false;
  config.connect_timeout = std::chrono::seconds(5);
  Result<MailboxBatch> batch = FetchNewMessages(config, 0, 0);
  ::close(fd);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kUnavailable) << batch.status().message();
}

}  // namespace
}  // namespace takedown::notify
