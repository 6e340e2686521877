// The escalation ladder over a real SQLite store, the real notice library (data/) and scripted
// RDAP answers: a forum post still up after the deadline gets the platform again, then its
// hosting provider, then its registrar, then the regulator, as the platform data lists; a
// platform that hosts itself goes to the regulator, an unknown site to its host at once; a CDN in
// front takes the host's rung;
// a provider with no published address leaves the draft stuck with that said; a removed copy
// stops the ladder. Issue 17: a rung whose deadline passed is written to again every day while
// the next one opens beside it; an unknown site's host hears at once, beside its mailbox; a spent
// ladder is said on the case; a regulator's complaints about a case are folded into one while they
// wait for a person. Each test runs on SQLite and on PostgreSQL.
#include "casework/escalation.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "store/store.h"
#include "store/testing/postgres_cluster.h"

namespace takedown::casework {
namespace {

using domain::RecipientKind;
using domain::SightingState;
constexpr UnixMillis kT0 = 1'800'000'000'000;

class ScriptedFinder : public ContactFinder {
 public:
  Result<notify::HostContact> Host(const std::string& url) override {
    asked_hosts.push_back(url);
    return host;
  }
  Result<notify::RegistrarContact> Registrar(const std::string& domain) override {
    asked_domains.push_back(domain);
    return registrar;
  }
  Result<notify::HostContact> host = notify::HostContact{};
  Result<notify::RegistrarContact> registrar = notify::RegistrarContact{};
  std::vector<std::string> asked_hosts, asked_domains;
};

class Escalation : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-escalate-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    const std::string data = std::string(TAKEDOWN_SOURCE_DIR) + "/data";
    auto library = notify::NoticeLibrary::Load(data);
    ASSERT_TRUE(library.ok()) << library.status().message();
    library_ = std::make_unique<notify::NoticeLibrary>(std::move(*library));
    auto platforms = platforms::PlatformDirectory::Load(data + "/platforms.toml");
    ASSERT_TRUE(platforms.ok());
    platforms_ = std::make_unique<platforms::PlatformDirectory>(std::move(*platforms));
    std::string url = "sqlite:" + dir_ + "/db";
    if (GetParam() == "postgresql") {
      auto database = store::testing::PostgresCluster::Get().NewDatabase();
      if (!database.ok()) {
        if (store::testing::PostgresCluster::Required()) FAIL() << database.status().message();
        GTEST_SKIP() << database.status().message();
      }
      url = *database;
    }
    auto opened = store::Store::Open(url);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    setup_ = std::make_unique<NoticeSetup>(NoticeSetup{
        *library_,
        {"Harbour Support", "help@harbour.example", "", "", "", "Maria Chan", "Caseworker"},
        sealer_,
        *store_});

