// The dossier tests' shared helpers, for dossier_test.cc and dossier_law_test.cc: the shipped
// dossier templates (loaded once, beside render_testing's library), a complete dossier input and
// its rendering.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "notices/dossier.h"
#include "notices/render_test_util.h"

namespace takedown::notify::dossier_testing {

using domain::RecipientKind;
using domain::SightingState;
using render_testing::kDataDir;
using render_testing::Library;

inline const DossierTemplates& Templates() {
  static const DossierTemplates* t = [] {
    auto loaded = DossierTemplates::Load(kDataDir, Library());
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? new DossierTemplates(std::move(*loaded)) : nullptr;
  }();
  if (t == nullptr) throw std::runtime_error("the dossier templates did not load");
  return *t;
}

// How a URL of the profile (no quotes or angle brackets in it) reads in HTML.
inline std::string AmpEscaped(std::string s) {
  for (size_t at = s.find('&'); at != std::string::npos; at = s.find('&', at + 1)) {
    s.replace(at, 1, "&amp;");
  }
  return s;
}

inline constexpr UnixMillis kDay = kMillisPerDay;
inline constexpr UnixMillis kStart = 1'764'000'000'000;  // 2025-11-24T16:00:00Z

// A case three URLs deep: two still up after notices to the platform and its host, one removed;
// a reply to the first notice. Every required element of every shipped profile is present.
inline DossierInput Complete(std::string jurisdiction, std::string language = "en") {
  DossierInput in;
  in.jurisdiction = std::move(jurisdiction);
  in.language = std::move(language);
  in.reference = "D-2026-0007";
  in.organisation = render_testing::TheOrganisation();
  in.signature = "/s/ Maria Chan";
  in.authorised = true;
  in.circumstances = "Posted by a former partner.\nReposted after the first removal.";
  in.reference_media_count = 4;
  in.items = {
      {"https://exampletube.example/watch/111",
       "ExampleTube",
       "exampletube.example",
       SightingState::kEscalated,
       kStart,
       {{kStart + kDay, "match", 200, std::string(64, 'e'), 6},
        {kStart + 3 * kDay, "match", 200, std::string(64, 'e'), 6}}},
      {"http://mirror.example/img/222.jpg",
       "",
       "mirror.example",
       SightingState::kOverdue,
       kStart + kDay,
       {{kStart + 2 * kDay, "unreachable", 0, "", std::nullopt}}},
      {"https://gone.example/p/333", "", "gone.example", SightingState::kRemoved, kStart, {}},
  };
  in.notices = {
      {12, kStart + 2 * kDay, "Example Hosting Ltd", RecipientKind::kHost, "email",
       "abuse@hosting.example", "Removal request: N-12", "Acceptable use policy", kStart + 4 * kDay,
       "no reply", "Dear abuse team,\nPlease remove https://mirror.example."},
      {11, kStart + kDay, "ExampleTube", RecipientKind::kPlatform, "web_form",
       "https://exampletube.example/report", "Removal request: N-11", "Platform policy",
       kStart + 3 * kDay, "auto-reply only", "To ExampleTube,\nPlease remove the video."},
  };
  in.replies = {{11, kStart + kDay + 3'600'000, "noreply@exampletube.example",
                 "Re: Removal request: N-11", "auto-reply", "Thank you for your report."}};
  in.generated_at = kStart + 11 * kDay + 5 * 3'600'000;  // 2025-12-05T21:00:00Z
  return in;
}

inline Dossier MustRender(const DossierInput& in) {
  Result<Dossier> d = RenderDossier(Library(), Templates(), in);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? std::move(*d) : Dossier{};
}

}  // namespace takedown::notify::dossier_testing
