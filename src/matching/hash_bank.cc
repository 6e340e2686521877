#include "matching/hash_bank.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "matching/index_impl.h"

namespace takedown::matching {
namespace {

// Below this many hashes a scan is as fast as any index (see ChooseIndex).
constexpr size_t kSmallBank = 10'000;

}  // namespace

HashBank::HashBank(std::string index) : index_choice_(std::move(index)) {}
HashBank::HashBank(HashBank&&) noexcept = default;
HashBank& HashBank::operator=(HashBank&&) noexcept = default;
HashBank::~HashBank() = default;

void HashBank::Put(const BankEntry& entry) {
  if (auto position = position_of_.Find(entry.id)) Kill(*position);
  Append(entry);
  Reorganise();
}

void HashBank::Append(const BankEntry& entry) {
  const hashing::Hash256* before = hashes_.data();
  position_of_.Set(entry.id, static_cast<uint32_t>(hashes_.size()));
  hashes_.push_back(entry.hash);
  ids_.push_back(entry.id);
  owners_.push_back(entry.owner);
  sequence_.push_back(next_sequence_++);
  qualities_.push_back(static_cast<uint8_t>(std::clamp(entry.quality, 0, 100)));
  live_.push_back(true);
  // The indexed hashes are unchanged, only moved.
  if (index_ && hashes_.data() != before) index_->Rebind({hashes_.data(), indexed_});
}

void HashBank::Kill(uint32_t position) {
  live_[position] = false;
  position_of_.Erase(ids_[position]);
  ++dead_;
}

bool HashBank::Remove(uint64_t id) {
  auto position = position_of_.Find(id);
  if (!position) return false;
  Kill(*position);
  Reorganise();
  return true;
}

size_t HashBank::RemoveOwner(uint64_t owner) {
  size_t removed = 0;
  for (uint32_t p = 0; p < hashes_.size(); ++p) {
    if (live_[p] && owners_[p] == owner) {
      Kill(p);
      ++removed;
    }
  }
  if (removed > 0) Reorganise();
  return removed;
}

// Compacts away removed entries once they are a fifth of the arrays, and rebuilds the index once
// the unindexed tail is an eighth of it: each costs a pass over the bank, so both are amortised
// over many changes.
void HashBank::Reorganise() {
  const size_t n = hashes_.size();
  bool rebuild = false;
  if (dead_ > 1024 && dead_ * 5 > n) {
    size_t out = 0;
    for (size_t p = 0; p < n; ++p) {
      if (!live_[p]) continue;
      hashes_[out] = hashes_[p];
      ids_[out] = ids_[p];
      owners_[out] = owners_[p];
      sequence_[out] = sequence_[p];
      qualities_[out] = qualities_[p];
      live_[out] = true;
      position_of_.Set(ids_[out], static_cast<uint32_t>(out));
      ++out;
    }
    for (auto* v : {&ids_, &owners_, &sequence_}) v->resize(out);
    hashes_.resize(out);
    qualities_.resize(out);
    live_.resize(out);
    dead_ = 0;
    rebuild = true;
  }
  const size_t size = hashes_.size();
  if (size < kSmallBank) {
    index_.reset();
    indexed_ = 0;
    return;
  }
  if (rebuild || !index_ || size - indexed_ > std::max<size_t>(4096, indexed_ / 8)) {
    index_ = MakeIndex(index_choice_ == "auto" ? ChooseIndex(size, hashing::kDefaultMatchDistance)
                                               : std::string_view(index_choice_));
    if (!index_) index_ = MakeIndex("flat");  // an unknown name: still exact
    indexed_ = size;
    index_->Build({hashes_.data(), indexed_});
    // Decided once here, not per search: the cost model costs more than a small bank's scan.
    index_at_default_radius_ =
        index_choice_ != "auto" || ChooseIndex(size, hashing::kDefaultMatchDistance) != "flat";
  }
}

std::optional<BankEntry> HashBank::Find(uint64_t id) const {
  const auto position = position_of_.Find(id);
  if (!position) return std::nullopt;
  const uint32_t p = *position;
  return BankEntry{ids_[p], hashes_[p], qualities_[p], owners_[p]};
}

uint64_t HashBank::Scan(uint64_t cursor, size_t limit, std::vector<BankEntry>* out) const {
  out->clear();
  auto p = static_cast<size_t>(std::upper_bound(sequence_.begin(), sequence_.end(), cursor) -
                               sequence_.begin());
  for (; p < hashes_.size() && out->size() < limit; ++p) {
    if (!live_[p]) continue;
    out->push_back({ids_[p], hashes_[p], qualities_[p], owners_[p]});
    cursor = sequence_[p];
  }
  return cursor;
}

void HashBank::Collect(const std::vector<Match>& found, size_t offset, int min_quality,
                       hashing::Dihedral variant, std::vector<BankMatch>* out) const {
  for (const Match& m : found) {
    const size_t p = offset + m.position;
    if (!live_[p] || qualities_[p] < min_quality) continue;
    out->push_back({ids_[p], m.distance, owners_[p], qualities_[p], variant});
  }
}

std::vector<BankMatch> HashBank::Search(const hashing::Hash256& query,
                                        const BankSearchOptions& options) const {
  std::vector<BankMatch> out;
  std::vector<Match> found;
  internal::FlatIndex scan;
  size_t scanned_from = 0;
  // The index is exact at any radius, but at wide radii a scan is cheaper.
  const bool use_index =
      index_ &&
      (options.radius == hashing::kDefaultMatchDistance
           ? index_at_default_radius_
           : index_choice_ != "auto" || ChooseIndex(hashes_.size(), options.radius) != "flat");
  if (use_index) {
    index_->Search(query, options.radius, &found);
    Collect(found, 0, options.min_quality, hashing::Dihedral::kOrig, &out);
    scanned_from = indexed_;
  }
  scan.Build({hashes_.data() + scanned_from, hashes_.size() - scanned_from});
  scan.Search(query, options.radius, &found);
  Collect(found, scanned_from, options.min_quality, hashing::Dihedral::kOrig, &out);
  std::sort(out.begin(), out.end(), [](const BankMatch& a, const BankMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
  });
  return out;
}

std::vector<BankMatch> HashBank::SearchDihedral(const std::array<hashing::Hash256, 8>& variants,
                                                const BankSearchOptions& options) const {
  std::unordered_map<uint64_t, BankMatch> best;
  for (int v = 0; v < 8; ++v) {
    for (BankMatch m : Search(variants[v], options)) {
      m.variant = static_cast<hashing::Dihedral>(v);
      auto [it, inserted] = best.try_emplace(m.id, m);
      if (!inserted && m.distance < it->second.distance) it->second = m;
    }
  }
  std::vector<BankMatch> out;
  for (auto& [id, m] : best) out.push_back(m);
  std::sort(out.begin(), out.end(), [](const BankMatch& a, const BankMatch& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
  });
  return out;
}

Result<HashBank> HashBank::FromColumns(BankColumns columns, std::string index) {
  const size_t n = columns.hashes.size();
  if (columns.ids.size() != n || columns.owners.size() != n || columns.qualities.size() != n) {
    return InvalidArgument("the bank's columns have different lengths");
  }
  HashBank bank(std::move(index));
  bank.position_of_.Reset(n);
  for (size_t p = 0; p < n; ++p) {
    if (!bank.position_of_.Insert(columns.ids[p], static_cast<uint32_t>(p))) {
      return InvalidArgument("id " + std::to_string(columns.ids[p]) + " appears twice");
    }
  }
  bank.hashes_.assign(columns.hashes.begin(), columns.hashes.end());
  columns.hashes = {};
  bank.ids_.assign(columns.ids.begin(), columns.ids.end());
  bank.owners_.assign(columns.owners.begin(), columns.owners.end());
  bank.qualities_.assign(columns.qualities.begin(), columns.qualities.end());
  bank.sequence_.resize(n);
  for (size_t p = 0; p < n; ++p) bank.sequence_[p] = p + 1;
  bank.next_sequence_ = n + 1;
  bank.live_.assign(n, true);
  bank.Reorganise();
  return bank;
}

BankColumns HashBank::ExportColumns() const {
  BankColumns out;
  const size_t n = size();
  out.hashes.reserve(n);
  out.ids.reserve(n);
  out.owners.reserve(n);
  out.qualities.reserve(n);
  for (size_t p = 0; p < hashes_.size(); ++p) {
    if (!live_[p]) continue;
    out.hashes.push_back(hashes_[p]);
    out.ids.push_back(ids_[p]);
    out.owners.push_back(owners_[p]);
    out.qualities.push_back(qualities_[p]);
  }
  return out;
}

std::string_view HashBank::index_name() const { return index_ ? index_->name() : "flat"; }

}  // namespace takedown::matching
