// BuildMime and its checks, without a network: structure, encodings, folding, refusals.
#include <gtest/gtest.h>

#include <string>

#include "mail/mail.h"
#include "mail/testing/mime_decode.h"

namespace takedown::notify {
namespace {

using testing::Base64Decode;
using testing::DecodeHeader;
using testing::ParsedPart;
using testing::ParsePart;
using testing::QuotedPrintableDecode;
using testing::SplitMultipart;

// 2026-03-04 05:06:07 UTC.
constexpr UnixMillis kDate = 1772600767000;

const char kChineseSubject[] =
    "移除通知：未經同意散布的私密影像（案件 TD-2026-0042），請於四十八小時內處理";
const char kChineseText[] =
    "您好：\n\n我們代表受害者通知貴平台，下列網址含有未經同意散布的私密影像，依法請於四十八"
    "小時內移除。\n\nhttps://example.com/p/123\n\n謝謝。🙏\n";
const char kMalaySubject[] =
    "Notis penurunan kandungan: imej intim yang dikongsi tanpa kebenaran (kes TD-2026-0042)";
const char kMalayText[] =
    "Tuan/Puan,\n\nKami mewakili mangsa. Imej intim di alamat berikut telah dikongsi tanpa "
    "kebenaran dan hendaklah diturunkan dalam masa 48 jam.\n\nTerima kasih.\n";

Email Sample() {
  Email e;
  e.message_id = "<notice-42@takedown.example.org>";
  e.from_address = "notices@takedown.example.org";
  e.from_name = "Takedown casework";
  e.to = {"abuse@platform.example"};
  e.reply_to = "notice+r4nd0m@reply.takedown.example.org";
  e.subject = kChineseSubject;
  e.text = kChineseText;
  e.html = "<p>您好：</p><p>我們代表受害者通知貴平台。</p>";
  e.extra_headers["X-Takedown-Notice"] = "42";
  return e;
}

std::string Build(const Email& e) {
  Result<std::string> m = BuildMime(e, kDate);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : "";
}

// The body of a part, decoded by its Content-Transfer-Encoding, with CRLF made LF.
std::string DecodedBody(const ParsedPart& part) {
  const std::string cte = part.Header("Content-Transfer-Encoding");
  std::string decoded =
      cte == "base64" ? Base64Decode(part.body) : QuotedPrintableDecode(part.body);
  std::string out;
  for (size_t i = 0; i < decoded.size(); ++i) {
    if (decoded[i] == '\r' && i + 1 < decoded.size() && decoded[i + 1] == '\n') continue;
    out += decoded[i];
  }
  return out;
}

std::string BoundaryOf(const std::string& content_type) {
  const size_t at = content_type.find("boundary=\"");
  if (at == std::string::npos) return "";
  const size_t start = at + 10;
  return content_type.substr(start, content_type.find('"', start) - start);
}

TEST(MimeTest, EveryLineEndsWithCrlfAndStaysShort) {
  Email e = Sample();
  e.text = std::string(kMalayText) + std::string(300, 'x') + "\n" + std::string(200, 'y') + " \n";
  const std::string m = Build(e);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.substr(m.size() - 2), "\r\n");
  size_t start = 0;
  while (start < m.size()) {
    const size_t end = m.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "a line without CRLF at " << start;
    const std::string line = m.substr(start, end - start);
    EXPECT_EQ(line.find('\n'), std::string::npos) << "a bare LF in: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << "a bare CR in: " << line;
    EXPECT_LE(line.size(), 78u) << line;
    start = end + 2;
  }
}

TEST(MimeTest, HeadersAreThereOnceAndExact) {
  const ParsedPart msg = ParsePart(Build(Sample()));
  EXPECT_EQ(msg.Header("Date"), "Wed, 04 Mar 2026 05:06:07 +0000");
  EXPECT_EQ(msg.Header("From"), "Takedown casework <notices@takedown.example.org>");
  EXPECT_EQ(msg.Header("To"), "abuse@platform.example");
  EXPECT_EQ(msg.Header("Reply-To"), "notice+r4nd0m@reply.takedown.example.org");
  EXPECT_EQ(msg.Header("Message-ID"), "<notice-42@takedown.example.org>");
  EXPECT_EQ(msg.Header("MIME-Version"), "1.0");
  EXPECT_EQ(msg.Header("X-Takedown-Notice"), "42");
  for (const char* name : {"Date", "From", "To", "Subject", "Message-ID", "MIME-Version"}) {
    EXPECT_EQ(msg.Count(name), 1u) << name;
  }
  EXPECT_EQ(msg.Header("Cc"), "");
  EXPECT_EQ(msg.Header("Bcc"), "");
}

TEST(MimeTest, ChineseSubjectIsEncodedWordsOfWholeCharacters) {
  const ParsedPart msg = ParsePart(Build(Sample()));
  const std::string subject = msg.Header("Subject");
  EXPECT_EQ(subject.rfind("=?UTF-8?B?", 0), 0u) << subject;
  EXPECT_NE(subject.find("\r\n "), std::string::npos) << "a long subject is folded";
  EXPECT_EQ(DecodeHeader(subject), kChineseSubject);
  // Each encoded-word is at most 75 characters and decodes to whole UTF-8 characters.
  size_t at = 0;
  while ((at = subject.find("=?", at)) != std::string::npos) {
    const size_t end = subject.find("?=", at + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - at, 75u);
    const std::string bytes = Base64Decode(subject.substr(at + 10, end - at - 10));
    ASSERT_FALSE(bytes.empty());
    EXPECT_NE(static_cast<unsigned char>(bytes[0]) & 0xc0, 0x80) << "starts mid-character";
    const auto last_lead =
        bytes.find_last_not_of(std::string("\x80\x81\x82\x83\x84\x85\x86\x87"
                                           "\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f"
                                           "\x90\x91\x92\x93\x94\x95\x96\x97"
                                           "\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f"
                                           "\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7"
                                           "\xa8\xa9\xaa\xab\xac\xad\xae\xaf"
                                           "\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7"
                                           "\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf",
                                           64));
    const auto lead = static_cast<unsigned char>(bytes[last_lead]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    EXPECT_EQ(bytes.size() - last_lead, length) << "ends mid-character";
    at = end + 2;
  }
}

TEST(MimeTest, AsciiSubjectStaysReadableAndFolds) {
  Email e = Sample();
  e.subject = kMalaySubject;
  const ParsedPart msg = ParsePart(Build(e));
  const std::string subject = msg.Header("Subject");
  EXPECT_EQ(subject.find("=?"), std::string::npos) << subject;
  EXPECT_NE(subject.find("\r\n "), std::string::npos) << "folded at a space";
  EXPECT_EQ(DecodeHeader(subject), kMalaySubject);
}

TEST(MimeTest, MultipartAlternativeWithBothPartsDecodingToTheOriginals) {
  Email e = Sample();
  const ParsedPart msg = ParsePart(Build(e));
  const std::string type = msg.Header("Content-Type");
  EXPECT_EQ(type.rfind("multipart/alternative;", 0), 0u) << type;
  const std::string boundary = BoundaryOf(type);
  ASSERT_FALSE(boundary.empty());
  const std::vector<std::string> parts = SplitMultipart(msg.body, boundary);
  ASSERT_EQ(parts.size(), 2u);
  const ParsedPart text = ParsePart(parts[0]);
  const ParsedPart html = ParsePart(parts[1]);
  EXPECT_EQ(text.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(html.Header("Content-Type"), "text/html; charset=utf-8");
  // Chinese is mostly multi-byte: base64 is the shorter encoding.
  EXPECT_EQ(text.Header("Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(DecodedBody(text), kChineseText);
  EXPECT_EQ(DecodedBody(html), e.html);
}

TEST(MimeTest, MostlyAsciiTextIsQuotedPrintableAndSurvivesLongLinesAndEdges) {
  Email e = Sample();
  e.subject = kMalaySubject;
  e.html.clear();
  e.text = std::string(kMalayText) + std::string(500, 'k') + "\n" + ".titik di awal baris\n" +
           "From the start of a line\n" + "ruang di hujung   \n" + "tab\t\n" +
           "harga = RM 50 — “petikan” café\n" + "a=b\n";
  const ParsedPart msg = ParsePart(Build(e));
  EXPECT_EQ(msg.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(msg.Header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(DecodedBody(msg), e.text);
  // No encoded line starts with '.' or "From ", and none ends in white space.
  size_t start = 0;
  while (start < msg.body.size()) {
    size_t end = msg.body.find("\r\n", start);
    if (end == std::string::npos) end = msg.body.size();
    const std::string line = msg.body.substr(start, end - start);
    EXPECT_NE(line.rfind(".", 0), 0u) << line;
    EXPECT_NE(line.rfind("From ", 0), 0u) << line;
    if (!line.empty()) {
      EXPECT_NE(line.back(), ' ') << line;
      EXPECT_NE(line.back(), '\t') << line;
    }
    start = end + 2;
  }
}

TEST(MimeTest, LineEndsOfTheTextBecomeCrlf) {
  Email e = Sample();
  e.html.clear();
  e.text = "one\r\ntwo\rthree\nfour";
  const ParsedPart msg = ParsePart(Build(e));
  EXPECT_EQ(QuotedPrintableDecode(msg.body), "one\r\ntwo\r\nthree\r\nfour\r\n");
}

TEST(MimeTest, NonAsciiDisplayNameIsEncoded) {
  Email e = Sample();
  e.from_name = "Pasukan Takedown — 撤除小組";
  const ParsedPart msg = ParsePart(Build(e));
  const std::string from = msg.Header("From");
  EXPECT_EQ(from.rfind("=?UTF-8?B?", 0), 0u) << from;
  EXPECT_EQ(DecodeHeader(from), "Pasukan Takedown — 撤除小組 <notices@takedown.example.org>");
  e.from_name = "Takedown, casework \"team\"";
  EXPECT_EQ(ParsePart(Build(e)).Header("From"),
            "\"Takedown, casework \\\"team\\\"\" <notices@takedown.example.org>");
}

TEST(MimeTest, ManyRecipientsFoldAndCcIsWrittenButBccIsNot) {
  Email e = Sample();
  e.to = {"abuse@one.example", "legal@two.example", "trust-and-safety@three.example",
          "dmca@four.example"};
  e.cc = {"caseworker@takedown.example.org"};
  e.bcc = {"secret-archive@takedown.example.org"};
  const std::string m = Build(e);
  const ParsedPart msg = ParsePart(m);
  EXPECT_EQ(DecodeHeader(msg.Header("To")),
            "abuse@one.example, legal@two.example, trust-and-safety@three.example, "
            "dmca@four.example");
  EXPECT_NE(msg.Header("To").find("\r\n "), std::string::npos);
  EXPECT_EQ(msg.Header("Cc"), "caseworker@takedown.example.org");
  EXPECT_EQ(m.find("secret-archive"), std::string::npos);
}

TEST(MimeTest, FollowUpsCarryInReplyToAndReferences) {
  Email e = Sample();
  e.in_reply_to = "<notice-41@takedown.example.org>";
  const ParsedPart msg = ParsePart(Build(e));
  EXPECT_EQ(msg.Header("In-Reply-To"), "<notice-41@takedown.example.org>");
  EXPECT_EQ(msg.Header("References"), "<notice-41@takedown.example.org>");
}

TEST(MimeTest, DeterministicForTheSameEmailAndDate) {
  EXPECT_EQ(Build(Sample()), Build(Sample()));
  Email other = Sample();
  other.message_id = "<notice-43@takedown.example.org>";
  EXPECT_NE(BoundaryOf(ParsePart(Build(Sample())).Header("Content-Type")),
            BoundaryOf(ParsePart(Build(other)).Header("Content-Type")));
}

TEST(MimeTest, HeaderInjectionIsRefused) {
  const auto refused = [](const Email& e, const std::string& words) {
    Result<std::string> m = BuildMime(e, kDate);
    EXPECT_FALSE(m.ok());
    if (m.ok()) return;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find(words), std::string::npos) << m.status().message();
  };
  Email e = Sample();
  e.subject = "Notice\r\nBcc: victim@example.org";
  refused(e, "the subject contains a line break");
  e = Sample();
  e.subject = "Notice\nX-Evil: 1";
  refused(e, "the subject contains a line break");
  e = Sample();
  e.to = {"abuse@platform.example\r\nBcc: someone@example.org"};
  refused(e, "a To address contains a line break");
  e = Sample();
  e.reply_to = "a@b.example\nX: y";
  refused(e, "the Reply-To address contains a line break");
  e = Sample();
  e.from_name = "Takedown\r\nBcc: x@example.org";
  refused(e, "the From name contains a line break");
  e = Sample();
  e.extra_headers["X-Takedown-Notice"] = "42\r\nBcc: x@example.org";
  refused(e, "the header X-Takedown-Notice contains a line break");
  e = Sample();
  e.extra_headers["X-Evil\r\nBcc"] = "x";
  refused(e, "a header name contains a line break");
  e = Sample();
  e.message_id = "<a@b>\r\nBcc: x@example.org";
  refused(e, "the Message-ID contains a line break");
  e = Sample();
  e.extra_headers["Content-Type"] = "text/evil";
  refused(e, "cannot be set as an extra header");
  e = Sample();
  e.extra_headers["bcc"] = "x@example.org";
  refused(e, "cannot be set as an extra header");
}

TEST(MimeTest, AddressesAndIdsAreCheckedMinimally) {
  const auto code = [](const Email& e) { return BuildMime(e, kDate).status().code(); };
  for (const char* bad :
       {"", "no-at-sign", "@example.org", "a@", "a b@example.org", "a@exa mple.org",
        "<a@example.org>", "a@example..org", "a..b@example.org", "a@-example.org", "ü@example.org",
        "a@example.org, b@example.org", "\"quoted\"@example.org"}) {
    Email e = Sample();
    e.to = {bad};
    EXPECT_EQ(code(e), StatusCode::kInvalidArgument) << bad;
  }
  for (const char* good : {"abuse@platform.example", "first.last+tag@sub.example.co.uk",
                           "o'brien@example.ie", "x@localhost"}) {
    Email e = Sample();
    e.to = {good};
    EXPECT_EQ(code(e), StatusCode::kOk) << good;
  }
  Email e = Sample();
  e.to.clear();
  EXPECT_EQ(code(e), StatusCode::kInvalidArgument);
  e = Sample();
  e.text.clear();
  EXPECT_EQ(code(e), StatusCode::kInvalidArgument);
  e = Sample();
  e.subject = "bad \xff utf-8";
  EXPECT_EQ(code(e), StatusCode::kInvalidArgument);
  for (const char* bad : {"notice-42@example.org", "<notice-42>", "<a b@example.org>",
                          "<\"q\"@example.org>", "<@example.org>"}) {
    e = Sample();
    e.message_id = bad;
    EXPECT_EQ(code(e), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(MimeTest, MessageIdForKeyIsValidAndInjective) {
  Result<std::string> plain = MessageIdForKey("7f9c2ba4-e88f-4f2b", "notices@takedown.example.org");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "<7f9c2ba4-e88f-4f2b@takedown.example.org>");
  Result<std::string> odd = MessageIdForKey("case 42/notice:1 <x>", "n@takedown.example.org");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(*odd, "<case=2042=2Fnotice=3A1=20=3Cx=3E@takedown.example.org>");
  EXPECT_NE(*MessageIdForKey("a.b", "n@x.example"), *MessageIdForKey("a=2Eb", "n@x.example"));
  Email e = Sample();
  e.message_id = *odd;
  EXPECT_TRUE(BuildMime(e, kDate).ok());
  EXPECT_FALSE(MessageIdForKey("", "n@x.example").ok());
  EXPECT_FALSE(MessageIdForKey("k", "no-domain").ok());
}

TEST(MimeTest, AReplysInReplyToGivesBackTheKeyOfOurMessageId) {
  const std::string key = "notice:42:instagram:7-9";
  const std::string id = *MessageIdForKey(key, "notices@takedown.example.org");
  EXPECT_EQ(KeyForMessageId(id, "takedown.example.org"), key);
  EXPECT_EQ(KeyForMessageId(id, "TAKEDOWN.example.org"), key) << "domains compare without case";
  EXPECT_EQ(KeyForMessageId(id, "other.example"), std::nullopt) << "someone else's message";
  EXPECT_EQ(KeyForMessageId("<abc=4@takedown.example.org>", "takedown.example.org"), std::nullopt);
  EXPECT_EQ(KeyForMessageId("no-brackets@takedown.example.org", "takedown.example.org"),
            std::nullopt);
}

TEST(MimeTest, EncodeHeaderTextKeepsPlainAsciiAndEncodesTheRest) {
  EXPECT_EQ(EncodeHeaderText("Takedown notice", 9), "Takedown notice");
  EXPECT_EQ(EncodeHeaderText("=?not an encoded word?=", 9).rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(DecodeHeader(EncodeHeaderText("=?not an encoded word?=", 9)),
            "=?not an encoded word?=");
  const std::string emoji = "🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏";
  EXPECT_EQ(DecodeHeader(EncodeHeaderText(emoji, 9)), emoji);
}

}  // namespace
}  // namespace takedown::notify
