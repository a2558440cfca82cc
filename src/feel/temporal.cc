#include "feel/temporal.h"

#include <chrono>
#include <cstdio>
#include <exception>

#include <date/tz.h>

namespace amtsweg::feel {
namespace {

constexpr int64_t kMaxDurationComponent = 999999999999;

// Reads exactly `n` digits at s[i]; advances i.
bool ReadFixed(std::string_view s, size_t& i, int n, int64_t* out) {
  if (i + static_cast<size_t>(n) > s.size()) return false;
  int64_t v = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[i + static_cast<size_t>(k)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  i += static_cast<size_t>(n);
  *out = v;
  return true;
}

// Reads one or more digits (at most 18).
bool ReadNumber(std::string_view s, size_t& i, int64_t* out, size_t* count = nullptr) {
  size_t start = i;
  int64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (i - start >= 18) return false;
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i == start) return false;
  if (count) *count = i - start;
  *out = v;
  return true;
}

bool ParseDatePart(std::string_view s, size_t& i, int64_t* days) {
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  size_t ndig = 0;
  int64_t year = 0;
  if (!ReadNumber(s, i, &year, &ndig)) return false;
  if (ndig < 4 || ndig > 9) return false;
  if (ndig > 4 && s[i - ndig] == '0') return false;
  if (neg) year = -year;
  int64_t m = 0, d = 0;
  if (i >= s.size() || s[i] != '-') return false;
  ++i;
  if (!ReadFixed(s, i, 2, &m)) return false;
  if (i >= s.size() || s[i] != '-') return false;
  ++i;
  if (!ReadFixed(s, i, 2, &d)) return false;
  if (!IsValidCivil(year, static_cast<int>(m), static_cast<int>(d))) return false;
  *days = DaysFromCivil(year, static_cast<int>(m), static_cast<int>(d));
  return true;
}

bool ParseZonePart(std::string_view s, size_t& i, ZoneSpec* z) {
  if (i == s.size()) return true;
  if (s[i] == 'Z' || s[i] == 'z') {
    z->offset = 0;
    ++i;
    return true;
  }
  if (s[i] == '+' || s[i] == '-') {
    int sign = s[i] == '-' ? -1 : 1;
    ++i;
    int64_t h = 0, m = 0, sec = 0;
    if (!ReadFixed(s, i, 2, &h)) return false;
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    if (!ReadFixed(s, i, 2, &m)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!ReadFixed(s, i, 2, &sec)) return false;
    }
    if (h > 18 || m > 59 || sec > 59) return false;
    z->offset = static_cast<int32_t>(sign * (h * 3600 + m * 60 + sec));
    return true;
  }
  if (s[i] == '@') {
    std::string zone(s.substr(i + 1));
    if (!IsKnownZone(zone)) return false;
    z->zone = zone;
    i = s.size();
    return true;
  }
  return false;
}

bool ParseTimePart(std::string_view s, size_t& i, int64_t* nanos) {
  int64_t h = 0, m = 0, sec = 0;
  if (!ReadFixed(s, i, 2, &h)) return false;
  if (i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!ReadFixed(s, i, 2, &m)) return false;
  if (i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!ReadFixed(s, i, 2, &sec)) return false;
  int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    int64_t scale = 100000000;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      frac += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return false;
  }
  if (h == 24 && m == 0 && sec == 0 && frac == 0) h = 0;
  if (h > 23 || m > 59 || sec > 59) return false;
  *nanos = ((h * 60 + m) * 60 + sec) * kNanosPerSecond + frac;
  return true;
}

std::string Pad2(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(v));
  return buf;
}

std::string FormatNanosOfDay(int64_t nanos) {
  int64_t secs = nanos / kNanosPerSecond;
  int64_t frac = nanos % kNanosPerSecond;
  std::string out = Pad2(secs / 3600) + ":" + Pad2(secs / 60 % 60) + ":" + Pad2(secs % 60);
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(frac));
    std::string f(buf);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  // Howard Hinnant's days_from_civil, widened to int64.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{y + (m <= 2), m, d};
}

int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[m - 1];
}

bool IsValidCivil(int64_t y, int m, int d) {
  if (y < -999999999 || y > 999999999) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= DaysInMonth(y, m);
}

