#include "matching/index.h"

#include <charconv>
#include <string>
#include <vector>

#include "matching/index_impl.h"

namespace takedown::matching {
namespace {

// 11 slots and more keep every slot at most 24 bits wide (bucket starts: 32 MB a slot); past 32
// slots of 8 bits, buckets hold too many hashes to be worth probing.
constexpr int kMinSlots = 11;
constexpr int kMaxSlots = 32;

}  // namespace

std::unique_ptr<Index> MakeIndex(std::string_view name) {
  if (name == "flat") return std::make_unique<internal::FlatIndex>();
  if (name.starts_with("multi")) {
    int slots = 0;
    const auto digits = name.substr(5);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), slots);
    if (error == std::errc() && end == digits.data() + digits.size() && slots >= kMinSlots &&
        slots <= kMaxSlots) {
      return std::make_unique<internal::MultiIndex>(slots);
    }
  }
  return nullptr;
}

std::string_view ChooseIndex(size_t count, int radius) {
  // Names for every slot count MakeIndex accepts, so the view returned stays valid.
  static const std::vector<std::string> kMultiNames = [] {
    std::vector<std::string> names;
    for (int slots = kMinSlots; slots <= kMaxSlots; ++slots) {
      names.push_back("multi" + std::to_string(slots));
    }
    return names;
  }();
  // A scan reads the hashes in order, about 20 times faster per hash than a multi-index verifies
  // a candidate fetched at random (measured at 10 million hashes: 1.1 ns against about 20).
  constexpr double kScanCostPerHash = 1.0 / 20;
  // Bucket starts take 2 bytes per bucket value: at most 8 bytes per hash, which rules out wide
  // slots on small banks.
  constexpr double kMaxStartBytesPerHash = 8;
  std::string_view best = "flat";
  double best_cost = kScanCostPerHash * static_cast<double>(count);
  for (int slots = kMinSlots; slots <= kMaxSlots; ++slots) {
    const std::vector<int> widths = internal::SlotWidths(slots);
    double start_bytes = 0;
    for (int w : widths) start_bytes += 2.0 * static_cast<double>(uint64_t{1} << w);
    if (start_bytes > kMaxStartBytesPerHash * static_cast<double>(count)) continue;
    const double cost = internal::PlanProbes(widths, count, radius).cost;
    if (cost < best_cost) best = kMultiNames[slots - kMinSlots], best_cost = cost;
  }
  return best;
}

}  // namespace takedown::matching
