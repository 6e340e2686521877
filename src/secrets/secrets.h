// Secrets done one way everywhere (libsodium): PINs and passwords as Argon2id hashes, survivor
// contact details and notes sealed with an AEAD key kept outside the database, random tokens,
// case codes and PINs.
//
// All functions are thread-safe (libsodium is initialised once, on first use).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace takedown::secrets {

// Argon2id cost. The defaults are OWASP's minimum for Argon2id (19 MiB, 2 passes): about 30 ms a
// check here, cheap enough for logins and PIN checks under throttling, dear for an offline guesser.
struct HashCost {
  unsigned long long passes = 2;
  size_t memory_bytes = 19u << 20;
};

// libsodium's self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string.
Result<std::string> HashSecret(std::string_view secret, const HashCost& cost = {});
// Constant-time comparison inside; false for a wrong secret or a malformed hash.
bool VerifySecret(std::string_view hash, std::string_view secret);

// Lowercase hex SHA-256: for looking up long random tokens (session cookies, API keys), which
// need no slow hash because they cannot be guessed.
std::string Sha256Hex(std::string_view data);

// `bytes` random bytes as unpadded base64url (session tokens, CSRF tokens, API keys).
std::string RandomToken(size_t bytes = 32);
// A case code: "TD-" and 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L):
// about 40 bits, easy to read aloud and type on a phone.
std::string NewCaseCode();
// An 8-digit PIN.
std::string NewPin();

// XChaCha20-Poly1305 with a 32-byte key. Sealed text is base64 (nonce then ciphertext), bound to
// `context` (e.g. "contact:TD-ABCD-EFGH") so a ciphertext moved to another record fails to open.
// Not copyable, to keep the key in one place; the key is wiped on destruction.
class Sealer {
 public:
  // Reads the key file (32 raw bytes), creating it with fresh random bytes and mode 0600 when it
  // does not exist. kInvalidArgument if it exists with another size.
  static Result<Sealer> FromKeyFile(const std::filesystem::path& path);
  static Sealer FromKey(std::string_view key32);  // tests

  Sealer(Sealer&& other) noexcept;
  Sealer& operator=(Sealer&&) = delete;
  Sealer(const Sealer&) = delete;
  ~Sealer();

  // 32 hex digits that differ between keys and reveal nothing of the key: stored in the database
  // so that a process started with another key refuses to run (it could open nothing sealed).
  std::string Fingerprint() const;

  std::string Seal(std::string_view plaintext, std::string_view context) const;
  // kCorrupt when the text was altered, sealed under another key or for another context.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  Sealer() = default;
  unsigned char key_[32] = {};
};

}  // namespace takedown::secrets
