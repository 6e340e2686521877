#include "hashfile/hash_file.h"

namespace takedown::hashfile {

Result<ImageHashRecord> ImageFileHasher::HashBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() > options_.max_file_bytes) {
    return TooLarge("the file is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                    std::to_string(options_.max_file_bytes) + " bytes");
  }
  auto decoded = media::DecodeImage(bytes, options_.decode);
  if (!decoded.ok()) return decoded.status();

  ImageHashRecord record;
  record.format = decoded->format;
  record.width = decoded->source_width;
  record.height = decoded->source_height;
  const hashing::PixelView view = decoded->image.view();
  if (options_.dihedral) {
    auto all = hasher_.HashDihedral(view);
    record.pdq = {all.hashes[0], all.quality};
    record.dihedral = all.hashes;
  } else {
    record.pdq = hasher_.Hash(view);
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
