// Random secrets, hashes and encodings for sessions, API tokens and CSRF
// tokens, on libsodium. Thread-safe (libsodium's RNG is).
#pragma once

#include "core/hash.h"

#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::auth {

// Initialises libsodium once (thread-safe, idempotent); every function here
// and in password.h calls it first. Aborts if libsodium cannot start (no
// usable random source): nothing secure could be done then.
void EnsureSodium();

// `bytes` random bytes as unpadded base64url (32 bytes → 43 characters).
std::string RandomSecret(size_t bytes = 32);
// Unpadded base64url of `data`.
std::string Base64Url(std::string_view data);
// SHA-256 hex and constant-time comparison are core's.
using core::ConstantTimeEquals;
using core::Sha256Hex;

// The CSRF token of a session: derived from the session's secret, so it is
// bound to the session, changes with it, and needs no storage; the stored
// session hash does not reveal it.
std::string CsrfTokenFor(std::string_view session_secret);

// Tenant ids inside cookie values and tokens: [A-Za-z0-9_-] stay, every other
// byte becomes %XX (so '.' can separate the parts). Decode: kInvalidArgument if malformed.
std::string EncodeTenant(std::string_view tenant);
core::Result<std::string> DecodeTenant(std::string_view encoded);

}  // namespace amtsweg::auth
