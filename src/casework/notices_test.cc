// Notices as a caseworker and an admin meet them, over a real SQLite store and the real notice
// library (data/): her name (and contact) appear in a notice only when she chose so at intake;
// with "send automatically" on, a notice that lacks nothing goes out at once to an address that
// was written to before, while a first contact and every web form wait for a person; a notice
// whose sending gave up, or failed, can be sent again; a link pasted without a scheme is stored and
// quoted with https:// and never fails the case's other notices. Her words are sealed in the
// store, a reviewer sees them withheld everywhere, and every read of the case's notices is audited.
#include "casework/notices.h"

#include "casework/notices_fixture.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
using notices_testing::kT0;
using notices_testing::Notices;

TEST_F(Notices, HerNameAndContactAppearOnlyWhenSheChoseSo) {
  const int64_t anonymous = Report("https://t.me/leaks/1");
  const int64_t named = Report("https://t.me/leaks/2", domain::NamedInNotices::kName,
                               "Chan Tai Man", "chan@example.com");
  const int64_t reachable = Report("https://t.me/leaks/3", domain::NamedInNotices::kNameAndContact,
                                   "Lee Siu Ling", "+852 5555 0101");

  const domain::Notice a = Draft(anonymous);
  EXPECT_EQ(a.body.find("Tai Man"), std::string::npos);
  EXPECT_NE(a.body.find("Harbour Support"), std::string::npos) << "the organisation's name";

  const domain::Notice b = Draft(named);
  EXPECT_NE(b.body.find("Chan Tai Man"), std::string::npos) << b.body;
  EXPECT_EQ(b.body.find("chan@example.com"), std::string::npos)
      << "she chose her name only, not her contact";
  EXPECT_NE(b.html.find("Chan Tai Man"), std::string::npos);

  const domain::Notice c = Draft(reachable);
  EXPECT_NE(c.body.find("Lee Siu Ling"), std::string::npos);
  EXPECT_NE(c.body.find("+852 5555 0101"), std::string::npos);

  EXPECT_NE(b.reply_token, c.reply_token) << "each notice has its own reply address";
  EXPECT_EQ(b.reply_token.size(), 16u);
  EXPECT_EQ(b.reply_token.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos);
}

TEST_F(Notices, IntakeRefusesToNameHerWithoutAName) {
  IntakeRequest r;
  r.urls = {"https://t.me/leaks/1"};
  r.named_in_notices = domain::NamedInNotices::kName;
  EXPECT_EQ(survivors_->Intake(r, &next_).status().code(), StatusCode::kInvalidArgument);
  r.name = "Chan Tai Man";
  r.named_in_notices = domain::NamedInNotices::kNameAndContact;
  EXPECT_EQ(survivors_->Intake(r, &next_).status().code(), StatusCode::kInvalidArgument)
      << "her contact in notices needs her contact";
  r.contact = "lee@example.com";
  EXPECT_EQ(survivors_->Intake(r, &next_).status().code(), StatusCode::kInvalidArgument)
      << "the contact she gave the organisation is not a contact for notices";
}

// Issue 21: the contact she wrote for the organisation never goes into a notice; only the one
// she chose for notices does.
TEST_F(Notices, OnlyTheContactSheChoseForNoticesIsPrinted) {
  IntakeRequest r;
  r.urls = {"https://t.me/leaks/1"};
  r.jurisdiction = "US";
  r.language = "en";
  r.authorise = true;
  r.named_in_notices = domain::NamedInNotices::kNameAndContact;
  r.name = "Lee Siu Ling";
  r.contact = "call me at home after 6, 2345 6789";
  r.notice_contact = "lee.notices@example.com";
  auto receipt = survivors_->Intake(r, &next_);
  ASSERT_TRUE(receipt.ok()) << receipt.status().message();
  const domain::Notice n = Draft(receipt->case_id);
  EXPECT_NE(n.body.find("lee.notices@example.com"), std::string::npos) << n.body;
  EXPECT_EQ(n.body.find("2345 6789"), std::string::npos) << n.body;
  EXPECT_EQ(n.html.find("2345 6789"), std::string::npos);
}

