#include "secrets/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

namespace takedown::secrets {
namespace {

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // sodium_init only fails when the system has no usable randomness: nothing is safe then.
    if (sodium_init() < 0) std::abort();
  });
}

std::string ToBase64(const unsigned char* data, size_t size, int variant) {
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

Result<std::string> HashSecret(std::string_view secret, const HashCost& cost) {
  InitOnce();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), cost.passes, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("could not hash a secret (out of memory)");
  }
  return std::string(out);
}

bool VerifySecret(std::string_view hash, std::string_view secret) {
  InitOnce();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), secret.data(), secret.size()) == 0;
}

std::string Sha256Hex(std::string_view data) {
  InitOnce();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string RandomToken(size_t bytes) {
  InitOnce();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  return ToBase64(raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string NewCaseCode() {
  InitOnce();
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols
  std::string code = "TD-";
  for (int i = 0; i < 8; ++i) {
    if (i == 4) code += '-';
    code += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  }
  return code;
}

std::string NewPin() {
  InitOnce();
  std::string pin;
  for (int i = 0; i < 8; ++i) pin += static_cast<char>('0' + randombytes_uniform(10));
  return pin;
}

Result<Sealer> Sealer::FromKeyFile(const std::filesystem::path& path) {
  InitOnce();
  Sealer sealer;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    unsigned char extra;
    const ssize_t got = ::read(fd, sealer.key_, sizeof sealer.key_);
    const ssize_t more = ::read(fd, &extra, 1);
    ::close(fd);
    if (got != static_cast<ssize_t>(sizeof sealer.key_) || more != 0) {
      return InvalidArgument("the key file " + path.string() + " is not a 32-byte key");
    }
    return sealer;
  }
  if (errno != ENOENT) {
    return IoError("cannot read the key file " + path.string() + ": " + std::strerror(errno));
  }
  crypto_aead_xchacha20poly1305_ietf_keygen(sealer.key_);
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0 ||
      ::write(out, sealer.key_, sizeof sealer.key_) != static_cast<ssize_t>(sizeof sealer.key_) ||
      ::fsync(out) != 0) {
    if (out >= 0) ::close(out);
    return IoError("cannot create the key file " + path.string());
  }
  ::close(out);
  return sealer;
}

Sealer Sealer::FromKey(std::string_view key32) {
  InitOnce();
  Sealer sealer;
  std::memcpy(sealer.key_, key32.data(), std::min(key32.size(), sizeof sealer.key_));
  return sealer;
}

Sealer::Sealer(Sealer&& other) noexcept {
  std::memcpy(key_, other.key_, sizeof key_);
  sodium_memzero(other.key_, sizeof other.key_);
}

Sealer::~Sealer() { sodium_memzero(key_, sizeof key_); }

std::string Sealer::Fingerprint() const {
  // A keyed BLAKE2b of a fixed label: it tells keys apart, and (being a one-way function of the
  // key) tells nothing about the key itself.
  static constexpr std::string_view kLabel = "takedown sealing key fingerprint v1";
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), key_, sizeof key_);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string Sealer::Seal(std::string_view plaintext, std::string_view context) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::vector<unsigned char> out(kNonce + plaintext.size() +
                                 crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(out.data(), kNonce);
  unsigned long long sealed = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kNonce, &sealed, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(),
      nullptr, out.data(), key_);
  return ToBase64(out.data(), kNonce + sealed, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> Sealer::Open(std::string_view sealed, std::string_view context) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::vector<unsigned char> raw(sealed.size());
  size_t raw_size = 0;
  if (sodium_base642bin(raw.data(), raw.size(), sealed.data(), sealed.size(), nullptr, &raw_size,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      raw_size < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Corrupt("sealed text is damaged");
  }
  std::string plain(raw_size - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long opened = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &opened, nullptr, raw.data() + kNonce,
          raw_size - kNonce, reinterpret_cast<const unsigned char*>(context.data()), context.size(),
          raw.data(), key_) != 0) {
    return Corrupt("sealed text does not open with this key (altered, or another record's)");
  }
  plain.resize(opened);
  return plain;
}

}  // namespace takedown::secrets
