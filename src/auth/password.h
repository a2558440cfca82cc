// Password hashing with argon2id (libsodium crypto_pwhash, RFC 9106).
//
// Parameters follow the OWASP Password Storage Cheat Sheet's first argon2id
// option: m = 19 MiB, t = 2, p = 1 (libsodium always uses one lane). They are
// part of the stored string ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), so
// hashes made with other parameters still verify, and NeedsRehash says when a
// successful login should store a new one.
//
// Thread-safe. Each call takes ~19 MiB and tens of milliseconds of CPU.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::auth {

inline constexpr unsigned long long kArgonOpsLimit = 2;
inline constexpr size_t kArgonMemLimit = 19 * 1024 * 1024;

// The encoded argon2id hash of `password` with a fresh random salt.
// kResourceExhausted: the memory could not be allocated.
core::Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded`. A malformed `encoded` is false.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// True when `encoded` was made with other parameters or another algorithm.
bool NeedsRehash(std::string_view encoded);

// Spends the same time as VerifyPassword on a real hash, for logins whose
// account does not exist (answers must not reveal that by being faster).
void VerifyDummy(std::string_view password);

}  // namespace amtsweg::auth
