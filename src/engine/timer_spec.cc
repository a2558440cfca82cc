#include "engine/timer_spec.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "feel/temporal.h"

namespace amtsweg::engine {
namespace {

core::Error Bad(std::string_view what, std::string_view text) {
  return core::InvalidArgument(fmt::format("not an ISO 8601 {}: '{}'", what, text));
}

}  // namespace

core::Result<IsoDuration> ParseIsoDuration(std::string_view text) {
  std::string_view s = text;
  if (s.size() < 3 || s[0] != 'P') return Bad("duration", text);
  s.remove_prefix(1);
  IsoDuration d;
  bool in_time = false;
  bool any = false;
  while (!s.empty()) {
    if (s[0] == 'T') {
      if (in_time) return Bad("duration", text);
      in_time = true;
      s.remove_prefix(1);
      if (s.empty()) return Bad("duration", text);
      continue;
    }
    size_t n = 0;
    while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.' || s[n] == ',')) ++n;
    if (n == 0 || n == s.size()) return Bad("duration", text);
    std::string number(s.substr(0, n));
    for (char& c : number) if (c == ',') c = '.';
    char unit = s[n];
    s.remove_prefix(n + 1);
    double value = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || p != number.data() + number.size() || value < 0 || value > 1e12) {
      return Bad("duration", text);
    }
    bool fractional = number.find('.') != std::string::npos;
    auto whole = static_cast<int64_t>(value);
    constexpr int64_t kSecond = 1'000'000;
    if (!in_time) {
      if (fractional) return Bad("duration", text);
      switch (unit) {
        case 'Y': d.months += whole * 12; break;
        case 'M': d.months += whole; break;
        case 'W': d.micros += whole * 7 * 86400 * kSecond; break;
        case 'D': d.micros += whole * 86400 * kSecond; break;
        default: return Bad("duration", text);
      }
    } else {
      switch (unit) {
        case 'H': if (fractional) return Bad("duration", text); d.micros += whole * 3600 * kSecond; break;
        case 'M': if (fractional) return Bad("duration", text); d.micros += whole * 60 * kSecond; break;
        case 'S': d.micros += static_cast<int64_t>(std::llround(value * kSecond)); break;
        default: return Bad("duration", text);
      }
    }
    any = true;
  }
  if (!any) return Bad("duration", text);
  return d;
}

std::string FormatIsoDuration(const IsoDuration& d) {
  std::string out = "P";
  if (d.months != 0) out += fmt::format("{}M", d.months);
  int64_t us = d.micros;
  if (us != 0 || d.months == 0) {
    int64_t days = us / (86400LL * 1'000'000);
    us -= days * 86400LL * 1'000'000;
    if (days != 0) out += fmt::format("{}D", days);
    if (us != 0 || out == "P") {
      out += "T";
      int64_t h = us / (3600LL * 1'000'000);
      us -= h * 3600LL * 1'000'000;
      int64_t m = us / (60LL * 1'000'000);
      us -= m * 60LL * 1'000'000;
      if (h != 0) out += fmt::format("{}H", h);
      if (m != 0) out += fmt::format("{}M", m);
      if (us != 0 || (h == 0 && m == 0)) {
        if (us % 1'000'000 == 0) {
          out += fmt::format("{}S", us / 1'000'000);
        } else {
          out += fmt::format("{}.{:06}S", us / 1'000'000, us % 1'000'000);
        }
      }
    }
  }
  return out;
}

core::Timestamp AddDuration(core::Timestamp t, const IsoDuration& d) {
  if (d.months != 0) {
    constexpr int64_t kDay = 86400LL * 1'000'000;
    int64_t us = t.time_since_epoch().count();
    int64_t days = us >= 0 ? us / kDay : -((-us + kDay - 1) / kDay);
    int64_t rest = us - days * kDay;
    feel::Civil c = feel::CivilFromDays(days);
    int64_t month_index = c.year * 12 + (c.month - 1) + d.months;
    int64_t year = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
    int month = static_cast<int>(month_index - year * 12) + 1;
    int day = std::min(c.day, feel::DaysInMonth(year, month));
    t = core::Timestamp(std::chrono::microseconds(feel::DaysFromCivil(year, month, day) * kDay + rest));
  }
  return t + std::chrono::microseconds(d.micros);
}

core::Result<TimerSchedule> ParseTimerDate(std::string_view text) {
  auto t = core::ParseIso8601(text);
  if (t.ok()) return TimerSchedule{*t, 0, {}};
  // A FEEL date-time with an IANA zone ("2027-04-02T08:00:00@Europe/Berlin", what
  // `date and time(d, time("08:00:00@Europe/Berlin"))` gives), as Zeebe accepts
  // zoned date-times: the zone's offset at that local time (summer time included).
  if (auto dt = feel::ParseDateTime(text); dt && !dt->zone.zone.empty()) {
    if (auto off = feel::EffectiveOffset(*dt)) {
      int64_t local_us = dt->days * 86400LL * 1'000'000 + dt->nanos / 1000;
      return TimerSchedule{core::Timestamp(std::chrono::microseconds(local_us - int64_t{*off} * 1'000'000)), 0, {}};
    }
  }
  return Bad("date-time with offset", text);
}

core::Result<TimerSchedule> ParseTimerDuration(std::string_view text, core::Timestamp now) {
  AW_ASSIGN_OR_RETURN(IsoDuration d, ParseIsoDuration(text));
  return TimerSchedule{AddDuration(now, d), 0, {}};
}

core::Result<TimerSchedule> ParseTimerCycle(std::string_view text, core::Timestamp now) {
  if (text.empty() || text[0] != 'R') {
    if (text.find(' ') != std::string_view::npos) {
      return core::Unimplemented(fmt::format("cron timer cycles are not supported: '{}'", text));
    }
    return Bad("repeating interval", text);
  }
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return Bad("repeating interval", text);
  std::string_view count = text.substr(1, slash - 1);
  int64_t total = -1;
  if (!count.empty()) {
    auto [p, ec] = std::from_chars(count.data(), count.data() + count.size(), total);
    if (ec != std::errc() || p != count.data() + count.size() || total < 1) return Bad("repeating interval", text);
  }
  std::string_view rest = text.substr(slash + 1);
  core::Timestamp start = now;
  bool explicit_start = false;
  size_t slash2 = rest.find('/');
  if (slash2 != std::string_view::npos) {
    auto t = core::ParseIso8601(rest.substr(0, slash2));
    if (!t.ok()) return Bad("repeating interval", text);
    start = *t;
    explicit_start = true;
    rest = rest.substr(slash2 + 1);
  }
  AW_ASSIGN_OR_RETURN(IsoDuration d, ParseIsoDuration(rest));
  if (d.months == 0 && d.micros == 0) return Bad("repeating interval", text);
  // With a start date the first firing is at the start (ISO 8601 R/start/duration);
  // without one, one interval from now (as Zeebe and Camunda do).
  core::Timestamp due = explicit_start ? start : AddDuration(start, d);
  return TimerSchedule{due, total < 0 ? -1 : total - 1, d};
}

}  // namespace amtsweg::engine
