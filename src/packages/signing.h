// Ed25519 keys and detached signatures (libsodium crypto_sign_*) for process
// packages. Key files are text, so they can be mailed and checked in:
//
//   amtsweg-ed25519-secret-key v1        amtsweg-ed25519-public-key v1
//   <base64 of 64 bytes>                 <base64 of 32 bytes>
//
// A key id is the first 16 hex digits of SHA-256 of the public key; it names
// the signer in signature.json and in error messages.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::packages {

struct PublicKey {
  std::string bytes;  // 32 bytes
  std::string id;     // KeyId(bytes)
};

struct SecretKey {
  std::string bytes;  // 64 bytes (libsodium: seed and public key)
  PublicKey public_key;
};

struct KeyPair {
  SecretKey secret;
  PublicKey public_key;
};

KeyPair GenerateKeyPair();
std::string KeyId(std::string_view public_key_bytes);

std::string FormatSecretKeyFile(const SecretKey& key);
std::string FormatPublicKeyFile(const PublicKey& key);
// kInvalidArgument naming what is wrong (header, base64, length).
core::Result<SecretKey> ParseSecretKeyFile(std::string_view text);
core::Result<PublicKey> ParsePublicKeyFile(std::string_view text);
core::Result<PublicKey> PublicKeyFromBase64(std::string_view b64);

// Detached Ed25519 signature (64 bytes) of `message`.
std::string SignDetached(std::string_view message, const SecretKey& key);
bool VerifyDetached(std::string_view message, std::string_view signature, const PublicKey& key);

std::string Base64Encode(std::string_view bytes);
// Whitespace (space, tab, CR, LF) is ignored. kInvalidArgument when malformed.
core::Result<std::string> Base64Decode(std::string_view text);

}  // namespace amtsweg::packages
