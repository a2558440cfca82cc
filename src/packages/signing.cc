#include "packages/signing.h"

#include <cstring>

#include <sodium.h>

#include "core/hash.h"

namespace amtsweg::packages {

namespace {

constexpr std::string_view kSecretHeader = "amtsweg-ed25519-secret-key v1";
constexpr std::string_view kPublicHeader = "amtsweg-ed25519-public-key v1";

void EnsureSodium() {
  static const int initialized = sodium_init();
  (void)initialized;
}

// The header line and the base64 body of a key file.
core::Result<std::string> KeyBody(std::string_view text, std::string_view header, size_t size, const char* what) {
  size_t nl = text.find('\n');
  std::string_view first = text.substr(0, nl);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (first != header) {
    return core::InvalidArgument(std::string(what) + ": the first line must be '" + std::string(header) + "'");
  }
  if (nl == std::string_view::npos) return core::InvalidArgument(std::string(what) + ": the key is missing");
  auto bytes = Base64Decode(text.substr(nl + 1));
  if (!bytes.ok()) return core::InvalidArgument(std::string(what) + ": " + bytes.error().message());
  if (bytes->size() != size) {
    return core::InvalidArgument(std::string(what) + ": expected " + std::to_string(size) + " bytes, found " +
                                 std::to_string(bytes->size()));
  }
  return std::move(*bytes);
}

}  // namespace

std::string KeyId(std::string_view public_key_bytes) { return core::Sha256Hex(public_key_bytes).substr(0, 16); }

KeyPair GenerateKeyPair() {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  KeyPair kp;
  kp.public_key.bytes.assign(reinterpret_cast<const char*>(pk), sizeof pk);
  kp.public_key.id = KeyId(kp.public_key.bytes);
  kp.secret.bytes.assign(reinterpret_cast<const char*>(sk), sizeof sk);
  kp.secret.public_key = kp.public_key;
  sodium_memzero(sk, sizeof sk);
  return kp;
}

std::string FormatSecretKeyFile(const SecretKey& key) {
  return std::string(kSecretHeader) + "\n" + Base64Encode(key.bytes) + "\n";
}

std::string FormatPublicKeyFile(const PublicKey& key) {
  return std::string(kPublicHeader) + "\n" + Base64Encode(key.bytes) + "\n";
}

core::Result<SecretKey> ParseSecretKeyFile(std::string_view text) {
  AW_ASSIGN_OR_RETURN(std::string bytes, KeyBody(text, kSecretHeader, crypto_sign_SECRETKEYBYTES, "secret key"));
  SecretKey k;
  k.bytes = std::move(bytes);
  k.public_key.bytes = k.bytes.substr(crypto_sign_SEEDBYTES);  // libsodium: seed || public key
  k.public_key.id = KeyId(k.public_key.bytes);
  return k;
}

core::Result<PublicKey> ParsePublicKeyFile(std::string_view text) {
  AW_ASSIGN_OR_RETURN(std::string bytes, KeyBody(text, kPublicHeader, crypto_sign_PUBLICKEYBYTES, "public key"));
  return PublicKey{bytes, KeyId(bytes)};
}

core::Result<PublicKey> PublicKeyFromBase64(std::string_view b64) {
  AW_ASSIGN_OR_RETURN(std::string bytes, Base64Decode(b64));
  if (bytes.size() != crypto_sign_PUBLICKEYBYTES) return core::InvalidArgument("public key: expected 32 bytes");
  return PublicKey{bytes, KeyId(bytes)};
}

std::string SignDetached(std::string_view message, const SecretKey& key) {
  EnsureSodium();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(key.bytes.data()));
  return std::string(reinterpret_cast<const char*>(sig), sizeof sig);
}

bool VerifyDetached(std::string_view message, std::string_view signature, const PublicKey& key) {
  EnsureSodium();
  if (signature.size() != crypto_sign_BYTES || key.bytes.size() != crypto_sign_PUBLICKEYBYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(key.bytes.data())) == 0;
}

std::string Base64Encode(std::string_view bytes) {
  EnsureSodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

core::Result<std::string> Base64Decode(std::string_view text) {
  EnsureSodium();
  while (!text.empty() && std::strchr(" \t\r\n", text.back()) != nullptr) text.remove_suffix(1);
  while (!text.empty() && std::strchr(" \t\r\n", text.front()) != nullptr) text.remove_prefix(1);
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        " \t\r\n", &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      (end != nullptr && end != text.data() + text.size())) {
    return core::InvalidArgument("malformed base64");
  }
  out.resize(len);
  return out;
}

}  // namespace amtsweg::packages
