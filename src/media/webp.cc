#include "media/decoders.h"
namespace takedown::media::internal {
Result<DecodedImage> DecodeWebp(std::span<const uint8_t>, const DecodeOptions&) {
  return Unsupported("TODO");
}
}  // namespace takedown::media::internal
