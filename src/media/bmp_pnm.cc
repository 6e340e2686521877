#include "media/decoders.h"
namespace takedown::media::internal {
Result<DecodedImage> DecodeBmpOrPnm(std::span<const uint8_t>, const DecodeOptions&, ImageFormat) {
  return Unsupported("TODO");
}
}  // namespace takedown::media::internal
