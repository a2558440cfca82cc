// Date and time built-ins: is, day of year, day name, month of year, week of
// year, now, today.
#include <chrono>

#include "feel/builtins_internal.h"

namespace amtsweg::feel::builtins {
namespace {

thread_local std::optional<int64_t> t_clock_micros;

// Nanoseconds since the epoch: the thread's EvalClock, else the system clock.
int64_t NowNanos() {
  if (t_clock_micros) return *t_clock_micros * 1000;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<int64_t> DaysOf(const Value& v) {
  if (v.kind() == Kind::kDate) return v.as_date().days;
  if (v.kind() == Kind::kDateTime) return v.as_date_time().days;
  return std::nullopt;
}

}  // namespace

void RegisterTemporal(Registry& r) {
  r.Add("is", {Sig({"value1", "value2"})}, [](EvalState&, Args a) {
    const Value &x = a[0], &y = a[1];
    if (x.kind() != y.kind()) return Value::Bool(false);
    if (x.kind() == Kind::kTime) {
      return Value::Bool(x.as_time().nanos == y.as_time().nanos && x.as_time().zone == y.as_time().zone);
    }
    if (x.kind() == Kind::kDateTime) {
      const DateTime &p = x.as_date_time(), &q = y.as_date_time();
      return Value::Bool(p.days == q.days && p.nanos == q.nanos && p.zone == q.zone);
    }
    return Value::Bool(ValuesEqual(x, y));
  });
  r.Add("day of year", {Sig({"date"})}, [](EvalState& st, Args a) {
    auto d = DaysOf(a[0]);
    if (!d) return Fail(st, "day of year", "date expected");
    Civil c = CivilFromDays(*d);
    return Value::Number(*d - DaysFromCivil(c.year, 1, 1) + 1);
  });
  r.Add("day of week", {Sig({"date"})}, [](EvalState& st, Args a) {
    static const char* kNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                   "Friday", "Saturday", "Sunday"};
    auto d = DaysOf(a[0]);
    if (!d) return Fail(st, "day of week", "date expected");
    return Value::String(kNames[IsoWeekday(*d) - 1]);
  });
  r.Add("month of year", {Sig({"date"})}, [](EvalState& st, Args a) {
    static const char* kNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
    auto d = DaysOf(a[0]);
    if (!d) return Fail(st, "month of year", "date expected");
    return Value::String(kNames[CivilFromDays(*d).month - 1]);
  });
  r.Add("week of year", {Sig({"date"})}, [](EvalState& st, Args a) {
    auto d = DaysOf(a[0]);
    if (!d) return Fail(st, "week of year", "date expected");
    return Value::Number(static_cast<int64_t>(IsoWeekOfYear(*d)));
  });
  r.Add("now", {Sig({})}, [](EvalState&, Args) {
    int64_t ns = NowNanos();
    int64_t days = ns / kNanosPerDay;
    return Value::OfDateTime(DateTime{days, ns - days * kNanosPerDay, ZoneSpec{0, ""}});
  });
  r.Add("today", {Sig({})}, [](EvalState&, Args) { return Value::OfDate(Date{NowNanos() / kNanosPerDay}); });
}

}  // namespace amtsweg::feel::builtins

namespace amtsweg::feel {

EvalClock::EvalClock(int64_t unix_micros) : previous_(builtins::t_clock_micros) {
  builtins::t_clock_micros = unix_micros;
}
EvalClock::~EvalClock() { builtins::t_clock_micros = previous_; }
std::optional<int64_t> EvalClock::Current() { return builtins::t_clock_micros; }

}  // namespace amtsweg::feel
