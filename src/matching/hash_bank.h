// A hash bank: the stored PDQ hashes of survivors' images (or of a hash list), each with an id, a
// quality and an owner (a case), searchable by Hamming radius. Entries can be added and removed at
// any time; a removal takes effect for the very next search (a survivor who erases her case must
// stop matching at once).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hashing/pdq.h"
#include "matching/huge_pages.h"
#include "matching/id_map.h"
#include "matching/index.h"

namespace takedown::matching {

struct BankEntry {
  uint64_t id = 0;
  hashing::Hash256 hash;
  int quality = 0;     // 0..100; below kMinUsefulQuality held but not matched by default
  uint64_t owner = 0;  // e.g. the case the hash belongs to
};

struct BankMatch {
  uint64_t id = 0;
  int distance = 0;
  uint64_t owner = 0;
  int quality = 0;
  hashing::Dihedral variant = hashing::Dihedral::kOrig;  // which query variant matched
  bool operator==(const BankMatch&) const = default;
};

struct BankSearchOptions {
  int radius = hashing::kDefaultMatchDistance;   // 0..256
  int min_quality = hashing::kMinUsefulQuality;  // 0 to match weak hashes too
};

// A bank's live entries as parallel columns, in insertion order: the bank file's layout.
struct BankColumns {
  std::vector<hashing::Hash256> hashes;
  std::vector<uint64_t> ids, owners;
  std::vector<uint8_t> qualities;
};

// Not thread-safe for writers; any number of concurrent Search/Find/Scan calls are fine while no
// Put/Remove runs. Entries live in insertion order; an index (chosen by size, see ChooseIndex)
// covers all but the most recent ones, which are scanned, and is rebuilt as they accumulate.
class HashBank {
 public:
  // `index`: "auto" (ChooseIndex by size, rebuilt as the bank grows) or a MakeIndex name, used
  // once the bank holds 10,000 hashes (tests and benchmarks pin one this way).
  explicit HashBank(std::string index = "auto");
  HashBank(HashBank&&) noexcept;
  HashBank& operator=(HashBank&&) noexcept;
  ~HashBank();

  // Adds an entry; an entry with the same id is replaced (and moves to the end of the order).
  void Put(const BankEntry& entry);
  // False when there is no such id.
  bool Remove(uint64_t id);
  // Removes every entry of an owner; returns how many.
  size_t RemoveOwner(uint64_t owner);

  size_t size() const { return position_of_.size(); }
  std::optional<BankEntry> Find(uint64_t id) const;

  // Up to `limit` entries in insertion order after `cursor` (0: from the start); returns the cursor
  // to pass next time (unchanged when there is nothing new). Cursors survive removals.
  uint64_t Scan(uint64_t cursor, size_t limit, std::vector<BankEntry>* out) const;

  // Every stored hash within the radius, sorted by distance then id.
  std::vector<BankMatch> Search(const hashing::Hash256& query,
                                const BankSearchOptions& options = {}) const;
  // Searches all 8 dihedral variants of a query (PdqHasher::HashDihedral order); a stored hash
  // close to several is reported once, with its smallest distance and that variant.
  std::vector<BankMatch> SearchDihedral(const std::array<hashing::Hash256, 8>& variants,
                                        const BankSearchOptions& options = {}) const;

  // Builds a bank from columns in one pass (one index build, not one per entry). Fails with
  // kInvalidArgument when the columns differ in length or an id repeats.
  static Result<HashBank> FromColumns(BankColumns columns, std::string index = "auto");
  // The live entries, compacted, in insertion order.
  BankColumns ExportColumns() const;

  // Which index serves searches now ("flat" until the bank is large enough).
  std::string_view index_name() const;

 private:
  friend struct BankFileAccess;  // the bank file reads and writes the arrays directly

  void Append(const BankEntry& entry);
  void Kill(uint32_t position);
  void Reorganise();
  void Collect(const std::vector<Match>& found, size_t offset, int min_quality,
               hashing::Dihedral variant, std::vector<BankMatch>* out) const;

  // Parallel arrays by position (insertion order); removed positions stay until compaction.
  internal::HugeVector<hashing::Hash256> hashes_;
  internal::HugeVector<uint64_t> ids_, owners_, sequence_;
  internal::HugeVector<uint8_t> qualities_;
  std::vector<bool> live_;
  internal::IdMap position_of_;  // live ids only
  uint64_t next_sequence_ = 1;
  size_t dead_ = 0;
  std::string index_choice_;      // "auto" or a MakeIndex name
  std::unique_ptr<Index> index_;  // covers positions [0, indexed_)
  size_t indexed_ = 0;
  bool index_at_default_radius_ = false;  // searching index_ beats a scan at the default radius
};

}  // namespace takedown::matching
