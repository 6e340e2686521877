// Meta's StopNCII client (python-threatexchange, from ../shared/peers, unchanged; what HMA runs)
// against the real server on SQLite and PostgreSQL: it pulls every page of the feed, gets all
// consenting cases' hashes and no other, sees an erasure as Withdrawn in the next delta, and its
// feedback shows on the case. Debian's python3 with python3-requests and python3-dacite runs it;
// where those are missing the test skips, except under CI=true, where it fails.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "api_fixture.h"

namespace takedown {
namespace {

// A distinct 64-hex PDQ for each n (never kPdqA's neighbourhood).
std::string Pdq(int n) {
  const std::string hex = std::to_string(n);
  return std::string(64 - hex.size(), 'c') + hex;
}
constexpr char kVideoMd5[] = "0123456789abcdef0123456789abcdef";

bool Required() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

using Value = std::pair<std::string, std::string>;  // (signalType, hashValue)

Value ValueOf(const json& record) {
  return {record["signalType"].get<std::string>(), record["hashValue"].get<std::string>()};
}

class StopnciiFeed : public Api {
 protected:
  // Runs tests/stopncii/hma_client.py with `args`; its JSON, or null when the client's
  // dependencies are missing (the caller skips or fails).
  json Client(const std::string& key, const std::vector<std::string>& args) {
    std::string command = std::string(TAKEDOWN_PYTHON) + " " + TAKEDOWN_HMA_CLIENT + " '" +
                          TAKEDOWN_PEERS_DIR +
                          "' 'http://127.0.0.1:" + std::to_string(server_->port()) +
                          "/api/v1/stopncii' '" + key + "'";
    for (const std::string& a : args) command += " '" + a + "'";
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    while (pipe && fgets(buffer, sizeof buffer, pipe)) out += buffer;
    const int status = pipe ? pclose(pipe) : -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
      missing_ = out;
      return nullptr;
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << "\n" << out;
    return json::parse(out, nullptr, false);
  }

  // A case with `pdqs` as images (and, when `video`, two frames of a video with its file's MD5
  // and one frame without); its code and PIN.
  std::pair<std::string, std::string> Report(bool consent, const std::vector<std::string>& pdqs,
                                             bool video = false) {
    json images = json::array();
    for (const std::string& p : pdqs) images.push_back({{"pdq", p}, {"quality", 90}});
    if (video) {
      images.push_back({{"pdq", Pdq(900)}, {"quality", 80}, {"kind", "video"}, {"md5", kVideoMd5}});
      images.push_back({{"pdq", Pdq(901)}, {"quality", 80}, {"kind", "video"}, {"md5", kVideoMd5}});
      images.push_back({{"pdq", Pdq(902)}, {"quality", 80}, {"kind", "video"}});
    }
    auto res = Post("/api/v1/intake", {{"images", images},
                                       {"jurisdiction", "HK"},
                                       {"language", "en"},
                                       {"consent_share", consent}});
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    const json body = json::parse(res->body);
    return {body["code"].get<std::string>(), body["pin"].get<std::string>()};
  }

  // The records of every page, in order.
  static std::vector<json> Records(const json& pulled) {
    std::vector<json> out;
    for (const json& page : pulled["pages"]) {
      EXPECT_EQ(page["count"], page["records"].size());
      for (const json& r : page["records"]) out.push_back(r);
    }
    return out;
  }

  // HMA's rule (impl/stop_ncii_api.py): a later record of the same (type, value) replaces the
  // earlier; one whose hashStatus is Withdrawn or Deleted deletes it.
  static void Apply(std::map<Value, json>& bank, const json& pulled) {
    for (const json& r : Records(pulled)) {
      const Value key = ValueOf(r);
      if (r["hashStatus"] == "Withdrawn" || r["hashStatus"] == "Deleted") {
        bank.erase(key);
      } else {
        bank[key] = r;
      }
    }
  }

  static std::set<Value> Keys(const std::map<Value, json>& bank) {
    std::set<Value> out;
    for (const auto& [key, record] : bank) out.insert(key);
    return out;
  }

  int64_t CaseId(const std::string& code, const Session& staff) {
    const json queue =
        json::parse(client_->Get(("/api/v1/cases?q=" + code).c_str(), Auth(staff))->body);
    EXPECT_EQ(queue["cases"].size(), 1u) << queue.dump();
    return queue["cases"][0]["id"];
  }