TEST_F(Notices, SendingAutomaticallyWaitsForAPersonOnAFirstContactAndOnWebForms) {
  EXPECT_FALSE(notices_->GetSettings(caseworker_)->send_automatically);
  EXPECT_EQ(notices_->PutSettings(caseworker_, {true}).code(), StatusCode::kPermissionDenied);
  const domain::Notice before_setting = Draft(Report("https://t.me/leaks/1"));
  EXPECT_EQ(before_setting.state, NoticeState::kDraft) << "off by default";

  ASSERT_TRUE(notices_->PutSettings(admin_, {true}).ok());
  EXPECT_TRUE(notices_->GetSettings(caseworker_)->send_automatically);
  const domain::Notice first = Draft(Report("https://t.me/leaks/2"));
  EXPECT_EQ(first.state, NoticeState::kDraft) << "Telegram was never written to before";
  EXPECT_EQ(SendJobs(), 0);

  MarkSent(before_setting);
  const domain::Notice next = Draft(Report("https://t.me/leaks/3"));
  EXPECT_EQ(next.state, NoticeState::kApproved);
  EXPECT_EQ(next.approved_by, "system");
  EXPECT_EQ(SendJobs(), 1) << "queued for the outbox";

  const domain::Notice form = Draft(Report("https://www.instagram.com/p/abc/"));
  EXPECT_EQ(domain::ChannelKindName(form.channel), "web_form");
  EXPECT_EQ(form.state, NoticeState::kDraft) << "a web form is filled in by a person";

  ASSERT_TRUE(notices_->PutSettings(admin_, {false}).ok());
  EXPECT_EQ(Draft(Report("https://t.me/leaks/4")).state, NoticeState::kDraft);
}

// Issue 20: a link pasted without a scheme was stored as pasted, and drafting then failed for the
// whole case ("item 5's URL ... is not an http(s) URL") while the page showed it with https://.
TEST_F(Notices, ALinkWithoutASchemeIsStoredWithHttpsAndNeverBlocksTheOtherNotices) {
  IntakeRequest r;
  r.urls = {"www.instagram.com/p/C1a2B3c4D5e/", "https://t.me/leaks/1"};
  r.jurisdiction = "US";
  r.language = "en";
  r.authorise = true;
  auto receipt = survivors_->Intake(r, &next_);
  ASSERT_TRUE(receipt.ok()) << receipt.status().message();
  auto sightings = store_->ListSightings(receipt->case_id);
  ASSERT_TRUE(sightings.ok());
  ASSERT_EQ(sightings->size(), 2u);
  std::set<std::string> stored;
  for (const domain::Sighting& s : *sightings) stored.insert(s.url);
  EXPECT_EQ(stored.count("https://www.instagram.com/p/C1a2B3c4D5e/"), 1u)
      << "stored as shown, with its scheme";

  // One stored as pasted by an earlier version, beside a good one.
  domain::Sighting old;
  old.url = "www.instagram.com/p/OlderPaste/";
  old.normalized_url = "https://www.instagram.com/p/OlderPaste/";
  old.platform = "instagram";
  old.host = "instagram.com";
  old.first_seen = clock_.Now();
  old.evidence_json = "{}";
  ASSERT_TRUE(store_->AddSightings(receipt->case_id, {old}, "test", clock_.Now()).ok());

  auto drafts = notices_->DraftNotices(caseworker_, receipt->case_id, {});
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  std::map<std::string, std::string> bodies;
  for (const domain::Notice& n : *drafts) bodies[n.recipient] = n.body;
  ASSERT_EQ(bodies.size(), 2u) << "one notice to Instagram, one to Telegram";
  EXPECT_NE(bodies["instagram"].find("https://www.instagram.com/p/C1a2B3c4D5e/"), std::string::npos)
      << bodies["instagram"];
  EXPECT_NE(bodies["instagram"].find("https://www.instagram.com/p/OlderPaste/"), std::string::npos)
      << "the older link is quoted in its https form";
  EXPECT_NE(bodies["telegram"].find("https://t.me/leaks/1"), std::string::npos);
}

