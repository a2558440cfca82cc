#include "core/time.h"

#include <cctype>

#include <date/date.h>
#include <fmt/format.h>

namespace amtsweg::core {
namespace {

bool ReadDigits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::string FormatIso8601(Timestamp t, int fraction_digits) {
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd{day};
  date::hh_mm_ss<std::chrono::microseconds> hms{t - day};
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                hms.hours().count(), hms.minutes().count(), hms.seconds().count());
  int64_t us = hms.subseconds().count();
  if (fraction_digits == 3) out += fmt::format(".{:03}", us / 1000);
  else if (fraction_digits == 6) out += fmt::format(".{:06}", us);
  out += 'Z';
  return out;
}

Result<Timestamp> ParseIso8601(std::string_view s) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument(fmt::format("invalid ISO 8601 date-time '{}': {}", s, why));
  };
  size_t pos = 0;
  int y, mo, d, h, mi, sec;
  if (!ReadDigits(s, pos, 4, y) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, mo) ||
      !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, d)) {
    return bad("expected YYYY-MM-DD");
  }
  if (!(Expect(s, pos, 'T') || Expect(s, pos, 't') || Expect(s, pos, ' '))) return bad("expected 'T' after the date");
  if (!ReadDigits(s, pos, 2, h) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, mi) ||
      !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, sec)) {
    return bad("expected hh:mm:ss");
  }
  int64_t micros = 0;
  if (Expect(s, pos, '.') || Expect(s, pos, ',')) {
    int digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad("empty fraction");
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (Expect(s, pos, 'Z') || Expect(s, pos, 'z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos++] == '-' ? -1 : 1;
    int oh, om;
    if (!ReadDigits(s, pos, 2, oh) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, om) || oh > 23 || om > 59) {
      return bad("expected offset ±hh:mm");
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return bad("missing offset: add 'Z' or ±hh:mm");
  }
  if (pos != s.size()) return bad("unexpected text after the offset");
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("no such calendar date");
  if (h > 23 || mi > 59 || sec > 59) return bad("time of day out of range");
  Timestamp t = date::sys_days{ymd} + std::chrono::hours(h) + std::chrono::minutes(mi) +
                std::chrono::seconds(sec) + std::chrono::microseconds(micros) -
                std::chrono::minutes(offset_minutes);
  return t;
}

int64_t ToUnixMillis(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Timestamp FromUnixMillis(int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace amtsweg::core
