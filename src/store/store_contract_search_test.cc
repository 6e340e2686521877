// The Store contract for searching the case queue (issue 20), on SQLite and PostgreSQL alike: by
// a case code from its start with or without "TD-", by a piece of a sighting's link, or by a
// platform; the search's own % and _ are taken literally; each case row names its assignee and
// its last activity, which reads of the case do not move.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

std::vector<std::string> Codes(Store& store, const std::string& search) {
  CaseFilter f;
  f.search = search;
  auto cases = store.ListCases(f);
  EXPECT_TRUE(cases.ok()) << cases.status().message();
  std::vector<std::string> codes;
  for (const auto& c : cases.ok() ? *cases : std::vector<CaseSummary>{}) codes.push_back(c.c.code);
  std::sort(codes.begin(), codes.end());
  return codes;
}

TEST_P(StoreContract, TheQueueIsSearchedByCodeLinkOrPlatform) {
  NewCase a = MakeCase("TD-ABCD-0001", false, 0, {"https://www.instagram.com/p/Xy_1/"});
  a.sightings[0].platform = "instagram";
  NewCase b = MakeCase("TD-EFGH-0002", false, 0, {"https://forum.example/t/100%25-leak"});
  b.sightings[0].platform = "";
  Create(a);
  Create(b);

  EXPECT_EQ(Codes(*store_, "TD-ABCD"), std::vector<std::string>{"TD-ABCD-0001"});
  EXPECT_EQ(Codes(*store_, "abcd"), std::vector<std::string>{"TD-ABCD-0001"}) << "without TD-";
  EXPECT_EQ(Codes(*store_, "efgh-0002"), std::vector<std::string>{"TD-EFGH-0002"});
  EXPECT_TRUE(Codes(*store_, "0001").empty()) << "a code is matched from its start";
  EXPECT_EQ(Codes(*store_, "instagram.com/p/xy"), std::vector<std::string>{"TD-ABCD-0001"})
      << "a piece of a link, in any case";
  EXPECT_EQ(Codes(*store_, "Instagram"), std::vector<std::string>{"TD-ABCD-0001"});
  EXPECT_EQ(Codes(*store_, "forum.example"), std::vector<std::string>{"TD-EFGH-0002"});
  EXPECT_EQ(Codes(*store_, "100%25"), std::vector<std::string>{"TD-EFGH-0002"});
  EXPECT_EQ(Codes(*store_, "xy_1"), std::vector<std::string>{"TD-ABCD-0001"});
  EXPECT_TRUE(Codes(*store_, "p/x_").empty()) << "_ is itself, not any character";
  EXPECT_TRUE(Codes(*store_, "p/x%1").empty()) << "% is itself, not any text";
  EXPECT_TRUE(Codes(*store_, "t/1_0").empty()) << "_ is itself, not any character";
  EXPECT_EQ(Codes(*store_, "").size(), 2u);
}

TEST_P(StoreContract, AQueueRowNamesItsAssigneeAndItsLastChange) {
  const int64_t user =
      *store_->CreateUser({0, "maria", "$argon2id$pw", domain::Role::kCaseworker, false, kT0});
  const int64_t id = Create(MakeCase("TD-LAST-0001", false, 1, {}, kT0));
  auto row = [&] { return store_->ListCases({})->at(0); };
  EXPECT_EQ(row().assignee, "");
  EXPECT_EQ(row().last_activity, kT0) << "reported, nothing since";

  ASSERT_TRUE(
      store_->AssignCase(id, user, Ev(id, "case.assigned", "{}", kT0 + kMillisPerHour)).ok());
  ASSERT_TRUE(
      store_->AppendEvent(Ev(id, std::string(kCaseReadAction), "{}", kT0 + 2 * kMillisPerHour))
          .ok());
  EXPECT_EQ(row().assignee, "maria");
  EXPECT_EQ(row().last_activity, kT0 + kMillisPerHour) << "reading a case is not activity";
}

}  // namespace
}  // namespace takedown::store
