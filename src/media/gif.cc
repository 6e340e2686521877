#include "media/decoders.h"
namespace takedown::media::internal {
Result<DecodedImage> DecodeGif(std::span<const uint8_t>, const DecodeOptions&) {
  return Unsupported("TODO");
}
}  // namespace takedown::media::internal
