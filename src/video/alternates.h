// Internal to video/: the alternate hashes of a decoded frame (see AlternateKind in video.h).
#pragma once

#include <optional>
#include <vector>

#include "hashing/pdq.h"
#include "video/video.h"

namespace takedown::video::internal {

// The part of a frame inside its black borders.
struct ContentBox {
  int x = 0, y = 0, width = 0, height = 0;
};

// The content inside black borders (rows or columns at the edges whose every pixel is near
// black), or nullopt when the frame has no borders worth cutting (under 2% of a side) or is dark
// all over (no content box of at least a fifth of each side).
std::optional<ContentBox> FindContentBox(const hashing::PixelView& rgb);

// Hashes the frame's alternates with `hasher`: its content inside black borders (when it has
// them) and its centre crops. `rgb` is the whole frame, 3 channels.
std::vector<AlternateHash> HashAlternates(hashing::PdqHasher& hasher,
                                          const hashing::PixelView& rgb);

}  // namespace takedown::video::internal
