#include "matching/id_map.h"

#include <bit>
#include <string>
#include <vector>

namespace takedown::matching::internal {
namespace {

constexpr size_t kMinCapacity = 16;

size_t CapacityFor(size_t entries) {
  return std::max(kMinCapacity, std::bit_ceil(entries + entries / 3 + 1));
}

}  // namespace

size_t IdMap::Home(uint64_t id) const {
  // Fibonacci hashing: ids may be sequential, so their low bits alone would cluster.
  return shift_ >= 64 ? 0 : static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_);
}

size_t IdMap::FindSlot(uint64_t id) const {
  const size_t mask = ids_.size() - 1;
  size_t slot = Home(id);
  while (positions_[slot] != 0 && ids_[slot] != id) slot = (slot + 1) & mask;
  return slot;
}

std::optional<uint32_t> IdMap::Find(uint64_t id) const {
  if (size_ == 0) return std::nullopt;
  const size_t slot = FindSlot(id);
  if (positions_[slot] == 0) return std::nullopt;
  return positions_[slot] - 1;
}

void IdMap::Set(uint64_t id, uint32_t position) {
  if (ids_.empty() || (size_ + 1) * 4 > ids_.size() * 3) Grow();
  const size_t slot = FindSlot(id);
  if (positions_[slot] == 0) {
    ids_[slot] = id;
    ++size_;
  }
  positions_[slot] = position + 1;
}

bool IdMap::Insert(uint64_t id, uint32_t position) {
  if (ids_.empty() || (size_ + 1) * 4 > ids_.size() * 3) Grow();
  const size_t slot = FindSlot(id);
  if (positions_[slot] != 0) return false;
  ids_[slot] = id;
  positions_[slot] = position + 1;
  ++size_;
  return true;
}

bool IdMap::Erase(uint64_t id) {
  if (size_ == 0) return false;
  const size_t mask = ids_.size() - 1;
  size_t hole = FindSlot(id);
  if (positions_[hole] == 0) return false;
  // Backward-shift: pull later entries of the run into the hole when their home allows it.
  for (size_t next = (hole + 1) & mask; positions_[next] != 0; next = (next + 1) & mask) {
    const size_t home = Home(ids_[next]);
    // The entry at `next` may move to `hole` unless its home lies cyclically in (hole, next].
    if (((next - home) & mask) >= ((next - hole) & mask)) {
      ids_[hole] = ids_[next];
      positions_[hole] = positions_[next];
      hole = next;
    }
  }
  positions_[hole] = 0;
  --size_;
  return true;
}

void IdMap::Reset(size_t entries) {
  const size_t capacity = CapacityFor(entries);
  ids_.assign(capacity, 0);
  positions_.assign(capacity, 0);
  shift_ = 64 - std::countr_zero(capacity);
  size_ = 0;
}

void IdMap::Grow() {
  HugeVector<uint64_t> old_ids = std::move(ids_);
  HugeVector<uint32_t> old_positions = std::move(positions_);
  Reset(std::max(kMinCapacity, old_ids.size()));  // CapacityFor doubles a full table
  for (size_t i = 0; i < old_ids.size(); ++i) {
    if (old_positions[i] != 0) {
      const size_t slot = FindSlot(old_ids[i]);
      ids_[slot] = old_ids[i];
      positions_[slot] = old_positions[i];
      ++size_;
    }
  }
}

std::span<const uint8_t> IdMap::IdBytes() const {
  return {reinterpret_cast<const uint8_t*>(ids_.data()), ids_.size() * sizeof(uint64_t)};
}

std::span<const uint8_t> IdMap::PositionBytes() const {
  return {reinterpret_cast<const uint8_t*>(positions_.data()),
          positions_.size() * sizeof(uint32_t)};
}

Status IdMap::PrepareLoad(uint64_t capacity, std::span<uint8_t>* id_bytes,
                          std::span<uint8_t>* position_bytes) {
  // 0 slots: the map of a bank that never held an entry (it grows on its first).
  if (capacity != 0 && (capacity < kMinCapacity || !std::has_single_bit(capacity) ||
                        capacity > (uint64_t{1} << 34))) {
    return Corrupt("the id map has an impossible capacity " + std::to_string(capacity));
  }
  ids_.assign(capacity, 0);
  positions_.assign(capacity, 0);
  shift_ = capacity == 0 ? 64 : 64 - std::countr_zero(capacity);
  size_ = 0;
  *id_bytes = {reinterpret_cast<uint8_t*>(ids_.data()), ids_.size() * sizeof(uint64_t)};
  *position_bytes = {reinterpret_cast<uint8_t*>(positions_.data()),
                     positions_.size() * sizeof(uint32_t)};
  return Status::Ok();
}

Status IdMap::Adopt(std::span<const uint64_t> ids) {
  const Status corrupt = Corrupt("the id map does not match the bank's ids");
  if (!ids.empty() && CapacityFor(ids.size()) > ids_.size() * 2) return corrupt;  // too full
  std::vector<bool> seen(ids.size());
  constexpr size_t kAhead = 16;  // ids[position] is a random read: keep several in flight
  for (size_t slot = 0; slot < ids_.size(); ++slot) {
    if (slot + kAhead < ids_.size()) {
      const uint32_t ahead = positions_[slot + kAhead];
      if (ahead != 0 && ahead <= ids.size()) __builtin_prefetch(&ids[ahead - 1]);
    }
    if (positions_[slot] == 0) continue;
    const size_t position = positions_[slot] - 1;
    if (position >= ids.size() || seen[position] || ids[position] != ids_[slot]) return corrupt;
    seen[position] = true;
    ++size_;
  }
  if (size_ != ids.size()) return corrupt;
  // Every entry must be where a lookup of its id stops: reachable from its home slot, and the
  // only entry of that id (a repeated id would stop lookups at its first copy).
  for (size_t slot = 0; slot < ids_.size(); ++slot) {
    if (positions_[slot] != 0 && FindSlot(ids_[slot]) != slot) return corrupt;
  }
  return Status::Ok();
}

}  // namespace takedown::matching::internal
