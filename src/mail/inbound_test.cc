// Tests of reading replies: messages parsed (MIME, charsets, encoded words, HTML-only bodies,
// attachments, limits), classified (auto-replies, bounces, human replies) and matched to a notice
// by their reply token. Reading the mailbox is tested in inbound_imap_test.cc.
#include "mail/inbound.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "mail/inbound_test_util.h"
#include "mail/mail_internal.h"

namespace takedown::notify {
namespace {

using namespace inbound_testing;  // NOLINT: messages written as lines

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

}  // namespace
}  // namespace takedown::notify
