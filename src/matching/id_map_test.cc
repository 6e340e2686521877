// The bank's id map against std::unordered_map through inserts, overwrites and erasures (the
// backward-shift erase is where open addressing goes wrong), with sequential and random ids.
#include "matching/id_map.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace takedown::matching::internal {
namespace {

TEST(IdMap, AgreesWithAReferenceMapThroughChanges) {
  for (bool sequential : {true, false}) {
    std::mt19937_64 rng(sequential ? 1 : 2);
    IdMap map;
    std::unordered_map<uint64_t, uint32_t> want;
    for (int step = 0; step < 200'000; ++step) {
      const uint64_t id = sequential ? rng() % 5'000 : rng() % 5'000 * 0x1000'0000'0001ull;
      const auto position = static_cast<uint32_t>(step);
      switch (rng() % 4) {
        case 0:
        case 1:
          map.Set(id, position);
          want[id] = position;
          break;
        case 2:
          EXPECT_EQ(map.Insert(id, position), want.emplace(id, position).second);
          break;
        default:
          EXPECT_EQ(map.Erase(id), want.erase(id) == 1);
      }
      if (step % 1000 == 0) {
        ASSERT_EQ(map.size(), want.size());
        for (uint64_t probe = 0; probe < 5'000; ++probe) {
          const uint64_t key = sequential ? probe : probe * 0x1000'0000'0001ull;
          const auto found = map.Find(key);
          const auto it = want.find(key);
          ASSERT_EQ(found.has_value(), it != want.end()) << key;
          if (found) {
            ASSERT_EQ(*found, it->second);
          }
        }
      }
    }
    EXPECT_LE(map.size() * 4, map.capacity() * 3) << "never more than 3/4 full";
  }
}

TEST(IdMap, LoadedArraysAreCheckedAgainstTheIds) {
  IdMap map;
  const std::vector<uint64_t> ids = {10, 20, 30};
  for (uint32_t p = 0; p < ids.size(); ++p) map.Set(ids[p], p);
  const auto id_bytes = map.IdBytes();
  const auto position_bytes = map.PositionBytes();
  auto load = [&](std::span<const uint64_t> column, auto damage) {
    IdMap loaded;
    std::span<uint8_t> into_ids, into_positions;
    EXPECT_TRUE(loaded.PrepareLoad(map.capacity(), &into_ids, &into_positions).ok());
    std::copy(id_bytes.begin(), id_bytes.end(), into_ids.begin());
    std::copy(position_bytes.begin(), position_bytes.end(), into_positions.begin());
    damage(into_ids, into_positions);
    return loaded.Adopt(column);
  };
  EXPECT_TRUE(load(ids, [](auto, auto) {}).ok());
  const std::vector<uint64_t> other = {10, 20, 31};
  EXPECT_EQ(load(other, [](auto, auto) {}).code(), StatusCode::kCorrupt);
  const std::vector<uint64_t> longer = {10, 20, 30, 40};
  EXPECT_EQ(load(longer, [](auto, auto) {}).code(), StatusCode::kCorrupt);
  // A position past the column's end.
  EXPECT_EQ(load(ids,
                 [](auto, std::span<uint8_t> positions) {
                   for (size_t i = 0; i < positions.size(); i += 4) {
                     if (positions[i] != 0) positions[i] = 200;
                   }
                 })
                .code(),
            StatusCode::kCorrupt);
  IdMap bad;
  std::span<uint8_t> a, b;
  EXPECT_EQ(bad.PrepareLoad(1000, &a, &b).code(), StatusCode::kCorrupt);  // not a power of two
  EXPECT_EQ(bad.PrepareLoad(uint64_t{1} << 40, &a, &b).code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace takedown::matching::internal
