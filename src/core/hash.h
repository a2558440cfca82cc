// SHA-256 and hex on libsodium: one implementation for migration checksums,
// session/token hashes, attachment hashes and the audit chain.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace amtsweg::core {

// Lower-case hex of `n` bytes.
std::string HexLower(const unsigned char* bytes, size_t n);
// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);
// Equality in time independent of where the inputs differ (sodium_memcmp);
// different lengths compare unequal at once (lengths are not secret here).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace amtsweg::core