    worker_ = std::make_unique<EscalationWorker>(*store_, clock_, *platforms_, *setup_, finder_);
    // A forum post (the forum lists hosting, registrar and regulator as its rungs).
    first_ = FirstNoticeAbout("https://forum.lowyat.net/topic/12", "lowyat", "lowyat.net",
                              "abuse@lowyat.net");
  }
  // A case with one copy at `url`, whose first notice went to `platform` (or to the site, when
  // "") and whose deadline passed with the copy still up. Returns the notice; sets case_id_ and
  // sighting_.
  int64_t FirstNoticeAbout(const std::string& url, const std::string& platform,
                           const std::string& host, const std::string& address) {
    store::NewCase c;
    c.code = "TD-ESCA-" + std::to_string(1000 + ++cases_);
    c.pin_hash = "$argon2id$pin";
    c.jurisdiction = "EU";
    c.language = "en";
    c.authorised = true;
    c.now = kT0;
    domain::Sighting s;
    s.url = s.normalized_url = url;
    s.platform = platform;
    s.host = host;
    s.first_seen = kT0;
    c.sightings.push_back(s);
    case_id_ = *store_->CreateCase(c);
    sighting_ = (*store_->ListSightings(case_id_))[0].id;
    return SubmittedNoticeAbout(platform.empty() ? host : platform, address);
  }
  // A first notice about sighting_ to `recipient` at `address`, submitted at kT0, whose deadline
  // passed with the copy still up.
  int64_t SubmittedNoticeAbout(const std::string& recipient, const std::string& address) {
    domain::Notice n;
    n.case_id = case_id_;
    n.sighting_ids = {sighting_};
    n.recipient = recipient;
    n.channel = domain::ChannelKind::kEmail;
    n.address = address;
    n.deadline_hours = 72;
    n.created_at = kT0;
    const int64_t id = *store_->CreateNotice(n, Event("notice.drafted"));
    EXPECT_TRUE(store_
                    ->MoveNotice(id, domain::NoticeState::kSubmitted, {kT0, "", ""},
                                 Event("notice.submitted"))
                    .ok());
    EXPECT_TRUE(store_->TransitionSighting(sighting_, SightingState::kOverdue, Event("x")).ok());
    return id;
  }
  void TearDown() override {
    worker_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  domain::Event Event(const std::string& action) {
    return {0, case_id_, "user:1", action, "{}", clock_.Now()};
  }
  // Escalates `notice` and returns the draft it made (the case's newest notice).
  domain::Notice Escalate(int64_t notice) {
    domain::Job job;
    job.payload_json = "{\"notice\":" + std::to_string(notice) + "}";
    const Status s = worker_->Handle(job);
    EXPECT_TRUE(s.ok()) << s.message();
    return SealedNotices(*store_, sealer_).ListNotices(case_id_)->back();  // its words opened
  }
  int Notices() { return static_cast<int>(store_->ListNotices(case_id_)->size()); }
  // Marks a draft sent now and its copy overdue again, as its deadline check would.
  void SentAndOverdue(int64_t notice) {
    ASSERT_TRUE(store_
                    ->MoveNotice(notice, domain::NoticeState::kSubmitted, {clock_.Now(), "", ""},
                                 Event("notice.submitted"))
                    .ok());
    ASSERT_TRUE(store_->TransitionSighting(sighting_, SightingState::kOverdue, Event("x")).ok());
  }
  void KnownHost() {
    notify::HostContact host;
    host.network_name = "HostCo Networks";
    host.provider_domain = "hostco.example";
    host.abuse.email = "abuse@hostco.example";
    finder_.host = host;
  }

  std::string dir_;
  ManualClock clock_{kT0 + 80 * kMillisPerHour};
  std::unique_ptr<notify::NoticeLibrary> library_;
  std::unique_ptr<platforms::PlatformDirectory> platforms_;
  secrets::Sealer sealer_ = secrets::Sealer::FromKey(std::string(32, 'e'));
  std::unique_ptr<NoticeSetup> setup_;
  std::unique_ptr<store::Store> store_;
  ScriptedFinder finder_;
  std::unique_ptr<EscalationWorker> worker_;
  int64_t case_id_ = 0, sighting_ = 0, first_ = 0;
  int cases_ = 0;
};

TEST_P(Escalation, ClimbsFromThePlatformToItsHostItsRegistrarAndTheRegulator) {
  ASSERT_TRUE(store_
                  ->AddReply({0, first_, 0, "<oof@lowyat.net>", "auto_reply", kT0, "sealed"},
                             Event("notice.reply"))
                  .ok());
  const domain::Notice again = Escalate(first_);
  EXPECT_NE(again.body.find("auto-reply only; not removed by the deadline"), std::string::npos)
      << "the re-notice says what came of the first: " << again.body;
  EXPECT_EQ(again.rung, 1);
  EXPECT_EQ(again.recipient, "lowyat");
  EXPECT_EQ(again.address, "abuse@lowyat.net");
  EXPECT_EQ(again.state, domain::NoticeState::kDraft) << "a person approves every escalation";
  EXPECT_TRUE(again.missing.empty()) << again.missing.front();
  EXPECT_EQ(Escalate(first_).id, again.id) << "escalating the same notice twice drafts once";

  notify::HostContact host;
  host.network_name = "HostCo Networks";
  host.provider_domain = "hostco.example";
  host.abuse.email = "abuse@hostco.example";
  finder_.host = host;
  const domain::Notice to_host = Escalate(again.id);
  EXPECT_EQ(to_host.rung, 2);
  EXPECT_EQ(to_host.recipient_kind, RecipientKind::kHost);
  EXPECT_EQ(to_host.address, "abuse@hostco.example");
  EXPECT_EQ(finder_.asked_hosts, std::vector<std::string>{"https://forum.lowyat.net/topic/12"});
  EXPECT_NE(to_host.body.find("https://forum.lowyat.net/topic/12"), std::string::npos);

  notify::RegistrarContact registrar;
  registrar.registrar_name = "Example Registrar, Inc.";
  registrar.abuse.email = "abuse@registrar.example";
  finder_.registrar = registrar;
  const domain::Notice to_registrar = Escalate(to_host.id);
  EXPECT_EQ(to_registrar.rung, 3);
  EXPECT_EQ(to_registrar.recipient_kind, RecipientKind::kRegistrar);
  EXPECT_EQ(to_registrar.address, "abuse@registrar.example");
  EXPECT_EQ(finder_.asked_domains, std::vector<std::string>{"lowyat.net"});

  const domain::Notice to_regulator = Escalate(to_registrar.id);
  EXPECT_EQ(to_regulator.rung, 5);
  EXPECT_EQ(to_regulator.recipient_kind, RecipientKind::kRegulator);
  EXPECT_FALSE(to_regulator.address.empty());
  const int before = Notices();
  Escalate(to_regulator.id);
  EXPECT_EQ(Notices(), before) << "the regulator is the top of the ladder";
}

// Issue 17, item 2: the ladder from the platform data. Telegram hosts itself: after the platform
// twice, its data lists only the regulator.
TEST_P(Escalation, APlatformThatHostsItselfGoesFromItselfToTheRegulator) {
  const int64_t first =
      FirstNoticeAbout("https://t.me/leaks/12", "telegram", "t.me", "abuse@telegram.org");
  const domain::Notice again = Escalate(first);
  EXPECT_EQ(again.rung, 1);
  const domain::Notice to_regulator = Escalate(again.id);
  EXPECT_EQ(to_regulator.rung, 5);
  EXPECT_EQ(to_regulator.recipient_kind, RecipientKind::kRegulator);
  EXPECT_TRUE(finder_.asked_hosts.empty()) << "no host lookup for a platform that hosts itself";
  const int before = Notices();
  Escalate(to_regulator.id);
  EXPECT_EQ(Notices(), before);
}

// A site no platform entry knows ignored its abuse mailbox: its host next, not the mailbox again.
TEST_P(Escalation, AnUnknownSiteGoesFromItsMailboxStraightToItsHost) {
  const int64_t first =
      FirstNoticeAbout("https://leaks.example/p/9", "", "leaks.example", "abuse@leaks.example");
  notify::HostContact host;
  host.network_name = "HostCo Networks";
  host.provider_domain = "hostco.example";
  host.abuse.email = "abuse@hostco.example";
  finder_.host = host;
  const domain::Notice to_host = Escalate(first);
  EXPECT_EQ(to_host.rung, 2);
  EXPECT_EQ(to_host.recipient_kind, RecipientKind::kHost);
  EXPECT_EQ(to_host.address, "abuse@hostco.example");
}

TEST_P(Escalation, ACdnTakesTheHostsRungAndAMissingAddressIsSaid) {
  const domain::Notice again = Escalate(first_);
  notify::HostContact behind_cdn;
  behind_cdn.cdn = "cloudflare";
  behind_cdn.cdn_abuse.web_form = "https://abuse.cloudflare.com/";
  finder_.host = behind_cdn;
  const domain::Notice to_cdn = Escalate(again.id);
  EXPECT_EQ(to_cdn.rung, 4);
  EXPECT_EQ(to_cdn.recipient_kind, RecipientKind::kCdn);
  EXPECT_EQ(domain::ChannelKindName(to_cdn.channel), "web_form");
  EXPECT_EQ(to_cdn.address, "https://abuse.cloudflare.com/");

  finder_.registrar = NotFound("the registry has no record of lowyat.net");
  const domain::Notice stuck = Escalate(to_cdn.id);
  EXPECT_EQ(stuck.rung, 3);
  ASSERT_FALSE(stuck.missing.empty());
  EXPECT_NE(stuck.missing.back().find("no record of lowyat.net"), std::string::npos);
}

TEST_P(Escalation, ALookupThatCannotBeMadeNowIsRetriedAndARemovedCopyStopsTheLadder) {
  const domain::Notice again = Escalate(first_);
  finder_.host = Unavailable("rdap.example: timed out");
  domain::Job job;
  job.payload_json = "{\"notice\":" + std::to_string(again.id) + "}";
  EXPECT_EQ(worker_->Handle(job).code(), StatusCode::kUnavailable);
  EXPECT_EQ(Notices(), 2) << "no draft until the lookup answers";

  ASSERT_TRUE(store_->TransitionSighting(sighting_, SightingState::kRemoved, Event("x")).ok());
  EXPECT_TRUE(worker_->Handle(job).ok());
  EXPECT_EQ(Notices(), 2) << "nothing to escalate once it is gone";
}

TEST_P(Escalation, ARungPastItsDeadlineIsWrittenToAgainEveryDayBesideTheNextRung) {
  KnownHost();
  const domain::Notice again = Escalate(first_);
  SentAndOverdue(again.id);
  const domain::Notice to_host = Escalate(again.id);
  const int before_host = Notices();
  ASSERT_EQ(to_host.rung, 2);
  SentAndOverdue(to_host.id);

  // The host's deadline passes with the copy up: the host again, and the registrar beside it.
  const domain::Notice to_registrar = Escalate(to_host.id);
  EXPECT_EQ(to_registrar.rung, 3);
  EXPECT_EQ(Notices(), before_host + 2);
  const auto all = *SealedNotices(*store_, sealer_).ListNotices(case_id_);
  const auto found = std::find_if(all.begin(), all.end(), [&](const domain::Notice& n) {
    return n.rung == 2 && n.id != to_host.id;
  });
  ASSERT_NE(found, all.end());
  const domain::Notice& repeat = *found;
  EXPECT_EQ(repeat.address, "abuse@hostco.example");
  EXPECT_EQ(repeat.deadline_hours, 24) << "repeated every day";
  EXPECT_NE(repeat.body.find("not removed by the deadline"), std::string::npos)
      << "it cites the notices before it and what came of them: " << repeat.body;
  EXPECT_EQ(Escalate(to_host.id).id, to_registrar.id) << "its job run twice drafts nothing more";
  EXPECT_EQ(Notices(), before_host + 2);

  // The repeat's own day passes: the host once more, and no rung is opened by a repeat.
  SentAndOverdue(repeat.id);
  const domain::Notice again_to_host = Escalate(repeat.id);
  EXPECT_EQ(again_to_host.rung, 2);
  EXPECT_EQ(again_to_host.address, "abuse@hostco.example");
  EXPECT_EQ(Notices(), before_host + 3);
}

TEST_P(Escalation, AnUnknownSitesHostHearsBesideItsFirstNoticeAndTheLadderThenSkipsIt) {
  KnownHost();
  const int64_t first =
      FirstNoticeAbout("https://leaks.example/p/9", "", "leaks.example", "abuse@leaks.example");
  domain::Job beside;
  beside.payload_json = "{\"notice\":" + std::to_string(first) + ",\"beside\":true}";
  ASSERT_TRUE(worker_->Handle(beside).ok());
  const domain::Notice to_host = SealedNotices(*store_, sealer_).ListNotices(case_id_)->back();
  EXPECT_EQ(to_host.rung, 2);
  EXPECT_EQ(to_host.address, "abuse@hostco.example");
  EXPECT_EQ(Notices(), 2);

  // The mailbox's deadline passes: the mailbox again and, the host being open, the registrar.
  notify::RegistrarContact registrar;
  registrar.registrar_name = "Example Registrar, Inc.";
  registrar.abuse.email = "abuse@registrar.example";
  finder_.registrar = registrar;
  const domain::Notice next = Escalate(first);
  EXPECT_EQ(next.rung, 3) << "the host is not written to twice as a new rung";
  EXPECT_EQ(Notices(), 4) << "the registrar and the mailbox again";
}

TEST_P(Escalation, AnEveryRungSpentLadderIsSaidOnTheCase) {
  const int64_t first =
      FirstNoticeAbout("https://t.me/leaks/12", "telegram", "t.me", "abuse@telegram.org");
  const domain::Notice again = Escalate(first);
  SentAndOverdue(again.id);
  const domain::Notice to_regulator = Escalate(again.id);
  ASSERT_EQ(to_regulator.rung, 5);
  SentAndOverdue(to_regulator.id);
  const int before = Notices();
  Escalate(to_regulator.id);
  EXPECT_EQ(Notices(), before) << "a regulator's complaint is not repeated";
  auto events = store_->ListEvents(case_id_, 100);
  ASSERT_TRUE(events.ok());
  const bool said = std::any_of(events->begin(), events->end(), [](const domain::Event& e) {
    return e.action == "sighting.ladder_spent";
  });
  EXPECT_TRUE(said);
}

// Issue 17: a caseworker files one web form to the regulator for a case, not one per copy that
// reached the top. The second copy's complaint names both; the first's draft is cancelled.
TEST_P(Escalation, ComplaintsToTheRegulatorAboutACaseAreFoldedIntoOneWhileTheyWait) {
  const int64_t first =
      FirstNoticeAbout("https://t.me/leaks/12", "telegram", "t.me", "abuse@telegram.org");
  const int64_t one = sighting_;
  const domain::Notice again = Escalate(first);
  SentAndOverdue(again.id);
  const domain::Notice complaint = Escalate(again.id);
  ASSERT_EQ(complaint.rung, 5);
  ASSERT_EQ(complaint.state, domain::NoticeState::kDraft);

  domain::Sighting other;
  other.url = other.normalized_url = "https://t.me/leaks/13";
  other.platform = "telegram";
  other.host = "t.me";
  other.first_seen = kT0;
  auto added = store_->AddSightings(case_id_, {other}, "user:1", kT0);
  ASSERT_TRUE(added.ok()) << added.status().message();
  sighting_ = (*added)[0].sighting_id;
  const int64_t second = SubmittedNoticeAbout("telegram", "abuse@telegram.org");
  const domain::Notice second_again = Escalate(second);
  SentAndOverdue(second_again.id);
  const domain::Notice folded = Escalate(second_again.id);
  EXPECT_EQ(folded.rung, 5);
  EXPECT_EQ(folded.sighting_ids, (std::vector<int64_t>{one, sighting_}));
  EXPECT_NE(folded.body.find("https://t.me/leaks/12"), std::string::npos) << folded.body;
  EXPECT_NE(folded.body.find("https://t.me/leaks/13"), std::string::npos) << folded.body;
  EXPECT_EQ(store_->GetNotice(complaint.id)->state, domain::NoticeState::kCancelled)
      << "the first copy's complaint is folded into the case's one";
  auto events = store_->ListEvents(case_id_, 100);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(std::any_of(events->begin(), events->end(), [&](const domain::Event& e) {
    return e.action == "notice.cancelled" &&
           e.detail_json.find("\"folded_into\":" + std::to_string(folded.id)) != std::string::npos;
  })) << "the timeline says where it went";

  const int before = Notices();
  EXPECT_EQ(Escalate(second_again.id).id, folded.id) << "its job run twice drafts nothing more";
  EXPECT_EQ(Notices(), before);
  const auto all = *store_->ListNotices(case_id_);
  auto waiting = [&](int rung) {
    std::vector<domain::Notice> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const domain::Notice& n) {
      return n.rung == rung && n.state == domain::NoticeState::kDraft;
    });
    return out;
  };
  EXPECT_EQ(waiting(5).size(), 1u) << "one complaint waits for her";
  // Telegram hosts itself: its copies are de-listed when the regulator's rung opens, one request
  // per search engine for the case.
  ASSERT_EQ(waiting(6).size(), 2u);
  for (const domain::Notice& n : waiting(6)) {
    EXPECT_EQ(n.sighting_ids, (std::vector<int64_t>{one, sighting_})) << n.recipient;
  }
}

