// The render tests' shared helpers, for render_test.cc, render_values_test.cc and
// render_data_test.cc (and, through dossier_test_util.h, the dossier tests): the shipped data
// folder and its library (loaded once), a complete notice input, and checks on what a rendered
// notice says.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "notices/render.h"

namespace takedown::notify::render_testing {

using domain::RecipientKind;

inline constexpr RecipientKind kAllKinds[] = {RecipientKind::kPlatform, RecipientKind::kHost,
                                              RecipientKind::kRegistrar, RecipientKind::kCdn,
                                              RecipientKind::kRegulator};
inline const std::string kDataDir = TAKEDOWN_SOURCE_DIR "/data";

inline const NoticeLibrary& Library() {
  static const NoticeLibrary* lib = [] {
    auto loaded = NoticeLibrary::Load(kDataDir);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? new NoticeLibrary(std::move(*loaded)) : nullptr;
  }();
  if (lib == nullptr) throw std::runtime_error("the data folder did not load");
  return *lib;
}

inline bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The text of an HTML fragment's character references, for checking what a reader sees.
inline std::string Decoded(std::string html) {
  for (auto [from, to] :
       {std::pair{"&#x2F;", "/"}, std::pair{"&quot;", "\""}, std::pair{"&#39;", "'"},
        std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&amp;", "&"}}) {
    for (size_t at = html.find(from); at != std::string::npos; at = html.find(from, at + 1)) {
      html.replace(at, std::string_view(from).size(), to);
    }
  }
  return html;
}

inline bool HasMissing(const RenderedNotice& n, std::string_view id) {
  return std::any_of(n.missing.begin(), n.missing.end(),
                     [&](const Element& e) { return e.id == id; });
}

// The organisation that signs the tests' notices and dossiers, with every detail given.
inline Organisation TheOrganisation() {
  return {"Safe Harbour Support",
          "notices@safeharbour.example",
          "+852 5555 0100",
          "1 Example Road\nHong Kong",
          "https://safeharbour.example",
          "Maria Chan",
          "Caseworker"};
}

// A complete notice: every required element of every shipped profile is present.
inline NoticeInput Complete(std::string jurisdiction,
                            RecipientKind kind = RecipientKind::kPlatform) {
  NoticeInput in;
  in.recipient_kind = kind;
  in.recipient_name = "ExampleTube";
  in.site = "exampletube.example";
  in.language = "en";
  in.jurisdiction = std::move(jurisdiction);
  in.organisation = TheOrganisation();
  in.authorised = true;
  in.reference = "N-2026-0042";
  Item a;
  a.url = "https://exampletube.example/watch/111";
  a.title = "A page title";
  a.media_url = "https://cdn.exampletube.example/111.mp4";
  a.first_seen = 1'764'000'000'000;  // 2025-11-24
  a.last_checked = 1'764'100'000'000;
  a.sha256 = std::string(64, 'e');
  a.distance = 6;
  a.evidence = Evidence::kMatched;
  Item b;
  b.url = "https://exampletube.example/watch/222";
  b.first_seen = 1'764'000'000'000;
  b.evidence = Evidence::kReported;
  b.reported_at = 1'764'000'000'000;
  in.items = {a, b};
  in.signature = "/s/ Maria Chan";
  in.drafted_at = 1'764'200'000'000;
  return in;
}

inline RenderedNotice MustRender(const NoticeInput& in) {
  Result<RenderedNotice> n = Library().Render(in);
  EXPECT_TRUE(n.ok()) << n.status().message();
  return n.ok() ? std::move(*n) : RenderedNotice{};
}

}  // namespace takedown::notify::render_testing
