// The Store contract for what comes back after a notice and what the organisation chose, on
// SQLite and PostgreSQL alike: a reply is found by the notice's reply token or key and stored once
// per Message-ID, erased with its case; the reply poller's place in a mailbox is kept; settings
// are set and removed; a case keeps her choice to be named in notices.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

int64_t DraftNotice(Store& store, int64_t case_id, const std::string& key,
                    const std::string& token) {
  domain::Notice n;
  n.case_id = case_id;
  n.recipient = "hosting.example";
  n.channel = domain::ChannelKind::kEmail;
  n.idempotency_key = key;
  n.reply_token = token;
  n.created_at = kT0;
  auto id = store.CreateNotice(n, {0, case_id, "system", "notice.drafted", "{}", kT0});
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

TEST_P(StoreContract, RepliesAreFoundByTheNoticesTokenAndStoredOncePerMessage) {
  const int64_t id = Create(MakeCase("TD-REPL-0001", false, 1, {"https://a.example/1"}));
  const int64_t other = Create(MakeCase("TD-REPL-0002", false, 1));
  const int64_t notice = DraftNotice(*store_, id, "notice:1:a", "tok-AAAA");
  DraftNotice(*store_, other, "notice:2:b", "tok-BBBB");

  auto by_token = store_->FindNoticeByReplyToken("tok-AAAA");
  ASSERT_TRUE(by_token.ok()) << by_token.status().message();
  EXPECT_EQ(by_token->id, notice);
  EXPECT_EQ(by_token->reply_token, "tok-AAAA");
  EXPECT_EQ(store_->FindNoticeByKey("notice:1:a")->id, notice);
  EXPECT_EQ(store_->FindNoticeByReplyToken("tok-CCCC").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindNoticeByReplyToken("").status().code(), StatusCode::kNotFound)
      << "notices without a token are never found by an empty one";

  Reply reply{0, notice, 0, "<r1@platform.example>", "human", kT0 + 5, "sealed-1"};
  auto added = store_->AddReply(reply, Ev(id, "notice.reply"));
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_TRUE(*added);
  EXPECT_FALSE(*store_->AddReply(reply, Ev(id, "notice.reply"))) << "the same message twice";
  reply.message_id = "<r2@platform.example>";
  reply.kind = "auto_reply";
  reply.received_at = kT0 + 1;
  EXPECT_TRUE(*store_->AddReply(reply, Ev(id, "notice.reply")));
  reply.notice_id = notice + 100;
  EXPECT_EQ(store_->AddReply(reply, Ev(id, "notice.reply")).status().code(), StatusCode::kNotFound);

  const auto replies = *store_->ListReplies(id);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].message_id, "<r2@platform.example>") << "oldest first";
  EXPECT_EQ(replies[0].kind, "auto_reply");
  EXPECT_EQ(replies[1].ciphertext, "sealed-1");
  EXPECT_EQ(replies[1].case_id, id);
  EXPECT_TRUE(store_->ListReplies(other)->empty());

  ASSERT_TRUE(store_->EraseCase(id, Ev(id, "case.erased")).ok());
  EXPECT_TRUE(store_->ListReplies(id)->empty());
  EXPECT_EQ(store_->FindNoticeByReplyToken("tok-AAAA").status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, AnAddressCountsAsContactedOnceANoticeWentOutToIt) {
  const int64_t id = Create(MakeCase("TD-CONT-0001", false, 1));
  domain::Notice n;
  n.case_id = id;
  n.channel = domain::ChannelKind::kEmail;
  n.address = "abuse@hosting.example";
  n.created_at = kT0;
  const int64_t notice = *store_->CreateNotice(n, Ev(id, "notice.drafted"));
  EXPECT_EQ(*store_->CountNoticesOutTo("abuse@hosting.example"), 0) << "a draft is no contact";
  ASSERT_TRUE(store_
                  ->MoveNotice(notice, domain::NoticeState::kApproved, {kT0, "user:1", ""},
                               Ev(id, "notice.approved"))
                  .ok());
  ASSERT_TRUE(store_
                  ->MoveNotice(notice, domain::NoticeState::kSending, {kT0, "", ""},
                               Ev(id, "notice.sending"))
                  .ok());
  ASSERT_TRUE(
      store_->MoveNotice(notice, domain::NoticeState::kSent, {kT0, "", ""}, Ev(id, "notice.sent"))
          .ok());
  EXPECT_EQ(*store_->CountNoticesOutTo("abuse@hosting.example"), 1);
  EXPECT_EQ(*store_->CountNoticesOutTo("abuse@other.example"), 0);
}

TEST_P(StoreContract, TheReplyPollerKeepsItsPlaceInEachMailbox) {
  EXPECT_EQ(store_->GetMailboxCursor("imap://mail.example/INBOX")->last_uid, 0);
  ASSERT_TRUE(store_->PutMailboxCursor("imap://mail.example/INBOX", {7, 41}).ok());
  ASSERT_TRUE(store_->PutMailboxCursor("imap://mail.example/INBOX", {7, 42}).ok());
  const MailboxCursor cursor = *store_->GetMailboxCursor("imap://mail.example/INBOX");
  EXPECT_EQ(cursor.uidvalidity, 7);
  EXPECT_EQ(cursor.last_uid, 42);
  EXPECT_EQ(store_->GetMailboxCursor("imap://other.example/INBOX")->uidvalidity, 0);
}

TEST_P(StoreContract, SettingsAreSetChangedAndRemoved) {
  EXPECT_TRUE(store_->GetSettings()->empty());
  ASSERT_TRUE(store_->PutSetting("send_automatically", "true", Ev(std::nullopt, "settings")).ok());
  ASSERT_TRUE(store_->PutSetting("send_automatically", "false", Ev(std::nullopt, "settings")).ok());
  EXPECT_EQ(store_->GetSettings()->at("send_automatically"), "false");
  ASSERT_TRUE(store_->PutSetting("send_automatically", "", Ev(std::nullopt, "settings")).ok());
  EXPECT_TRUE(store_->GetSettings()->empty());
}

TEST_P(StoreContract, ACaseKeepsHerChoiceToBeNamedInNotices) {
  NewCase named = MakeCase("TD-NAME-0001", false, 1);
  named.named_in_notices = domain::NamedInNotices::kNameAndContact;
  named.name_ciphertext = "sealed-name";
  const int64_t yes = Create(named);
  const int64_t no = Create(MakeCase("TD-NAME-0002", false, 1));
  EXPECT_EQ(store_->GetCase(yes)->named_in_notices, domain::NamedInNotices::kNameAndContact);
  EXPECT_EQ(store_->GetCase(yes)->name_ciphertext, "sealed-name");
  EXPECT_EQ(store_->GetCase(no)->named_in_notices, domain::NamedInNotices::kNo);
  EXPECT_EQ(store_->GetCase(no)->name_ciphertext, "");
}

}  // namespace
}  // namespace takedown::store
