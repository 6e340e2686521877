#include "hashing/digest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
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

// A file larger than one read chunk gives what the whole bytes give; a missing file is an error.
TEST(ComputeFileDigests, EqualsTheInMemoryDigestsAcrossChunks) {
  std::string bytes;
  for (int i = 0; bytes.size() < (3u << 20) + 17; ++i) bytes += std::to_string(i * 7919) + ",";
  const auto path =
      std::filesystem::temp_directory_path() / ("digest-" + std::to_string(::getpid()) + ".bin");
  std::ofstream(path, std::ios::binary) << bytes;
  const auto from_file = ComputeFileDigests(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  const auto expected = ComputeDigests(Bytes(bytes));
  EXPECT_EQ(from_file->md5, expected.md5);
  EXPECT_EQ(from_file->sha256, expected.sha256);
  EXPECT_EQ(ComputeFileDigests(path).status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace takedown::hashing
