// Replies over a real SQLite store with a scripted mailbox of real messages (parsed by
// notify::ParseMessage): a platform's answer to the per-notice address, a ticketing system's
// answer that only carries our Message-ID, an out-of-office reply and a bounce each reach their
// notice with the right kind, sealed; mail about nothing stays out; the reader keeps its place
// and reads every message once, and queues its next read, even when the mailbox is down.
#include "casework/replies.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "casework/actor.h"
#include "casework/drafting.h"
#include "store/store.h"

namespace takedown::casework {
namespace {

constexpr UnixMillis kT0 = 1'800'000'000'000;

class ScriptedMailbox : public Mailbox {
 public:
  std::string Name() const override { return "imap://mail.harbour.example/INBOX"; }
  Result<notify::MailboxBatch> Fetch(uint32_t uidvalidity, uint32_t after_uid) override {
    asked.push_back(after_uid);
    if (down) return Unavailable("mail.harbour.example: connection refused");
    notify::MailboxBatch batch;
    batch.uidvalidity = 9;
    batch.last_uid = after_uid;
    (void)uidvalidity;
    for (const auto& [uid, raw] : messages) {
      if (uid <= after_uid) continue;
      auto parsed = notify::ParseMessage(raw);
      EXPECT_TRUE(parsed.ok()) << parsed.status().message();
      parsed->uid = uid;
      batch.messages.push_back(*parsed);
      batch.last_uid = uid;
      if (batch.messages.size() == 2) {  // small batches: the reader must ask again
        batch.more = batch.last_uid < messages.rbegin()->first;
        break;
      }
    }
    return batch;
  }
  std::map<uint32_t, std::string> messages;
  std::vector<uint32_t> asked;
  bool down = false;
};

std::string Mail(const std::string& headers, const std::string& body) {
  return headers +
         "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
         body + "\r\n";
}

class Replies : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-replies-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto opened = store::Store::Open("sqlite:" + dir_ + "/db");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    store::NewCase c;
    c.code = "TD-REPL-0001";
    c.pin_hash = "$argon2id$pin";
    c.now = kT0;
    case_id_ = *store_->CreateCase(c);
    for (const char* key : {"notice:1:telegram:1", "notice:1:site:forum.example:2"}) {
      domain::Notice n;
      n.case_id = case_id_;
      n.channel = domain::ChannelKind::kEmail;
      n.idempotency_key = key;
      n.reply_token = std::string("tok") + std::to_string(notices_.size() + 1) + "abcdefghijkl";
      n.created_at = kT0;
      notices_.push_back(*store_->CreateNotice(n, {0, case_id_, "system", "x", "{}", kT0}));
    }
    reader_ = std::make_unique<ReplyReader>(
        *store_, clock_, sealer_, mailbox_,
        ReplySettings{"replies.harbour.example", "harbour.example", std::chrono::minutes(5)});
  }
  void TearDown() override {
    reader_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Status Read() {
    domain::Job job;
    job.kind = std::string(kReadRepliesJob);
    job.run_at = clock_.Now();
    return reader_->Handle(job);
  }

  std::string dir_;
  ManualClock clock_{kT0};
  secrets::Sealer sealer_ = secrets::Sealer::FromKey(std::string(32, 'r'));
  std::unique_ptr<store::Store> store_;
  ScriptedMailbox mailbox_;
  std::unique_ptr<ReplyReader> reader_;
  int64_t case_id_ = 0;
  std::vector<int64_t> notices_;
};

TEST_F(Replies, EachMessageReachesItsNoticeWithItsKindOnce) {
  mailbox_.messages[3] = Mail(
      "From: Telegram Abuse <abuse@telegram.org>\r\n"
      "To: notice+tok1abcdefghijkl@replies.harbour.example\r\n"
      "Subject: Re: Removal request\r\nMessage-ID: <a1@telegram.org>\r\n",
      "We have removed the content you reported.\r\n> Please remove ...");
  mailbox_.messages[4] = Mail(
      "From: Forum Support <support@forum.example>\r\n"
      "To: help@harbour.example\r\nSubject: [Ticket #88] Your report\r\n"
      "Message-ID: <t88@forum.example>\r\n"
      "In-Reply-To: <notice=3A1=3Asite=3Aforum=2Eexample=3A2@harbour.example>\r\n",
      "We are looking into it.");
  mailbox_.messages[7] = Mail(
      "From: Someone <someone@telegram.org>\r\n"
      "To: notice+tok1abcdefghijkl@replies.harbour.example\r\n"
      "Subject: Automatic reply: Removal request\r\nMessage-ID: <oof@telegram.org>\r\n"
      "Auto-Submitted: auto-replied\r\n",
      "I am out of the office until Monday.");
  mailbox_.messages[8] = Mail(
      "From: newsletter@shop.example\r\nTo: help@harbour.example\r\n"
      "Subject: Sale\r\nMessage-ID: <sale@shop.example>\r\n",
      "50% off");
  mailbox_.messages[9] =
      "From: MAILER-DAEMON@mx.harbour.example\r\n"
      "To: bounce+tok2abcdefghijkl@replies.harbour.example\r\n"
      "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b1@mx.harbour.example>\r\n"
      "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
      "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
      "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
      "Reporting-MTA: dns; mx.harbour.example\r\n\r\nFinal-Recipient: rfc822; "
      "abuse@forum.example\r\n"
      "Action: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n";

  ASSERT_TRUE(Read().ok());
  const auto replies = *store_->ListReplies(case_id_);
  ASSERT_EQ(replies.size(), 4u) << "the newsletter answers no notice";
  std::map<std::string, const store::Reply*> by_id;
  for (const auto& r : replies) by_id[r.message_id] = &r;
  ASSERT_TRUE(by_id.count("<a1@telegram.org>"));
  EXPECT_EQ(by_id["<a1@telegram.org>"]->notice_id, notices_[0]);
  EXPECT_EQ(by_id["<a1@telegram.org>"]->kind, "human");
  EXPECT_EQ(by_id["<a1@telegram.org>"]->ciphertext.find("removed"), std::string::npos)
      << "stored sealed";
  auto opened = OpenReply(sealer_, *by_id["<a1@telegram.org>"]);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->from, "Telegram Abuse <abuse@telegram.org>");
  EXPECT_NE(opened->text.find("We have removed the content"), std::string::npos);
  ASSERT_TRUE(by_id.count("<t88@forum.example>"));
  EXPECT_EQ(by_id["<t88@forum.example>"]->notice_id, notices_[1]) << "found by In-Reply-To";
  EXPECT_EQ(by_id["<oof@telegram.org>"]->kind, "auto_reply");
  ASSERT_TRUE(by_id.count("<b1@mx.harbour.example>"));
  EXPECT_EQ(by_id["<b1@mx.harbour.example>"]->kind, "bounce");
  EXPECT_EQ(by_id["<b1@mx.harbour.example>"]->notice_id, notices_[1]);