  std::string missing_;
};

TEST_P(StopnciiFeed, MetasClientPullsConsentingHashesSeesErasuresAndSendsFeedback) {
  const std::string key = PartnerKey({"hashes:read", "feedback"});
  std::set<Value> consenting;
  std::vector<std::pair<std::string, std::string>> shared_cases;
  for (int c = 0; c < 4; ++c) {
    shared_cases.push_back(Report(true, {Pdq(10 * c + 1), Pdq(10 * c + 2)}, c == 0));
    consenting.insert({"ImagePDQ", Pdq(10 * c + 1)});
    consenting.insert({"ImagePDQ", Pdq(10 * c + 2)});
  }
  consenting.insert({"VideoMD5", kVideoMd5});
  for (int c = 0; c < 3; ++c) Report(false, {Pdq(500 + 10 * c + 1), Pdq(500 + 10 * c + 2)});

  // Every page, two records at a time, from HMA's first start time.
  const json first = Client(key, {"pull", "10", "2"});
  if (first.is_null()) {
    if (Required()) FAIL() << "Meta's client cannot run (CI=true): " << missing_;
    GTEST_SKIP() << "install python3-requests and python3-dacite: " << missing_;
  }
  ASSERT_TRUE(first.contains("pages")) << first.dump();
  EXPECT_GE(first["pages"].size(), 5u);
  std::map<Value, json> bank;
  Apply(bank, first);
  EXPECT_EQ(Keys(bank), consenting);                    // 100% of the consenting hashes, 0 others
  EXPECT_EQ(Records(first).size(), consenting.size());  // each exactly once
  for (const auto& [value, record] : bank) {
    EXPECT_EQ(record["hashStatus"], "Active");
    EXPECT_EQ(record["caseNumbers"].size(), value.first == "VideoMD5" ? 2u : 1u) << record.dump();
  }
  // HMA's own call (fetch_hashes_iter, its page size) gets the same.
  std::map<Value, json> iterated;
  Apply(iterated, Client(key, {"iter", "10"}));
  EXPECT_EQ(Keys(iterated), consenting);

  // She erases her case; another survivor reports meanwhile. The next delta, from the last
  // page's checkpoint, withdraws the first and adds the second.
  AdvanceClock(60'000);
  const int64_t checkpoint = first["pages"].back()["nextSetTimestamp"];
  const auto& [erased_code, erased_pin] = shared_cases[1];
  ASSERT_EQ(
      client_->Delete("/api/v1/case", {{"Authorization", Basic(erased_code, erased_pin)}})->status,
      200);
  Report(true, {Pdq(77)});
  const json delta = Client(key, {"pull", std::to_string(checkpoint), "2"});
  std::set<Value> withdrawn;
  const std::vector<json> delta_records = Records(delta);
  for (const json& r : delta_records) {
    if (r["hashStatus"] == "Withdrawn") withdrawn.insert(ValueOf(r));
  }
  EXPECT_EQ(withdrawn, (std::set<Value>{{"ImagePDQ", Pdq(11)}, {"ImagePDQ", Pdq(12)}}));
  // What changed since the checkpoint's second (the delta starts at that second, inclusive).
  EXPECT_EQ(std::count_if(delta_records.begin(), delta_records.end(),
                          [&](const json& r) { return r["lastModtimestamp"] > checkpoint; }),
            3)
      << delta.dump();
  Apply(bank, delta);
  consenting.erase({"ImagePDQ", Pdq(11)});
  consenting.erase({"ImagePDQ", Pdq(12)});
  consenting.insert({"ImagePDQ", Pdq(77)});
  EXPECT_EQ(Keys(bank), consenting);

  // A partner reading from scratch now is not told the erased hashes at all.
  std::map<Value, json> fresh;
  const json scratch = Client(key, {"pull", "10", "3"});
  Apply(fresh, scratch);
  EXPECT_EQ(Keys(fresh), consenting);
  EXPECT_EQ(Records(scratch).size(), consenting.size());

  // Feedback on one of her hashes: on her case for the caseworker, in the totals, and back in
  // the partner's own next delta.
  AdvanceClock(60'000);
  const int64_t last = delta["pages"].back()["nextSetTimestamp"];
  const json sent = Client(key, {"feedback", "ImagePDQ", Pdq(31), "Blocked", "Nude"});
  EXPECT_EQ(sent["submitted"], true) << sent.dump();
  const Session staff = UserWithRole("carol", "caseworker");
  const int64_t case_id = CaseId(shared_cases[3].first, staff);
  const json detail = json::parse(
      client_->Get(("/api/v1/cases/" + std::to_string(case_id)).c_str(), Auth(staff))->body);
  ASSERT_EQ(detail["partner_feedback"].size(), 1u) << detail.dump();
  EXPECT_EQ(detail["partner_feedback"][0]["partner"], "Example Platform");
  EXPECT_EQ(detail["partner_feedback"][0]["value"], "Blocked");
  EXPECT_EQ(detail["partner_feedback"][0]["tags"], json::array({"Nude"}));
  EXPECT_EQ(detail["partner_feedback"][0]["hash_id"], detail["hashes"][0]["id"]);
  const json overview = json::parse(client_->Get("/api/v1/stats/overview", Auth(staff))->body);
  EXPECT_EQ(overview["partner_feedback"], json({{"Blocked", 1}})) << overview.dump();
  const json after = Client(key, {"pull", std::to_string(last), "50"});
  const auto records = Records(after);
  const auto with_feedback = std::find_if(records.begin(), records.end(),
                                          [](const json& r) { return r["hashValue"] == Pdq(31); });
  ASSERT_NE(with_feedback, records.end()) << after.dump();
  EXPECT_EQ((*with_feedback)["CSPFeedbacks"],
            json::parse(R"([{"source":"Example Platform","feedbackValue":"Blocked",)"
                        R"("tags":["Nude"]}])"));

  // Refusals the client sees as HTTP errors: feedback on a hash nobody shared, a hash upload, a
  // key that is not a partner's.
  EXPECT_EQ(Client(key, {"feedback", "ImagePDQ", Pdq(501), "Blocked"})["http_status"], 404);
  EXPECT_EQ(Client(key, {"feedback", "ImagePDQ", Pdq(11), "Blocked"})["http_status"], 404);
  const json upload = Client(key, {"submit", "ImagePDQ", Pdq(88)});
  EXPECT_EQ(upload["http_status"], 403);
  EXPECT_NE(upload["body"].get<std::string>().find("SubmitFeedback"), std::string::npos);
  EXPECT_EQ(Client("not-a-key", {"pull", "10", "2"})["http_status"], 401);
  const std::string match_only = PartnerKey({"match"});
  EXPECT_EQ(Client(match_only, {"pull", "10", "2"})["http_status"], 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, StopnciiFeed, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace takedown
