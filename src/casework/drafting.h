// Internal to casework/: what drafting a notice and escalating one share (notices.cc).
#pragma once

#include "domain/entities.h"
#include "notify/render.h"
#include "platforms/platforms.h"

namespace takedown::casework {

// One evidence item of a sighting, from what discovery recorded (never the image).
notify::Item ItemOf(const domain::Sighting& s);

// Where a notice to the platform goes: its first email channel, else its first web form.
const platforms::Channel* ChannelOf(const platforms::Platform* p);

}  // namespace takedown::casework