  const auto events = *store_->ListEvents(case_id_, 50);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const domain::Event& e) { return e.action == "notice.bounced"; }),
            1);
  EXPECT_EQ(store_->GetMailboxCursor(mailbox_.Name())->last_uid, 9);
  EXPECT_EQ(mailbox_.asked, (std::vector<uint32_t>{0, 4, 8})) << "batches until none is left";

  mailbox_.messages[10] = Mail(
      "From: abuse@telegram.org\r\nTo: notice+TOK1abcdefghijkl@replies.harbour.example\r\n"
      "Subject: Re: Removal request\r\nMessage-ID: <a2@telegram.org>\r\n",
      "Done.");
  clock_.Advance(5 * 60 * 1000);
  ASSERT_TRUE(Read().ok());
  EXPECT_EQ(mailbox_.asked.back(), 9u) << "only what is new";
  EXPECT_EQ(store_->ListReplies(case_id_)->size(), 5u) << "tokens match whatever their case";
}

// Issue 19, item 10: a reply whose bytes are not UTF-8 is kept, those bytes as U+FFFD.
TEST(SealedReply, BytesThatAreNotUtf8AreKeptAsReplacementCharacters) {
  const secrets::Sealer sealer = secrets::Sealer::FromKey(std::string(32, 'r'));
  store::Reply reply;
  reply.notice_id = 7;
  reply.ciphertext = SealReply(sealer, 7, {"abuse@host.example", "Re: \xff\xfe", "ok \xc3"});
  auto opened = OpenReply(sealer, reply);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->subject, "Re: \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(opened->text, "ok \xEF\xBF\xBD");
  EXPECT_EQ(opened->from, "abuse@host.example");
}

TEST_F(Replies, AMailboxThatCannotBeReadIsSaidAndTheNextReadIsQueued) {
  mailbox_.down = true;
  ASSERT_TRUE(Read().ok());
  const auto events = *store_->ListEvents(std::nullopt, 10);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().action, "replies.unreadable");
  EXPECT_NE(events.front().detail_json.find("connection refused"), std::string::npos);
  auto next = store_->ClaimJob({std::string(kReadRepliesJob)}, "test", clock_.Now() + 5 * 60 * 1000,
                               60'000);
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->has_value()) << "the next read is queued five minutes on";
  EXPECT_EQ((*next)->run_at, kT0 + 5 * 60 * 1000);
  EXPECT_EQ(
      store_->EnqueueJob(ReadRepliesJob(kT0 + 5 * 60 * 1000, std::chrono::minutes(5))).value(),
      (*next)->id)
      << "a second worker or a restart queues the same read once";
}

}  // namespace
}  // namespace takedown::casework
