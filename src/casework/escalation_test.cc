// The escalation ladder over a real SQLite store, the real notice library (data/) and scripted
// RDAP answers: a Telegram post still up after the deadline gets the platform again, then its
// hosting provider, then its registrar, then the regulator; a CDN in front takes the host's rung;
// a provider with no published address leaves the draft stuck with that said; a removed copy
// stops the ladder.
#include "casework/escalation.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/store.h"

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

class Escalation : public ::testing::Test {
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
    setup_ = std::make_unique<NoticeSetup>(NoticeSetup{
        *library_,
        {"Harbour Support", "help@harbour.example", "", "", "", "Maria Chan", "Caseworker"},
        sealer_});
    auto opened = store::Store::Open("sqlite:" + dir_ + "/db");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);

    store::NewCase c;
    c.code = "TD-ESCA-0001";
    c.pin_hash = "$argon2id$pin";
    c.jurisdiction = "EU";
    c.language = "en";
    c.authorised = true;
    c.now = kT0;
    domain::Sighting s;
    s.url = s.normalized_url = "https://t.me/leaks/12";
    s.platform = "telegram";
    s.host = "t.me";
    s.first_seen = kT0;
    c.sightings.push_back(s);
    case_id_ = *store_->CreateCase(c);
    sighting_ = (*store_->ListSightings(case_id_))[0].id;
    worker_ = std::make_unique<EscalationWorker>(*store_, clock_, *platforms_, *setup_, finder_);

    // The first notice went to Telegram and its deadline passed with the post still up.
    domain::Notice n;
    n.case_id = case_id_;
    n.sighting_ids = {sighting_};
    n.recipient = "telegram";
    n.channel = domain::ChannelKind::kEmail;
    n.address = "abuse@telegram.org";
    n.deadline_hours = 72;
    n.created_at = kT0;
    first_ = *store_->CreateNotice(n, Event("notice.drafted"));
    ASSERT_TRUE(store_
                    ->MoveNotice(first_, domain::NoticeState::kSubmitted, {kT0, "", ""},
                                 Event("notice.submitted"))
                    .ok());
    ASSERT_TRUE(store_->TransitionSighting(sighting_, SightingState::kOverdue, Event("x")).ok());
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
};

TEST_F(Escalation, ClimbsFromThePlatformToItsHostItsRegistrarAndTheRegulator) {
  ASSERT_TRUE(store_
                  ->AddReply({0, first_, 0, "<oof@telegram.org>", "auto_reply", kT0, "sealed"},
                             Event("notice.reply"))
                  .ok());
  const domain::Notice again = Escalate(first_);
  EXPECT_NE(again.body.find("auto-reply only; not removed by the deadline"), std::string::npos)
      << "the re-notice says what came of the first: " << again.body;
  EXPECT_EQ(again.rung, 1);
  EXPECT_EQ(again.recipient, "telegram");
  EXPECT_EQ(again.address, "abuse@telegram.org");
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
  EXPECT_EQ(finder_.asked_hosts, std::vector<std::string>{"https://t.me/leaks/12"});
  EXPECT_NE(to_host.body.find("https://t.me/leaks/12"), std::string::npos);

  notify::RegistrarContact registrar;
  registrar.registrar_name = "Example Registrar, Inc.";
  registrar.abuse.email = "abuse@registrar.example";
  finder_.registrar = registrar;
  const domain::Notice to_registrar = Escalate(to_host.id);
  EXPECT_EQ(to_registrar.rung, 3);
  EXPECT_EQ(to_registrar.recipient_kind, RecipientKind::kRegistrar);
  EXPECT_EQ(to_registrar.address, "abuse@registrar.example");
  EXPECT_EQ(finder_.asked_domains, std::vector<std::string>{"t.me"});

  const domain::Notice to_regulator = Escalate(to_registrar.id);
  EXPECT_EQ(to_regulator.rung, 5);
  EXPECT_EQ(to_regulator.recipient_kind, RecipientKind::kRegulator);
  EXPECT_FALSE(to_regulator.address.empty());
  const int before = Notices();
  Escalate(to_regulator.id);
  EXPECT_EQ(Notices(), before) << "the regulator is the top of the ladder";
}

TEST_F(Escalation, ACdnTakesTheHostsRungAndAMissingAddressIsSaid) {
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

  finder_.registrar = NotFound("the registry has no record of t.me");
  const domain::Notice stuck = Escalate(to_cdn.id);
  EXPECT_EQ(stuck.rung, 3);
  ASSERT_FALSE(stuck.missing.empty());
  EXPECT_NE(stuck.missing.back().find("no record of t.me"), std::string::npos);
}

TEST_F(Escalation, ALookupThatCannotBeMadeNowIsRetriedAndARemovedCopyStopsTheLadder) {
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

}  // namespace
}  // namespace takedown::casework
