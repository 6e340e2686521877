#include "hashfile/hash_file.h"

namespace takedown::hashfile {
namespace {

// Feeds decoded rows straight into the PDQ hasher (and the signal extractor, when given), so the
// decoded image is never stored whole.
class HasherSink : public media::RowSink {
 public:
  HasherSink(hashing::PdqHasher* hasher, hashing::SignalExtractor* extractor)
      : hasher_(hasher), extractor_(extractor) {}
  void Begin(int width, int height, int channels) override {
    hasher_->Begin(width, height, channels);
    if (extractor_) extractor_->Begin(width, height, channels);
  }
  void Row(const uint8_t* pixels) override {
    hasher_->AddRow(pixels);
    if (extractor_) extractor_->AddRow(pixels);
  }

 private:
  hashing::PdqHasher* hasher_;
  hashing::SignalExtractor* extractor_;
};

}  // namespace

Result<ImageHashRecord> ImageFileHasher::HashBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() > options_.max_file_bytes) {
    return TooLarge("the file is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                    std::to_string(options_.max_file_bytes) + " bytes");
  }
  HasherSink sink(&hasher_, options_.signals ? &extractor_ : nullptr);
  auto decoded = media::DecodeImageRows(bytes, options_.decode, sink);
  if (!decoded.ok()) return decoded.status();

  ImageHashRecord record;
  record.format = decoded->format;
  record.width = decoded->source_width;
  record.height = decoded->source_height;
  if (options_.dihedral) {
    auto all = hasher_.FinishDihedral();
    record.pdq = {all.hashes[0], all.quality};
    record.dihedral = all.hashes;
  } else {
    record.pdq = hasher_.FinishHash();
  }
  if (options_.signals) {
    auto signals = extractor_.Finish(options_.signal_variants, options_.signal_regions);
    if (signals.ok()) {
      record.signals = std::move(*signals);
    } else {
      record.signals_status = signals.status();
    }
  }
  if (options_.digests) record.digests = hashing::ComputeDigests(bytes);
  return record;
}

Result<ImageHashRecord> ImageFileHasher::HashFile(const std::filesystem::path& path) {
  auto bytes = media::ReadFileLimited(path, options_.max_file_bytes);
  if (!bytes.ok()) return bytes.status();
  return HashBytes(*bytes);
}

}  // namespace takedown::hashfile
