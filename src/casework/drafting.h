// Internal to casework/: what drafting a notice and escalating one share (notices.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casework/notice_setup.h"
#include "casework/notices.h"
#include "domain/entities.h"
#include "notices/render.h"
#include "platforms/platforms.h"
#include "secrets/secrets.h"
#include "store/account_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"

namespace takedown::casework {

// Her name (and contact) when she chose to be named in notices and the key opens them.
std::optional<notify::Survivor> SurvivorOf(const domain::Case& c, const NoticeSetup& setup);

// What a notice may say of the sighting: it matched her hashes, she reported it, a caseworker
// confirmed it, or nobody has checked it.
notify::Evidence EvidenceOf(const domain::Sighting& s);
// Whether a notice may name the sighting: a repost a caseworker confirmed, and never a link
// nobody has checked (issue 21).
bool Nameable(const domain::Sighting& s);

// One evidence item of a sighting, from what discovery recorded (never the image).
notify::Item ItemOf(const domain::Sighting& s);

// Where a notice to the platform about a person of age `age` goes: its first email channel, else
// its notice API, else its first web form; of its child-safety channels when she was a minor and
// the platform publishes one (issue 21), of its ordinary ones otherwise.
const platforms::Channel* ChannelOf(const platforms::Platform* p, domain::AgeGroup age);

// The language of a notice to `platform` about her case: hers when the platform takes it, else
// the first the platform lists (a notice the platform's team cannot read waits or is dropped);
// hers when nothing is known of the recipient's languages.
std::string NoticeLanguage(const std::string& hers, const platforms::Platform* platform);

// The input every notice about `sightings` of case `c` shares: her language, jurisdiction and
// authorisation, `organisation` signing as her representative, the items and the reference
// (domain::NoticeReference of the sightings at rung `rung` of the ladder, never her case code), and
// her name (and contact) when she chose to be named. The caller sets the recipient.
notify::NoticeInput InputFor(const domain::Case& c, const NoticeSetup& setup,
                             const notify::Organisation& organisation,
                             const std::vector<domain::Sighting>& sightings, UnixMillis now,
                             int rung = 0);

// The idempotency key's suffix for the sightings' present notice cycle: "" before any return
// after a removal, ":cycleN" after the Nth (every notice key of that cycle ends with it).
std::string CycleKey(const std::vector<domain::Sighting>& sightings);

// A draft of what the renderer made about `sightings`, with an idempotency key from `key_prefix`,
// the sightings' ids and their notice cycle (drafting the same sightings again finds the same
// notice, until a copy comes back after a removal: a new cycle, a new notice). The caller
// sets the recipient, channel, address and rung. Each draft gets a fresh random reply token.
domain::Notice DraftOf(const domain::Case& c, const notify::RenderedNotice& rendered,
                       const std::vector<domain::Sighting>& sightings,
                       const std::string& key_prefix, UnixMillis now);

// With the organisation's "send automatically" on: approves a draft that lacks nothing and goes
// by email or webhook, and queues its sending, unless it is the first notice to its address and
// the organisation's first-contact policy leaves that to a person. Audited as notice.approved by
// "system" ({"automatic": true}, and "first_contact": true on a first contact). Returns the notice
// as it is now.
// Whether the notice's address is a guess: a site no platform entry knows is written to at its
// abuse@ mailbox (RFC 2142). Every other address is published for such notices (the platform
// data, a host's or registrar's RDAP record, the regulator's data).
bool AddressIsGuessed(const domain::Notice& notice);
Result<domain::Notice> ApproveIfAutomatic(store::SettingsStore& settings,
                                          store::NoticeStore& notices, store::JobQueue& jobs,
                                          const domain::Notice& draft, UnixMillis now);
// A person approved a notice to `address`, or one went out to it: the drafts that waited for a
// person only because it was a first contact are approved as ApproveIfAutomatic would now.
Status ApproveDraftsTo(store::SettingsStore& settings, store::NoticeStore& notices,
                       store::JobQueue& jobs, const std::string& address, UnixMillis now);

// What came back about a notice, in words a recipient of a later notice or a regulator reads:
// "replied", "not delivered (bounced)", "auto-reply only" or "no reply".
std::string OutcomeOf(int64_t notice_id, const std::vector<store::Reply>& replies);

// A reply's sender, subject and text, sealed as one (bound to its notice) and opened.
struct ReplyContent {
  std::string from, subject, text;
};
std::string SealReply(const secrets::Sealer& sealer, int64_t notice_id,
                      const ReplyContent& content);
Result<ReplyContent> OpenReply(const secrets::Sealer& sealer, const store::Reply& reply);

}  // namespace takedown::casework
