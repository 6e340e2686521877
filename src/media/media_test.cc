#include <gtest/gtest.h>

#include "media/media.h"

namespace takedown::media {
namespace {

TEST(SniffImageFormat, RecognisesMagicBytes) {
  const uint8_t jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0};
  EXPECT_EQ(SniffImageFormat(jpeg), ImageFormat::kJpeg);
}

}  // namespace
}  // namespace takedown::media
