// The Store contract for what admins change (issue 20), on SQLite and PostgreSQL alike: the
// organisation's profile is absent until saved, then replaced whole and audited; an account's
// role changes, but never so that no enabled admin is left; a draft is drafted again in place,
// a notice that went out never; a case's language changes.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

using domain::Role;

TEST_P(StoreContract, TheOrganisationProfileIsAbsentUntilSavedThenReplacedAndAudited) {
  auto none = store_->GetOrganisation();
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_FALSE(none->has_value());

  const OrganisationProfile first{
      "Harbour Support",         "help@harbour.example", "+852 0000", "1 Quay Road\nHong Kong",
      "https://harbour.example", "Maria Chan",           "Caseworker"};
  ASSERT_TRUE(store_->PutOrganisation(first, Ev(std::nullopt, "organisation.updated")).ok());
  EXPECT_EQ(store_->GetOrganisation()->value(), first);

  OrganisationProfile second = first;
  second.name = "Harbour Support Ltd";
  second.phone = "";
  ASSERT_TRUE(store_->PutOrganisation(second, Ev(std::nullopt, "organisation.updated")).ok());
  EXPECT_EQ(store_->GetOrganisation()->value(), second);

  const auto events = *store_->ListEvents(std::nullopt, 10);
  EXPECT_EQ(
      std::count_if(events.begin(), events.end(),
                    [](const domain::Event& e) { return e.action == "organisation.updated"; }),
      2);
}

TEST_P(StoreContract, ARoleChangesButTheLastEnabledAdminStays) {
  const int64_t amal = *store_->CreateUser({0, "amal", "$argon2id$a", Role::kAdmin, false, kT0});
  const int64_t ben = *store_->CreateUser({0, "ben", "$argon2id$b", Role::kCaseworker, false, kT0});

  EXPECT_EQ(store_->SetUserRole(amal, Role::kCaseworker, Ev(std::nullopt, "user.role")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetUser(amal)->role, Role::kAdmin);

  ASSERT_TRUE(store_->SetUserRole(ben, Role::kAdmin, Ev(std::nullopt, "user.role")).ok());
  ASSERT_TRUE(store_->SetUserRole(amal, Role::kReviewer, Ev(std::nullopt, "user.role")).ok());
  EXPECT_EQ(store_->GetUser(amal)->role, Role::kReviewer);

  // A disabled admin does not count: ben is the only one who can still sign in.
  ASSERT_TRUE(store_->SetUserRole(amal, Role::kAdmin, Ev(std::nullopt, "user.role")).ok());
  ASSERT_TRUE(store_->SetUserDisabled(amal, true, Ev(std::nullopt, "user.disabled")).ok());
  EXPECT_EQ(store_->SetUserRole(ben, Role::kReviewer, Ev(std::nullopt, "user.role")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->SetUserRole(999, Role::kAdmin, Ev(std::nullopt, "user.role")).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContract, ADraftIsDraftedAgainInPlaceButASentNoticeIsNot) {
  const int64_t id = Create(MakeCase("TD-REDR-0001", false, 1, {"https://a.example/1"}));
  const auto sightings = *store_->ListSightings(id);
  domain::Notice draft;
  draft.case_id = id;
  draft.sighting_ids = {sightings[0].id};
  draft.recipient = "example";
  draft.channel = domain::ChannelKind::kEmail;
  draft.legal_basis = "old basis";
  draft.sealed_text = "sealed:old";
  draft.idempotency_key = "notice:redraft";
  draft.missing = {"the organisation's name"};
  draft.created_at = kT0;
  const int64_t notice = *store_->CreateNotice(draft, Ev(id, "notice.drafted"));

  domain::Notice redrafted = draft;
  redrafted.sealed_text = "sealed:new";
  redrafted.legal_basis = "new basis";
  redrafted.language = "zh-Hant";
  redrafted.missing.clear();
  redrafted.deadline_hours = 24;
  ASSERT_TRUE(store_->RedraftNotice(notice, redrafted, Ev(id, "notice.redrafted")).ok());
  const domain::Notice now = *store_->GetNotice(notice);
  EXPECT_EQ(now.sealed_text, "sealed:new");
  EXPECT_EQ(now.legal_basis, "new basis");
  EXPECT_EQ(now.language, "zh-Hant");
  EXPECT_TRUE(now.missing.empty());
  EXPECT_EQ(now.deadline_hours, 24);
  EXPECT_EQ(now.sighting_ids, draft.sighting_ids);
  EXPECT_EQ(now.idempotency_key, draft.idempotency_key);
  EXPECT_EQ(store_->ListEvents(id, 1)->at(0).action, "notice.redrafted");

  ASSERT_TRUE(store_
                  ->MoveNotice(notice, domain::NoticeState::kApproved, {kT0, "maria", ""},
                               Ev(id, "notice.approved"))
                  .ok());
  EXPECT_EQ(store_->RedraftNotice(notice, draft, Ev(id, "notice.redrafted")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetNotice(notice)->sealed_text, "sealed:new");
  EXPECT_EQ(store_->RedraftNotice(notice + 100, draft, Ev(id, "notice.redrafted")).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContract, ACasesLanguageChangesWithAnEvent) {
  const int64_t id = Create(MakeCase("TD-LANG-0001", false, 0));
  ASSERT_TRUE(store_->SetCaseLanguage(id, "ms", Ev(id, "case.language")).ok());
  EXPECT_EQ(store_->GetCase(id)->language, "ms");
  EXPECT_EQ(store_->ListEvents(id, 1)->at(0).action, "case.language");
  EXPECT_EQ(store_->SetCaseLanguage(id + 100, "ms", Ev(id, "case.language")).code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace takedown::store