// Issue 17 item 4: a copy still up when its ladder reaches the regulator (its host and registrar
// let their deadlines pass) is asked off Google's and Bing's results through their forms for
// intimate images shared without consent (data/platforms.toml), tracked as submitted; the
// request's own deadline neither repeats it nor climbs.
TEST_P(Escalation, ACopyStillUpAtTheRegulatorsRungIsDelistedByTheSearchEnginesThatTakeSuchReports) {
  KnownHost();
  notify::RegistrarContact registrar;
  registrar.registrar_name = "Example Registrar, Inc.";
  registrar.abuse.email = "abuse@registrar.example";
  finder_.registrar = registrar;
  auto delisting = [&] {
    std::vector<domain::Notice> out;
    const auto all = SealedNotices(*store_, sealer_).ListNotices(case_id_);
    for (const domain::Notice& n : *all) {
      if (n.rung == 6) out.push_back(n);
    }
    return out;
  };
  const domain::Notice again = Escalate(first_);
  SentAndOverdue(again.id);
  const domain::Notice to_host = Escalate(again.id);
  SentAndOverdue(to_host.id);
  const domain::Notice to_registrar = Escalate(to_host.id);
  ASSERT_EQ(to_registrar.rung, 3);
  EXPECT_TRUE(delisting().empty()) << "not while the registrar still has time";
  SentAndOverdue(to_registrar.id);
  const domain::Notice complaint = Escalate(to_registrar.id);
  EXPECT_EQ(complaint.rung, 5);
  const std::vector<domain::Notice> asked = delisting();
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[0].recipient, "google_search");
  EXPECT_EQ(asked[0].address, "https://support.google.com/websearch/answer/6302812");
  EXPECT_EQ(asked[1].recipient, "bing");
  EXPECT_EQ(asked[1].address, "https://www.microsoft.com/en-us/concern/revengeporn");
  for (const domain::Notice& n : asked) {
    EXPECT_EQ(domain::ChannelKindName(n.channel), "web_form");
    EXPECT_EQ(n.state, domain::NoticeState::kDraft) << "a person fills in the form";
    EXPECT_NE(n.body.find("https://forum.lowyat.net/topic/12"), std::string::npos) << n.body;
  }

  SentAndOverdue(asked[0].id);
  EXPECT_EQ(store_->GetNotice(asked[0].id)->state, domain::NoticeState::kSubmitted);
  const int before = Notices();
  Escalate(asked[0].id);
  EXPECT_EQ(Notices(), before) << "a search engine answers through its form; no repeat";
  Escalate(to_registrar.id);
  EXPECT_EQ(Notices(), before) << "a submitted request is not drafted again for the copy";
}

INSTANTIATE_TEST_SUITE_P(Backends, Escalation, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace takedown::casework
