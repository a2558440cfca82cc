// ISO 8601 timer definitions of BPMN timer events: a date ("2026-03-01T08:00:00Z"),
// a duration ("PT15M", "P1M2DT3H") or a repeating cycle ("R3/PT10S", "R/P1D",
// "R2/2026-03-01T08:00:00Z/PT1H"). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace amtsweg::engine {

// A duration with a calendar part (months, added on the civil calendar, clamped
// to the end of a shorter month) and an exact part (microseconds).
struct IsoDuration {
  int64_t months = 0;
  int64_t micros = 0;
  bool operator==(const IsoDuration&) const = default;
};

// "P1Y2M3W4DT5H6M7.5S"; weeks and days count 24 h. kInvalidArgument otherwise
// (negative and empty durations too: a timer cannot wait less than nothing).
core::Result<IsoDuration> ParseIsoDuration(std::string_view text);
std::string FormatIsoDuration(const IsoDuration& d);
core::Timestamp AddDuration(core::Timestamp t, const IsoDuration& d);

// When a timer fires first and how often it repeats.
struct TimerSchedule {
  core::Timestamp due;
  int64_t repetitions = 0;  // further firings after the first; -1 unbounded
  IsoDuration interval;     // between firings (cycles only)
  bool operator==(const TimerSchedule&) const = default;
};

// kInvalidArgument with the text in the message when it is not of the form.
core::Result<TimerSchedule> ParseTimerDate(std::string_view text);
core::Result<TimerSchedule> ParseTimerDuration(std::string_view text, core::Timestamp now);
// "R<n>/<duration>", "R/<duration>", "R<n>/<start date-time>/<duration>".
// Cron expressions are kUnimplemented.
core::Result<TimerSchedule> ParseTimerCycle(std::string_view text, core::Timestamp now);

}  // namespace amtsweg::engine
