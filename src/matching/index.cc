#include "matching/index.h"

#include "matching/index_impl.h"

namespace takedown::matching {

std::unique_ptr<Index> MakeIndex(std::string_view name) {
  if (name == "flat") return std::make_unique<internal::FlatIndex>();
  if (name == "multi16") return std::make_unique<internal::MultiIndex16>();
  return nullptr;
}

std::string_view ChooseIndex(size_t count, int radius) {
  // At radius >= 48 every slot is probed at 3 or more bits (697+ buckets per slot): with the
  // random accesses that costs more than scanning, and below 10,000 hashes a scan is a few
  // microseconds anyway.
  return radius < 48 && count >= 10'000 ? "multi16" : "flat";
}

}  // namespace takedown::matching