TEST_F(Notices, ANoticeWhoseSendingGaveUpOrFailedIsSentAgain) {
  const domain::Notice n = Draft(Report("https://t.me/leaks/1"));
  EXPECT_EQ(notices_->SendNoticeAgain(caseworker_, n.id).code(), StatusCode::kFailedPrecondition)
      << "a draft is approved, not sent again";
  ASSERT_TRUE(notices_->ApproveNotice(caseworker_, n.id).ok());
  EXPECT_EQ(SendJobs(), 1);
  // Every retry of that job failed (the relay was down for hours): the notice stays approved
  // with no job left.
  ASSERT_TRUE(notices_->SendNoticeAgain(caseworker_, n.id).ok());
  EXPECT_EQ(SendJobs(), 1);

  const domain::Event e{0, n.case_id, "system", "x", "{}", kT0};
  ASSERT_TRUE(store_->MoveNotice(n.id, NoticeState::kSending, {kT0, "", ""}, e).ok());
  ASSERT_TRUE(
      store_->MoveNotice(n.id, NoticeState::kFailed, {kT0, "", "550 no such user"}, e).ok());
  clock_.Advance(1000);
  ASSERT_TRUE(notices_->SendNoticeAgain(caseworker_, n.id).ok());
  EXPECT_EQ(store_->GetNotice(n.id)->state, NoticeState::kApproved);
  EXPECT_EQ(store_->GetNotice(n.id)->approved_by, "user:2");
  EXPECT_EQ(SendJobs(), 1);
  EXPECT_EQ(
      notices_->SendNoticeAgain(Actor{Actor::Kind::kUser, 3, domain::Role::kReviewer, {}}, n.id)
          .code(),
      StatusCode::kPermissionDenied);
}

// Issue 19, item 4: what the store keeps of a notice that names her is sealed; the caseworker and
// the courier read it opened.
TEST_F(Notices, TheStoreKeepsANoticeThatNamesHerOnlySealed) {
  const int64_t id = Report("https://t.me/leaks/1", domain::NamedInNotices::kNameAndContact,
                            "Lee Siu Ling", "lee.siu.ling@example.com");
  const domain::Notice drafted = Draft(id);
  EXPECT_NE(drafted.body.find("Lee Siu Ling"), std::string::npos) << "the draft shown is opened";

  auto stored = store_->GetNotice(drafted.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->subject + stored->body + stored->html, "");
  EXPECT_FALSE(stored->sealed_text.empty());
  EXPECT_EQ(stored->sealed_text.find("Lee Siu Ling"), std::string::npos);

  auto read = notices_->GetNotice(caseworker_, drafted.id);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->body, drafted.body);
  EXPECT_EQ(read->html, drafted.html);
  EXPECT_EQ(read->subject, drafted.subject);
  EXPECT_NE(read->html.find("lee.siu.ling@example.com"), std::string::npos);
  EXPECT_EQ(*SealStoredNotices(*store_, sealer_), 0) << "nothing left in plain text";

  // Another server's key cannot read it, and says so rather than send the wrong words.
  const secrets::Sealer other = secrets::Sealer::FromKey(std::string(32, 'x'));
  EXPECT_EQ(SealedNotices(*store_, other).GetNotice(drafted.id).status().code(),
            StatusCode::kCorrupt);
}

// Issue 19, item 6: a reviewer reads every notice, reply and dossier with her name and contact
// withheld; a caseworker reads them whole.
TEST_F(Notices, AReviewerSeesHerNameAndContactWithheldEverywhere) {
  const std::string name = "Lee Siu Ling", contact = "Flat 3 <B>, lee@example.com";
  const int64_t id =
      Report("https://t.me/leaks/1", domain::NamedInNotices::kNameAndContact, name, contact);
  const domain::Notice drafted = Draft(id);
  MarkSent(drafted);
  store::Reply reply;
  reply.notice_id = drafted.id;
  reply.case_id = id;
  reply.message_id = "<r1@telegram.org>";
  reply.kind = "human";
  reply.received_at = kT0;
  reply.ciphertext = SealReply(sealer_, drafted.id,
                               {"abuse@telegram.org", "Re: " + drafted.subject,
                                "Removed. You wrote: The person depicted, " + name + "."});
  ASSERT_TRUE(store_->AddReply(reply, {0, id, "system", "notice.reply", "{}", kT0}).ok());

  const auto everything = [&](const Actor& who) {
    std::string all;
    auto one = notices_->GetNotice(who, drafted.id);
    auto list = notices_->CaseNotices(who, id);
    auto replies = notices_->CaseReplies(who, id);
    auto dossier = notices_->Dossier(who, id, "");
    EXPECT_TRUE(one.ok() && list.ok() && replies.ok() && dossier.ok());
    if (!one.ok() || !list.ok() || !replies.ok() || !dossier.ok()) return all;
    all += one->subject + one->body + one->html;
    for (const auto& n : *list) all += n.subject + n.body + n.html;
    for (const auto& r : *replies) all += r.from + r.subject + r.text;
    return all + dossier->html + dossier->text;
  };
  const std::string reviewed = everything(reviewer_);
  EXPECT_EQ(reviewed.find("Siu Ling"), std::string::npos) << reviewed;
  EXPECT_EQ(reviewed.find("lee@example.com"), std::string::npos);
  EXPECT_EQ(reviewed.find("Flat 3"), std::string::npos);
  EXPECT_NE(reviewed.find("[withheld]"), std::string::npos);
  EXPECT_NE(reviewed.find("https://t.me/leaks/1"), std::string::npos) << "the rest is all there";

  const std::string worked = everything(caseworker_);
  EXPECT_NE(worked.find(name), std::string::npos);
  EXPECT_NE(worked.find("lee@example.com"), std::string::npos);
  EXPECT_EQ(worked.find("[withheld]"), std::string::npos);
}