int IsoWeekday(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

int IsoWeekOfYear(int64_t days) {
  // The ISO week belongs to the year of its Thursday.
  int64_t thursday = days - IsoWeekday(days) + 4;
  Civil c = CivilFromDays(thursday);
  int64_t jan1 = DaysFromCivil(c.year, 1, 1);
  return static_cast<int>((thursday - jan1) / 7 + 1);
}

bool IsKnownZone(const std::string& zone) {
  if (zone.empty()) return false;
  try {
    return date::locate_zone(zone) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<int32_t> ZoneOffsetAtLocal(const std::string& zone, int64_t days, int64_t nanos) {
  try {
    const date::time_zone* tz = date::locate_zone(zone);
    // date's year range is +-32767; clamp far years to the nearest representable.
    int64_t clamped = days;
    if (clamped > 11000000) clamped = 11000000;
    if (clamped < -11000000) clamped = -11000000;
    date::local_seconds ls{std::chrono::seconds(clamped * 86400 + nanos / kNanosPerSecond)};
    date::local_info info = tz->get_info(ls);
    auto off = info.first.offset;
    if (info.result == date::local_info::nonexistent) off = info.first.offset;
    return static_cast<int32_t>(off.count());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<int32_t> EffectiveOffset(const DateTime& dt) {
  if (dt.zone.offset) return dt.zone.offset;
  if (!dt.zone.zone.empty()) return ZoneOffsetAtLocal(dt.zone.zone, dt.days, dt.nanos);
  return std::nullopt;
}

Int128 InstantNanos(const DateTime& dt) {
  Int128 local = static_cast<Int128>(dt.days) * kNanosPerDay + dt.nanos;
  auto off = EffectiveOffset(dt);
  if (off) local -= static_cast<Int128>(*off) * kNanosPerSecond;
  return local;
}

int64_t TimeUtcNanos(const Time& t) {
  int64_t off = 0;
  if (t.zone.offset) {
    off = *t.zone.offset;
  } else if (!t.zone.zone.empty()) {
    // A zoned time has no date; use the zone's offset on 1970-01-01 as feel-scala does
    // for the standard offset.
    auto o = ZoneOffsetAtLocal(t.zone.zone, 0, t.nanos);
    off = o.value_or(0);
  }
  int64_t v = t.nanos - off * kNanosPerSecond;
  v %= kNanosPerDay;
  if (v < 0) v += kNanosPerDay;
  return v;
}

std::optional<Date> ParseDate(std::string_view s) {
  size_t i = 0;
  Date d;
  if (!ParseDatePart(s, i, &d.days) || i != s.size()) return std::nullopt;
  return d;
}

std::optional<Time> ParseTime(std::string_view s) {
  size_t i = 0;
  Time t;
  if (!ParseTimePart(s, i, &t.nanos)) return std::nullopt;
  if (!ParseZonePart(s, i, &t.zone) || i != s.size()) return std::nullopt;
  return t;
}

std::optional<DateTime> ParseDateTime(std::string_view s) {
  size_t i = 0;
  DateTime dt;
  if (!ParseDatePart(s, i, &dt.days)) return std::nullopt;
  if (i == s.size()) return dt;  // a date alone means midnight
  if (s[i] != 'T') return std::nullopt;
  ++i;
  size_t hour_pos = i;
  if (!ParseTimePart(s, i, &dt.nanos)) return std::nullopt;
  if (s.substr(hour_pos, 2) == "24") dt.days += 1;
  if (!ParseZonePart(s, i, &dt.zone) || i != s.size()) return std::nullopt;
  return dt;
}

std::optional<YmDuration> ParseYmDuration(std::string_view s) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  if (i >= s.size() || s[i] != 'P') return std::nullopt;
  ++i;
  int64_t years = 0, months = 0;
  bool any = false;
  int stage = 0;
  while (i < s.size()) {
    int64_t v = 0;
    if (!ReadNumber(s, i, &v) || i >= s.size()) return std::nullopt;
    // Bounded so that totals never overflow (a billion years is plenty).
    if (v > kMaxDurationComponent) return std::nullopt;
    char u = s[i++];
    if (u == 'Y' && stage < 1) {
      years = v;
      stage = 1;
    } else if (u == 'M' && stage < 2) {
      months = v;
      stage = 2;
    } else {
      return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  int64_t total = years * 12 + months;
  return YmDuration{neg ? -total : total};
}

std::optional<DtDuration> ParseDtDuration(std::string_view s) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  if (i >= s.size() || s[i] != 'P') return std::nullopt;
  ++i;
  Int128 total = 0;
  bool any = false, in_time = false;
  int stage = 0;  // D=1, H=2, M=3, S=4
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      ++i;
      if (i == s.size()) return std::nullopt;
      continue;
    }
    int64_t v = 0;
    if (!ReadNumber(s, i, &v) || i >= s.size()) return std::nullopt;
    // Bounded so that totals never overflow (a billion years is plenty).
    if (v > kMaxDurationComponent) return std::nullopt;
    int64_t frac = 0;
    if (s[i] == '.') {
      ++i;
      int64_t scale = 100000000;
      size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        frac += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
      (void)start;  // "PT0.S": the fraction may be empty
      if (i >= s.size() || s[i] != 'S') return std::nullopt;
    }
    char u = s[i++];
    Int128 unit = 0;
    int st = 0;
    if (u == 'D' && !in_time) {
      unit = kNanosPerDay, st = 1;
    } else if (u == 'H' && in_time) {
      unit = Int128(3600) * kNanosPerSecond, st = 2;
    } else if (u == 'M' && in_time) {
      unit = Int128(60) * kNanosPerSecond, st = 3;
    } else if (u == 'S' && in_time) {
      unit = kNanosPerSecond, st = 4;
    } else {
      return std::nullopt;
    }
    if (st <= stage) return std::nullopt;
    stage = st;
    total += unit * v + frac;
    any = true;
  }
  if (!any) return std::nullopt;
  return DtDuration{neg ? -total : total};
}

std::string FormatDate(const Date& d) {
  Civil c = CivilFromDays(d.days);
  char buf[32];
  int64_t y = c.year < 0 ? -c.year : c.year;
  std::snprintf(buf, sizeof buf, "%s%04lld-%02d-%02d", c.year < 0 ? "-" : "",
                static_cast<long long>(y), c.month, c.day);
  return buf;
}

std::string FormatZone(const ZoneSpec& z) {
  if (!z.zone.empty()) return "@" + z.zone;
  if (!z.offset) return "";
  int32_t off = *z.offset;
  if (off == 0) return "Z";
  std::string out = off < 0 ? "-" : "+";
  if (off < 0) off = -off;
  out += Pad2(off / 3600) + ":" + Pad2(off / 60 % 60);
  if (off % 60) out += ":" + Pad2(off % 60);
  return out;
}

std::string FormatTime(const Time& t) { return FormatNanosOfDay(t.nanos) + FormatZone(t.zone); }

std::string FormatDateTime(const DateTime& dt) {
  return FormatDate(Date{dt.days}) + "T" + FormatNanosOfDay(dt.nanos) + FormatZone(dt.zone);
}

std::string FormatYmDuration(const YmDuration& d) {
  int64_t m = d.months < 0 ? -d.months : d.months;
  std::string out = d.months < 0 ? "-P" : "P";
  if (m == 0) return "P0M";
  if (m / 12) out += std::to_string(m / 12) + "Y";
  if (m % 12) out += std::to_string(m % 12) + "M";
  return out;
}

std::string FormatDtDuration(const DtDuration& d) {
  Int128 n = d.nanos < 0 ? -d.nanos : d.nanos;
  if (n == 0) return "PT0S";
  std::string out = d.nanos < 0 ? "-P" : "P";
  Int128 total_secs = n / kNanosPerSecond;
  int64_t frac = static_cast<int64_t>(n % kNanosPerSecond);
  int64_t days = static_cast<int64_t>(total_secs / 86400);
  int64_t rem = static_cast<int64_t>(total_secs % 86400);
  if (days) out += std::to_string(days) + "D";
  if (rem || frac) {
    out += "T";
    if (rem / 3600) out += std::to_string(rem / 3600) + "H";
    if (rem / 60 % 60) out += std::to_string(rem / 60 % 60) + "M";
    if (rem % 60 || frac) {
      out += std::to_string(rem % 60);
      if (frac) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(frac));
        std::string f(buf);
        while (!f.empty() && f.back() == '0') f.pop_back();
        out += "." + f;
      }
      out += "S";
    }
  }
  return out;
}

}  // namespace amtsweg::feel
