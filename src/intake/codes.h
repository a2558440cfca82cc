// Codes handed to citizens: tracking codes (short, unguessable, easy to read
// aloud), receipt secrets and draft tokens; and SHA-256 in hex. Randomness
// from libsodium (randombytes_buf). Thread-safe.
#pragma once

#include "core/hash.h"

#include <optional>
#include <string>
#include <string_view>

namespace amtsweg::intake {

// 60 random bits as 12 Crockford base32 symbols (0-9, A-Z without I L O U),
// canonical form without dashes: "7K2M9QXH4T0B".
std::string NewTrackingCode();
// "7K2M-9QXH-4T0B": groups of four for printing and reading aloud.
std::string FormatTrackingCode(std::string_view canonical);
// Accepts what a person types: any case, dashes and spaces, I/L for 1, O for 0.
// nullopt unless exactly 12 symbols remain.
std::optional<std::string> NormalizeTrackingCode(std::string_view input);

// `bytes` random bytes in Crockford base32 (lower-case): secrets for links.
std::string NewSecret(size_t bytes = 20);

// SHA-256 hex and constant-time comparison are core's.
using core::ConstantTimeEquals;
using core::Sha256Hex;

}  // namespace amtsweg::intake