// Issue 19, item 5: reading a case's notices or replies is a read of the case, audited before the
// answer, for reviewers too.
TEST_F(Notices, ReadingTheCasesNoticesAndRepliesIsAudited) {
  const int64_t id = Report("https://t.me/leaks/1");
  const domain::Notice drafted = Draft(id);
  const auto reads = [&] {
    auto events = store_->ListEvents(id, 1000);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return -1;
    return static_cast<int>(
        std::count_if(events->begin(), events->end(),
                      [](const domain::Event& e) { return e.action == "case.read"; }));
  };
  ASSERT_EQ(reads(), 0);
  ASSERT_TRUE(notices_->GetNotice(reviewer_, drafted.id).ok());
  ASSERT_TRUE(notices_->CaseNotices(caseworker_, id).ok());
  ASSERT_TRUE(notices_->CaseReplies(caseworker_, id).ok());
  EXPECT_EQ(reads(), 3);
  auto last = store_->ListEvents(id, 1);
  ASSERT_TRUE(last.ok() && last->size() == 1u);
  EXPECT_EQ(last->front().actor, "user:2");
  EXPECT_EQ(last->front().detail_json, R"({"what":"replies"})");
  EXPECT_EQ(notices_->CaseNotices(caseworker_, id + 100).status().code(), StatusCode::kNotFound);
}

// A notice drafted in plain text before the upgrade (migration 0007) is sealed at start and reads
// the same afterwards.
TEST_F(Notices, ANoticeDraftedBeforeSealingIsSealedAtStartAndReadsTheSame) {
  const int64_t id = Report("https://t.me/leaks/1");
  auto db = store::SqliteDatabase::Open(dir_ + "/db");
  ASSERT_TRUE(db.ok()) << db.status().message();
  const Status inserted = (*db)->Transact(store::TxMode::kWrite, [&](store::Tx& tx) {
    tx.Query(
        "INSERT INTO notices (case_id, recipient_kind, recipient, channel, legal_basis, body, "
        "idempotency_key, created_at, outcome, state, subject, html) VALUES ($1, 'platform', "
        "'telegram', 'email', 'b', 'Lee Siu Ling asks', 'old-1', 1, '', 'draft', "
        "'For Lee Siu Ling', '<p>Lee Siu Ling</p>')",
        {id});
    return Status::Ok();
  });
  ASSERT_TRUE(inserted.ok()) << inserted.message();

  EXPECT_EQ(*SealStoredNotices(*store_, sealer_), 1);
  EXPECT_EQ(*SealStoredNotices(*store_, sealer_), 0) << "once";
  const domain::Notice stored = store_->ListNotices(id)->front();
  EXPECT_EQ(stored.subject + stored.body + stored.html, "");
  auto read = notices_->GetNotice(caseworker_, stored.id);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->subject, "For Lee Siu Ling");
  EXPECT_EQ(read->body, "Lee Siu Ling asks");
  EXPECT_EQ(read->html, "<p>Lee Siu Ling</p>");
}

}  // namespace
}  // namespace takedown::casework
