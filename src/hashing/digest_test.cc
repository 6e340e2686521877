#include "hashing/digest.h"

#include <gtest/gtest.h>

#include <string_view>

namespace takedown::hashing {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Known answers from RFC 1321 and FIPS 180-2.
TEST(ComputeDigests, MatchesPublishedTestVectors) {
  auto empty = ComputeDigests({});
  EXPECT_EQ(empty.md5, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(empty.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto abc = ComputeDigests(Bytes("abc"));
  EXPECT_EQ(abc.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(abc.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace takedown::hashing
