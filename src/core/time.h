// UTC time points, ISO 8601 text, and an injectable clock.
//
// Everything stored or sent is UTC with microsecond precision. Local civil
// time (Europe/Berlin deadlines, holidays) is computed at the edges by the
// modules that need it, with Howard Hinnant's date/tz library.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::core {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// "2026-11-27T10:52:17.123456Z"; `fraction_digits` is 0, 3 or 6.
std::string FormatIso8601(Timestamp t, int fraction_digits = 3);

// Parses an ISO 8601 / RFC 3339 date-time with a 'Z' or ±hh:mm offset and an
// optional fraction (up to microseconds), e.g. "2026-03-29T02:30:00+02:00".
// A date-time without offset is rejected: the caller must say what zone it meant.
Result<Timestamp> ParseIso8601(std::string_view text);

// Milliseconds since the Unix epoch.
int64_t ToUnixMillis(Timestamp t);
Timestamp FromUnixMillis(int64_t ms);

// A source of "now". Production code takes a Clock& so tests can move time.
// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  static SystemClock& Instance();
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() const override {
    return Timestamp(std::chrono::microseconds(now_.load(std::memory_order_acquire)));
  }
  void Set(Timestamp t) { now_.store(t.time_since_epoch().count(), std::memory_order_release); }
  void Advance(std::chrono::microseconds d) { now_.fetch_add(d.count(), std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace amtsweg::core
