// libFuzzer target over ParseMessage: what a stranger's email goes through (GMime's parser,
// transfer encodings, charsets, encoded-words, the MIME walk, libxml2 on HTML, the classifier).
// Any crash, sanitizer report, leak or timeout is a bug; an error Status is a fine outcome.
// The results are checked too: every string valid UTF-8, the text within its cap, ids in angle
// brackets, a reason exactly when the kind is not human.
//
// With TAKEDOWN_WRITE_SEEDS=DIR in the environment it writes its seed messages into DIR and
// exits (the Makefile's fuzz target seeds the corpus that way).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "mail/inbound.h"
#include "mail/mail_internal.h"

namespace {

using namespace takedown;

constexpr size_t kMaxText = 256;  // small, so that the cut is reached often

constexpr std::string_view kSeeds[] = {
    "Delivered-To: notice+ab12@reply.example\r\nFrom: \"T & S\" <abuse@p.example>\r\n"
    "To: a@b.example, Group: c@d.example;\r\nSubject: =?UTF-8?B?5Zue6KaG77ya?= x\r\n"
    "Date: Tue, 03 Mar 2026 10:15:00 +0800\r\nMessage-ID: <r1@p.example>\r\n"
    "In-Reply-To: <k1@t.example>\r\nReferences: <k0@t.example> <k1@t.example>\r\n\r\nremoved\r\n",
    "From: =?big5?B?pXjGV6WtpXimd6X+uc62pA==?= <s@tw.example>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "sXqmbqFHCqfarcykd7K+sKO406S6rmWhQcHCwcKhQwo=\r\n",
    "From: a@p.example\r\nSubject: Automatic reply: x\r\nAuto-Submitted: auto-replied\r\n"
    "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
    "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    "<p>Gr=C3=BC=C3=9Fe&nbsp;&amp;<br><script>x</script><div>y</div>\r\n--b\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9\r\n--b--\r\n",
    "From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered\r\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\n"
    "Content-Type: text/plain\r\n\r\nfailed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.example\r\n\r\nAction: failed\r\n--r\r\n"
    "Content-Type: message/rfc822\r\n\r\nFrom: n@t.example\r\nMessage-ID: <k2@t.example>\r\n\r\n"
    "notice\r\n--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <k3@t.example>\r\n"
    "--r--\r\n",
    "From: postmaster@mx.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
    "--m\r\nContent-Type: text/html\r\n\r\n<table><tr><td>a<td>b</table>\r\n--m\r\n"
    "Content-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment\r\n"
    "Content-Transfer-Encoding: uuencode\r\n\r\nbegin 644 a.txt\r\n#86)C\r\n`\r\nend\r\n--m--\r\n",
    "From: a@p.example\r\nX-MS-Exchange-Inbox-Rules-Loop: a@p.example\r\nPrecedence: auto_reply\r\n"
    "Subject: =?gb2312?Q?=D7=D4=B6=AF=BB=D8=B8=B4?=\r\nContent-Type: text/plain; charset=gbk\r\n"
    "\r\n\xd7\xd4\xb6\xaf\r\n",
};

void WriteSeeds(const std::string& dir) {
  int n = 0;
  for (std::string_view seed : kSeeds) {
    std::ofstream(dir + "/seed-" + std::to_string(n++) + ".eml", std::ios::binary) << seed;
  }
}

bool Bracketed(const std::string& id) {
  return id.empty() || (id.size() > 2 && id.front() == '<' && id.back() == '>');
}

void Check(const notify::InboundMessage& m) {
  using notify::internal::IsUtf8;
  if (m.text.size() > kMaxText) __builtin_trap();
  for (const std::string* s : {&m.text, &m.subject, &m.from_name, &m.from_address, &m.message_id,
                               &m.in_reply_to, &m.kind_reason, &m.bounced_message_id}) {
    if (!IsUtf8(*s)) __builtin_trap();
  }
  for (const std::string& r : m.recipients) {
    if (!IsUtf8(r)) __builtin_trap();
  }
  if (!Bracketed(m.message_id) || !Bracketed(m.in_reply_to) || !Bracketed(m.bounced_message_id))
    __builtin_trap();
  for (const std::string& r : m.references) {
    if (r.empty() || !Bracketed(r)) __builtin_trap();
  }
  if ((m.kind == notify::ReplyKind::kHuman) != m.kind_reason.empty()) __builtin_trap();
  if (m.kind != notify::ReplyKind::kBounce && !m.bounced_message_id.empty()) __builtin_trap();
  (void)notify::ReplyToken(m, "reply.example");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("TAKEDOWN_WRITE_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Result<notify::InboundMessage> m = notify::ParseMessage(bytes, kMaxText, 1u << 20);
  if (m.ok()) Check(*m);
  return 0;
}
