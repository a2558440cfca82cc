#include "auth/password.h"

#include <sodium.h>

#include "auth/secrets.h"

namespace amtsweg::auth {

core::Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kArgonOpsLimit, kArgonMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::ResourceExhausted("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  EnsureSodium();
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  std::string z(encoded);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(z.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded) {
  std::string z(encoded);
  return crypto_pwhash_str_needs_rehash(z.c_str(), kArgonOpsLimit, kArgonMemLimit) != 0;
}

void VerifyDummy(std::string_view password) {
  // Hashed once per process; a static local is initialised thread-safely.
  static const std::string dummy = [] {
    auto h = HashPassword("amtsweg dummy password for absent accounts");
    return h.ok() ? *h : std::string();
  }();
  (void)VerifyPassword(dummy, password);
}

}  // namespace amtsweg::auth
