#include "hashing/digest.h"

#include <openssl/evp.h>

#include <memory>

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

}  // namespace takedown::hashing
