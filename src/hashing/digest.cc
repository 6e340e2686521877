#include "hashing/digest.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

namespace takedown::hashing {
namespace {

std::string Hex(const unsigned char* data, unsigned int len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * static_cast<size_t>(len), '0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

std::string Digest(const EVP_MD* md, std::span<const uint8_t> bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest cannot fail for these built-in digests short of memory exhaustion; an empty string
  // then tells the caller there is no digest rather than a wrong one.
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) return {};
  return Hex(out, len);
}

}  // namespace

FileDigests ComputeDigests(std::span<const uint8_t> bytes) {
  return {Digest(EVP_md5(), bytes), Digest(EVP_sha256(), bytes)};
}

Result<FileDigests> ComputeFileDigests(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open " + path.string());
  using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
  Context md5(EVP_MD_CTX_new(), &EVP_MD_CTX_free), sha256(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!md5 || !sha256 || EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr) != 1 ||
      EVP_DigestInit_ex(sha256.get(), EVP_sha256(), nullptr) != 1) {
    return Internal("the digests could not be set up");
  }
  std::vector<char> chunk(1 << 20);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    EVP_DigestUpdate(md5.get(), chunk.data(), n);
    EVP_DigestUpdate(sha256.get(), chunk.data(), n);
  }
  if (in.bad()) return IoError("cannot read " + path.string());
  auto finish = [](EVP_MD_CTX* ctx) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    return EVP_DigestFinal_ex(ctx, out, &len) == 1 ? Hex(out, len) : std::string();
  };
  return FileDigests{finish(md5.get()), finish(sha256.get())};
}

}  // namespace takedown::hashing
