// For the tests of src/platforms: the platform directory the project ships (data/platforms.toml),
// loaded once.
#pragma once

#include <gtest/gtest.h>

#include "platforms/platforms.h"

namespace takedown::platforms {

// The shipped directory; empty (and the test failed) when it does not load. Loaded on first use
// and never freed, so every test in the binary shares it; safe to read from many threads.
inline const PlatformDirectory& RealDirectory() {
  static const PlatformDirectory* dir = [] {
    auto loaded = PlatformDirectory::Load(TAKEDOWN_SOURCE_DIR "/data/platforms.toml");
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? new PlatformDirectory(std::move(*loaded)) : new PlatformDirectory();
  }();
  return *dir;
}

}  // namespace takedown::platforms
