// FEEL temporal values: date, time, date and time (local, with UTC offset or
// with an IANA zone), years-and-months duration and days-and-time duration.
//
// Dates are day counts on the proleptic Gregorian calendar, so years beyond
// 0000..9999 (and negative years) work. Zone rules come from the system tzdata
// through Howard Hinnant's date/tz. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace amtsweg::feel {

using Int128 = __int128;
constexpr int64_t kNanosPerSecond = 1000000000;
constexpr int64_t kNanosPerDay = 86400 * kNanosPerSecond;

// An offset from UTC in seconds and/or an IANA zone id. Both empty: local.
struct ZoneSpec {
  std::optional<int32_t> offset;  // seconds east of UTC
  std::string zone;               // "Europe/Berlin"; empty if none
  bool IsLocal() const { return !offset && zone.empty(); }
  bool operator==(const ZoneSpec&) const = default;
};

struct Date {
  int64_t days = 0;  // since 1970-01-01
};

struct Time {
  int64_t nanos = 0;  // since midnight, [0, kNanosPerDay)
  ZoneSpec zone;
};

struct DateTime {
  int64_t days = 0;
  int64_t nanos = 0;
  ZoneSpec zone;
};

struct YmDuration {
  int64_t months = 0;
};

struct DtDuration {
  Int128 nanos = 0;
};

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

int64_t DaysFromCivil(int64_t y, int m, int d);
Civil CivilFromDays(int64_t days);
bool IsValidCivil(int64_t y, int m, int d);
int DaysInMonth(int64_t y, int m);
// 1 = Monday .. 7 = Sunday
int IsoWeekday(int64_t days);
int IsoWeekOfYear(int64_t days);

// Parsers for FEEL / XML Schema lexical forms. nullopt when malformed or invalid.
std::optional<Date> ParseDate(std::string_view s);                // "2017-12-31", "-0001-01-01"
std::optional<Time> ParseTime(std::string_view s);                // "10:30:00.5+01:00", "10:30@Europe/Paris"
std::optional<DateTime> ParseDateTime(std::string_view s);        // "2017-12-31T10:30:00Z"
std::optional<YmDuration> ParseYmDuration(std::string_view s);    // "P1Y2M", "-P3M"
std::optional<DtDuration> ParseDtDuration(std::string_view s);    // "P1DT2H3M4.5S"

std::string FormatDate(const Date& d);
std::string FormatTime(const Time& t);
std::string FormatDateTime(const DateTime& dt);
std::string FormatYmDuration(const YmDuration& d);
std::string FormatDtDuration(const DtDuration& d);
std::string FormatZone(const ZoneSpec& z);  // "Z", "+01:00", "@Europe/Berlin", "" for local

// Offset in seconds of `zone` at the given local date/time; nullopt if unknown zone.
std::optional<int32_t> ZoneOffsetAtLocal(const std::string& zone, int64_t days, int64_t nanos);
bool IsKnownZone(const std::string& zone);

// Effective offset: explicit offset, else zone's offset at that local time.
std::optional<int32_t> EffectiveOffset(const DateTime& dt);
// Nanoseconds since the epoch in UTC (local values are read as UTC).
Int128 InstantNanos(const DateTime& dt);
// Time of day normalised to UTC where an offset is known.
int64_t TimeUtcNanos(const Time& t);

}  // namespace amtsweg::feel
