// Time-ordered unique ids (UUID version 7, RFC 9562): 48 bits of Unix
// milliseconds, then random bits from libsodium. Sorting ids sorts by creation
// time, which keeps B-tree inserts local in SQLite and PostgreSQL.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::core {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID
  explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // A new UUIDv7 for the current time. Thread-safe. Within one millisecond ids
  // from one process are still strictly increasing (monotonic counter in the
  // 12 bits of rand_a, RFC 9562 section 6.2 method 1).
  static Uuid NewV7();
  // The same, for a given Unix time in milliseconds (tests, replays).
  static Uuid NewV7At(int64_t unix_ms);
  // Parses the canonical 8-4-4-4-12 hex form (either case). kInvalidArgument otherwise.
  static Result<Uuid> Parse(std::string_view text);

  std::string ToString() const;  // lower-case canonical form
  int Version() const { return bytes_[6] >> 4; }
  int64_t UnixMillis() const;    // meaningful for version 7 only
  bool IsNil() const;
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  auto operator<=>(const Uuid&) const = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

// Shorthand for a new id as text, e.g. for request ids.
inline std::string NewId() { return Uuid::NewV7().ToString(); }

}  // namespace amtsweg::core
