#include "matching/bank_file.h"

#include <xxhash.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace takedown::matching {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the bank file is little-endian and read without conversion");
static_assert(sizeof(hashing::Hash256) == 32);

constexpr char kMagic[8] = {'T', 'K', 'D', 'N', 'B', 'A', 'N', 'K'};
constexpr size_t kHeaderBytes = 32;
constexpr size_t kBytesPerEntry = 32 + 8 + 8 + 1;
// Version 2 sections after the columns start on a multiple of 8 bytes.
constexpr size_t kAlign = 8;
// An index name, descriptor or array list longer than this is damage, not a real index.
constexpr uint64_t kMaxIndexMeta = 256;

size_t Padding(uint64_t bytes) { return static_cast<size_t>((kAlign - bytes % kAlign) % kAlign); }

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t reserved;
  uint64_t count;
  uint64_t checksum;
};
static_assert(sizeof(Header) == kHeaderBytes);

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

template <typename T, typename A>
std::span<const uint8_t> Bytes(const std::vector<T, A>& v) {
  return {reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(T)};
}

template <typename T, typename A>
std::span<uint8_t> Bytes(std::vector<T, A>& v) {
  return {reinterpret_cast<uint8_t*>(v.data()), v.size() * sizeof(T)};
}

Status OpenError(const std::filesystem::path& path, int err) {
  if (err == ENOENT) return NotFound("no such bank file: " + path.string());
  if (err == EACCES || err == EPERM) return PermissionDenied("permission denied: " + path.string());
  return IoError("cannot open " + path.string() + ": " + std::strerror(err));
}

