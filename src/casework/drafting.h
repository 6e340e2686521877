// Internal to casework/: what drafting a notice and escalating one share (notices.cc).
#pragma once

#include <string>
#include <vector>

#include "casework/casework.h"
#include "domain/entities.h"
#include "notify/render.h"
#include "platforms/platforms.h"

namespace takedown::casework {

// One evidence item of a sighting, from what discovery recorded (never the image).
notify::Item ItemOf(const domain::Sighting& s);

// Where a notice to the platform goes: its first email channel, else its first web form.
const platforms::Channel* ChannelOf(const platforms::Platform* p);

// The input every notice about `sightings` of case `c` shares: her language, jurisdiction and
// authorisation, the organisation signing as her representative, the items and the reference
// ("N<case>-<first sighting>", never her case code). The caller sets the recipient.
notify::NoticeInput InputFor(const domain::Case& c, const NoticeSetup& setup,
                             const std::vector<domain::Sighting>& sightings, UnixMillis now);

// A draft of what the renderer made about `sightings`, with an idempotency key from `key_prefix`
// and the sightings' ids (drafting the same sightings again finds the same notice). The caller
// sets the recipient, channel, address and rung.
domain::Notice DraftOf(const domain::Case& c, const notify::RenderedNotice& rendered,
                       const std::vector<domain::Sighting>& sightings,
                       const std::string& key_prefix, UnixMillis now);

}  // namespace takedown::casework