// Appends the sections of a file to write, keeping the checksum; owns the small ones.
class Writer {
 public:
  Writer() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~Writer() { XXH3_freeState(state_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Add(std::span<const uint8_t> bytes) {
    sections_.push_back(bytes);
    XXH3_64bits_update(state_, bytes.data(), bytes.size());
    size_ += bytes.size();
    if (const size_t pad = Padding(size_); pad != 0) Add(Own(std::string(pad, '\0')));
  }
  void AddNumber(uint64_t value) { Add(Own(std::string(reinterpret_cast<char*>(&value), 8))); }
  uint64_t checksum() const { return XXH3_64bits_digest(state_); }
  const std::vector<std::span<const uint8_t>>& sections() const { return sections_; }
  // A copy of small bytes that lives as long as the writer.
  std::span<const uint8_t> Own(std::string bytes) {
    owned_.push_back(std::make_unique<std::string>(std::move(bytes)));
    return {reinterpret_cast<const uint8_t*>(owned_.back()->data()), owned_.back()->size()};
  }

 private:
  XXH3_state_t* state_;
  uint64_t size_ = 0;
  std::vector<std::span<const uint8_t>> sections_;
  std::vector<std::unique_ptr<std::string>> owned_;
};

// Reads a file's sections in order, keeping the checksum and the bytes left, so that no length
// read from the file is believed beyond what the file holds.
class Reader {
 public:
  // `aligned`: sections start on multiples of 8 (version 2 and later).
  Reader(FILE* file, uint64_t body, std::string name, bool aligned)
      : file_(file),
        left_(body),
        aligned_(aligned),
        name_(std::move(name)),
        state_(XXH3_createState()) {
    XXH3_64bits_reset(state_);
  }
  ~Reader() { XXH3_freeState(state_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  uint64_t left() const { return left_; }
  Status Truncated() const { return Corrupt("the bank file " + name_ + " is truncated"); }
  Status Read(std::span<uint8_t> into) {
    if (into.size() > left_) return Truncated();
    if (std::fread(into.data(), 1, into.size(), file_) != into.size()) {
      return IoError("could not read all of " + name_);
    }
    XXH3_64bits_update(state_, into.data(), into.size());
    left_ -= into.size();
    read_ += into.size();
    if (const size_t pad = aligned_ ? Padding(read_) : 0; pad != 0) {
      uint8_t zeros[kAlign];
      return Read({zeros, pad});
    }
    return Status::Ok();
  }
  Result<uint64_t> ReadNumber() {
    uint64_t value = 0;
    if (Status s = Read({reinterpret_cast<uint8_t*>(&value), 8}); !s.ok()) return s;
    return value;
  }
  uint64_t checksum() const { return XXH3_64bits_digest(state_); }
  // Reads (into the checksum) whatever is left.
  Status Skip() {
    std::vector<uint8_t> buffer(64 << 10);
    while (left_ > 0) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(left_, buffer.size()));
      if (Status s = Read({buffer.data(), take}); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  FILE* file_;
  uint64_t left_, read_ = 0;
  bool aligned_;
  std::string name_;
  XXH3_state_t* state_;
};

}  // namespace

// One bank's sections as read, not yet checked against each other.
struct PendingBody {
  HashBank bank;
  std::unique_ptr<Index> index;
  bool has_id_map = false;
};

// The bank's friend: reads and writes its arrays in place.
struct BankFileAccess {
  static Status Write(const std::filesystem::path& path, const HashBank& bank,
                      const RegionBank* regions);
  static Result<const HashBank*> Compacted(const HashBank& given, std::optional<HashBank>* storage);
  static void AddBody(Writer& writer, const HashBank& bank);
  static Result<BankFileContents> Read(FILE* file, const Header& header, uint64_t body,
                                       const std::string& name);
  static Result<PendingBody> ReadBody(Reader& reader, uint32_t version, size_t n,
                                      const std::string& name);
  static Result<HashBank> FinishBody(PendingBody body, const std::string& name);
};

Status WriteBankFile(const std::filesystem::path& path, const HashBank& bank,
                     const RegionBank* regions) {
  return BankFileAccess::Write(path, bank, regions);
}

// The file holds a bank's live entries in order with an index over all of them: a bank with
// removed entries or an unindexed tail is written as its compacted, fully indexed copy, made in
// *storage.
Result<const HashBank*> BankFileAccess::Compacted(const HashBank& given,
                                                  std::optional<HashBank>* storage) {
  if (given.dead_ == 0 && (!given.index_ || given.indexed_ == given.hashes_.size())) return &given;
  auto copy = HashBank::FromColumns(given.ExportColumns(), given.index_choice_);
  if (!copy.ok()) return copy.status();
  storage->emplace(std::move(*copy));
  return &**storage;
}

void BankFileAccess::AddBody(Writer& writer, const HashBank& bank) {
  writer.Add(Bytes(bank.hashes_));
  writer.Add(Bytes(bank.ids_));
  writer.Add(Bytes(bank.owners_));
  writer.Add(Bytes(bank.qualities_));
  const std::string index_name(bank.index_ ? bank.index_->name() : "");
  const Index::Image image = bank.index_ ? bank.index_->Save() : Index::Image{};
  writer.AddNumber(index_name.size());
  writer.Add(writer.Own(index_name));
  writer.AddNumber(image.descriptor.size());
  for (uint64_t value : image.descriptor) writer.AddNumber(value);
  writer.AddNumber(image.arrays.size());
  for (auto array : image.arrays) writer.AddNumber(array.size());
  for (auto array : image.arrays) writer.Add(array);
  writer.AddNumber(bank.position_of_.capacity());
  writer.Add(bank.position_of_.IdBytes());
  writer.Add(bank.position_of_.PositionBytes());
}

Status BankFileAccess::Write(const std::filesystem::path& path, const HashBank& given,
                             const RegionBank* regions) {
  std::optional<HashBank> bank_storage, region_storage;
  auto bank = Compacted(given, &bank_storage);
  if (!bank.ok()) return bank.status();
  const HashBank* region_bank = nullptr;
  if (regions != nullptr) {
    auto compacted = Compacted(regions->hashes(), &region_storage);
    if (!compacted.ok()) return compacted.status();
    region_bank = *compacted;
  }
  Writer writer;
  AddBody(writer, **bank);
  // Version 3: the region bank follows, its entry count first (0: none, and nothing follows).
  const uint64_t region_count = region_bank ? region_bank->hashes_.size() : 0;
  writer.AddNumber(region_count);
  if (region_count > 0) AddBody(writer, *region_bank);

  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kBankFileVersion;
  header.count = (*bank)->hashes_.size();
  header.checksum = writer.checksum();

  const std::filesystem::path temporary = path.string() + ".tmp";
  File file(std::fopen(temporary.c_str(), "wb"), &std::fclose);
  if (!file) return OpenError(temporary, errno);
  bool ok = std::fwrite(&header, sizeof header, 1, file.get()) == 1;
  for (auto section : writer.sections()) {
    ok = ok && std::fwrite(section.data(), 1, section.size(), file.get()) == section.size();
  }
  ok = std::fflush(file.get()) == 0 && ok;
  ok = std::fclose(file.release()) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(temporary, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(temporary, ec);
    return IoError("could not write the bank file " + path.string());
  }
  return Status::Ok();
}

Result<HashBank> ReadBankFile(const std::filesystem::path& path) {
  auto file = ReadBankFileWithRegions(path);
  if (!file.ok()) return file.status();
  return std::move(file->hashes);
}

Result<BankFileContents> ReadBankFileWithRegions(const std::filesystem::path& path) {
  File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return OpenError(path, errno);
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read the size of " + path.string());

  Header header{};
  if (size < kHeaderBytes || std::fread(&header, sizeof header, 1, file.get()) != 1 ||
      std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) {
    return Corrupt(path.string() + " is not a Takedown bank file");
  }
  if (header.version > kBankFileVersion) {
    return Unsupported(path.string() + " is a version " + std::to_string(header.version) +
                       " bank file; this build reads up to version " +
                       std::to_string(kBankFileVersion));
  }
  if (header.version == 0 || header.reserved != 0) {
    return Corrupt("the bank file " + path.string() + " has a damaged header");
  }
  // The size must hold the columns before anything is allocated from the header's count.
  const uint64_t body = size - kHeaderBytes;
  if (header.count > body / kBytesPerEntry || header.count > uint64_t{1} << 32) {
    return Corrupt("the bank file " + path.string() + " is truncated");
  }
  return BankFileAccess::Read(file.get(), header, body, path.string());
}

Result<BankFileContents> BankFileAccess::Read(FILE* file, const Header& header, uint64_t body,
                                              const std::string& name) {
  if (header.version == 1 && body != header.count * kBytesPerEntry) {
    return Corrupt("the bank file " + name + " has bytes after its last entry");
  }
  Reader reader(file, body, name, header.version >= 2);
  auto bank = ReadBody(reader, header.version, header.count, name);
  if (!bank.ok()) return bank.status();
  std::optional<PendingBody> regions;
  if (header.version >= 3) {
    auto count = reader.ReadNumber();
    if (!count.ok()) return count.status();
    if (*count > reader.left() / kBytesPerEntry) {
      // A damaged count rather than a short file, when the rest fails the checksum.
      if (reader.Skip().ok() && reader.checksum() != header.checksum) {
        return Corrupt("the bank file " + name + " is damaged (checksum mismatch)");
      }
      return reader.Truncated();
    }
    if (*count > 0) {
      auto read = ReadBody(reader, header.version, *count, name);
      if (!read.ok()) return read.status();
      regions = std::move(*read);
    }
  }
  if (reader.left() != 0)
    return Corrupt("the bank file " + name + " has bytes after its last entry");
  if (reader.checksum() != header.checksum) {
    return Corrupt("the bank file " + name + " is damaged (checksum mismatch)");
  }
  auto hashes = FinishBody(std::move(*bank), name);
  if (!hashes.ok()) return hashes.status();
  BankFileContents out{std::move(*hashes), {}};
  if (regions) {
    for (uint64_t id : regions->bank.ids_) {
      if ((id & (hashing::kUntrimmedRegion - 1)) >= hashing::kRegions.size()) {
        return Corrupt("the bank file " + name + " is damaged: a region hash names no region");
      }
    }
    auto region_bank = FinishBody(std::move(*regions), name);
    if (!region_bank.ok()) return region_bank.status();
    out.regions = RegionBank(std::move(*region_bank));
  }
  return out;
}

// One bank's columns, index and id map (version 1: the columns alone, the rest rebuilt).
Result<PendingBody> BankFileAccess::ReadBody(Reader& reader, uint32_t version, size_t n,
                                             const std::string& name) {
  const auto damaged = [&](const std::string& what) {
    return Corrupt("the bank file " + name + " is damaged: " + what);
  };
  HashBank bank;
  bank.hashes_.resize(n);
  bank.ids_.resize(n);
  bank.owners_.resize(n);
  bank.qualities_.resize(n);
  for (auto column :
       {Bytes(bank.hashes_), Bytes(bank.ids_), Bytes(bank.owners_), Bytes(bank.qualities_)}) {
    if (Status s = reader.Read(column); !s.ok()) return s;
  }

  std::unique_ptr<Index> index;
  bool has_id_map = false;
  if (version >= 2) {
    auto name_size = reader.ReadNumber();
    if (!name_size.ok()) return name_size.status();
    if (*name_size > kMaxIndexMeta) return damaged("its index name is too long");
    std::string index_name(*name_size, '\0');
    if (Status s = reader.Read({reinterpret_cast<uint8_t*>(index_name.data()), index_name.size()});
        !s.ok()) {
      return s;
    }
    auto descriptor_size = reader.ReadNumber();
    if (!descriptor_size.ok()) return descriptor_size.status();
    if (*descriptor_size > kMaxIndexMeta) return damaged("its index descriptor is too long");
    std::vector<uint64_t> descriptor(*descriptor_size);
    for (auto& value : descriptor) {
      auto number = reader.ReadNumber();
      if (!number.ok()) return number.status();
      value = *number;
    }
    auto array_count = reader.ReadNumber();
    if (!array_count.ok()) return array_count.status();
    if (*array_count > kMaxIndexMeta) return damaged("its index has too many arrays");
    std::vector<uint64_t> lengths(*array_count);
    uint64_t total = 0;
    for (auto& length : lengths) {
      auto number = reader.ReadNumber();
      if (!number.ok()) return number.status();
      length = *number;
      total += std::min<uint64_t>(length, reader.left());
    }
    if (total > reader.left()) return reader.Truncated();
    if (!index_name.empty()) {
      index = MakeIndex(index_name);
      if (!index) {
        return Unsupported("the bank file " + name +
                           " carries an index this build does not know (" + index_name + ")");
      }
      auto arrays = index->PrepareLoad(descriptor, {bank.hashes_.data(), n});
      if (!arrays.ok()) return damaged(arrays.status().message());
      if (arrays->size() != lengths.size()) return damaged("its index has the wrong arrays");
      for (size_t a = 0; a < lengths.size(); ++a) {
        if ((*arrays)[a].size() != lengths[a]) return damaged("its index has the wrong arrays");
        if (Status s = reader.Read((*arrays)[a]); !s.ok()) return s;
      }
    } else if (!lengths.empty()) {
      return damaged("it has index arrays but no index");
    }
    auto capacity = reader.ReadNumber();
    if (!capacity.ok()) return capacity.status();
    if (*capacity > reader.left() / 12) return reader.Truncated();
    std::span<uint8_t> id_bytes, position_bytes;
    if (Status s = bank.position_of_.PrepareLoad(*capacity, &id_bytes, &position_bytes); !s.ok()) {
      return damaged(s.message());
    }
    for (auto bytes : {id_bytes, position_bytes}) {
      if (Status s = reader.Read(bytes); !s.ok()) return s;
    }
    has_id_map = true;
  }
  return PendingBody{std::move(bank), std::move(index), has_id_map};
}

// Checks what ReadBody read against itself, once the checksum has passed (so that damage is
// reported as damage), and makes it searchable.
Result<HashBank> BankFileAccess::FinishBody(PendingBody body, const std::string& name) {
  const auto damaged = [&](const std::string& what) {
    return Corrupt("the bank file " + name + " is damaged: " + what);
  };
  HashBank& bank = body.bank;
  const size_t n = bank.hashes_.size();
  std::unique_ptr<Index>& index = body.index;
  if (!body.has_id_map) {
    // Version 1: no stored index or id map; build them.
    BankColumns columns{{bank.hashes_.begin(), bank.hashes_.end()},
                        {bank.ids_.begin(), bank.ids_.end()},
                        {bank.owners_.begin(), bank.owners_.end()},
                        {bank.qualities_.begin(), bank.qualities_.end()}};
    auto built = HashBank::FromColumns(std::move(columns));
    if (!built.ok()) return damaged(built.status().message());
    return built;
  }
  if (Status s = bank.position_of_.Adopt(bank.ids_); !s.ok()) return damaged(s.message());
  if (index) {
    if (Status s = index->FinishLoad(); !s.ok()) return damaged(s.message());
  }
  bank.sequence_.resize(n);
  for (size_t p = 0; p < n; ++p) bank.sequence_[p] = p + 1;
  bank.next_sequence_ = n + 1;
  bank.live_.assign(n, true);
  bank.index_ = std::move(index);
  bank.indexed_ = bank.index_ ? n : 0;
  return std::move(bank);
}

}  // namespace takedown::matching
