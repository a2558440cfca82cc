// Conversion and boolean built-ins: date, time, date and time, duration,
// years and months duration, number, string, not.
#include "feel/builtins_internal.h"
#include "feel/ops.h"

namespace amtsweg::feel::builtins {
namespace {

Value DateFn(EvalState& st, Args a) {
  if (a.size() == 1) {
    const Value& f = a[0];
    if (f.is_string()) {
      if (auto d = ParseDate(f.as_string())) return Value::OfDate(*d);
      return Fail(st, "date", "invalid date \"" + f.as_string() + "\"");
    }
    if (f.kind() == Kind::kDate) return f;
    if (f.kind() == Kind::kDateTime) return Value::OfDate(Date{f.as_date_time().days});
    return Fail(st, "date", "cannot convert " + std::string(KindName(f.kind())));
  }
  auto y = IntArg(a[0]), m = IntArg(a[1]), d = IntArg(a[2]);
  if (!y || !m || !d) return Fail(st, "date", "year, month and day must be integers");
  if (!IsValidCivil(*y, static_cast<int>(*m), static_cast<int>(*d)))
    return Fail(st, "date", "no such date");
  return Value::OfDate(Date{DaysFromCivil(*y, static_cast<int>(*m), static_cast<int>(*d))});
}

Value DateTimeFn(EvalState& st, Args a) {
  if (a.size() == 1) {
    const Value& f = a[0];
    if (f.is_string()) {
      if (auto d = ParseDateTime(f.as_string())) return Value::OfDateTime(*d);
      return Fail(st, "date and time", "invalid date and time \"" + f.as_string() + "\"");
    }
    if (f.kind() == Kind::kDateTime) return f;
    if (f.kind() == Kind::kDate) return Value::OfDateTime(DateToDateTime(f.as_date()));
    return Fail(st, "date and time", "cannot convert " + std::string(KindName(f.kind())));
  }
  const Value &d = a[0], &t = a[1];
  int64_t days;
  if (d.kind() == Kind::kDate) days = d.as_date().days;
  else if (d.kind() == Kind::kDateTime) days = d.as_date_time().days;
  else return Fail(st, "date and time", "first argument must be a date");
  if (t.kind() != Kind::kTime) return Fail(st, "date and time", "second argument must be a time");
  return Value::OfDateTime(DateTime{days, t.as_time().nanos, t.as_time().zone});
}

Value TimeFn(EvalState& st, Args a) {
  if (a.size() == 1) {
    const Value& f = a[0];
    if (f.is_string()) {
      if (auto t = ParseTime(f.as_string())) return Value::OfTime(*t);
      return Fail(st, "time", "invalid time \"" + f.as_string() + "\"");
    }
    if (f.kind() == Kind::kTime) return f;
    if (f.kind() == Kind::kDateTime)
      return Value::OfTime(Time{f.as_date_time().nanos, f.as_date_time().zone});
    if (f.kind() == Kind::kDate) return Value::OfTime(Time{0, ZoneSpec{0, ""}});
    return Fail(st, "time", "cannot convert " + std::string(KindName(f.kind())));
  }
  auto h = IntArg(a[0]), m = IntArg(a[1]);
  if (!h || !m || !a[2].is_number()) return Fail(st, "time", "hour, minute, second must be numbers");
  if (*h < 0 || *h > 23 || *m < 0 || *m > 59) return Fail(st, "time", "out of range");
  Decimal s = a[2].as_number();
  if (s.IsNegative() || !(s < Decimal::FromInt(60))) return Fail(st, "time", "second out of range");
  auto nanos = s.Mul(Decimal::FromInt(kNanosPerSecond));
  auto n = nanos ? nanos->Truncate().TruncToInt64() : std::nullopt;
  if (!n) return Fail(st, "time", "bad seconds");
  Time t{(*h * 3600 + *m * 60) * kNanosPerSecond + *n, {}};
  if (a.size() > 3 && !a[3].is_null()) {
    if (a[3].kind() != Kind::kDtDuration) return Fail(st, "time", "offset must be a duration");
    t.zone.offset = static_cast<int32_t>(a[3].as_dt().nanos / kNanosPerSecond);
  }
  return Value::OfTime(t);
}

Value DurationFn(EvalState& st, Args a) {
  if (!a[0].is_string()) return Fail(st, "duration", "argument must be a string");
  const std::string& s = a[0].as_string();
  if (auto dt = ParseDtDuration(s)) return Value::OfDt(*dt);
  if (auto ym = ParseYmDuration(s)) return Value::OfYm(*ym);
  return Fail(st, "duration", "invalid duration \"" + s + "\"");
}

Value YmDurationFn(EvalState& st, Args a) {
  auto civil = [](const Value& v) -> std::optional<std::pair<Civil, int64_t>> {
    if (v.kind() == Kind::kDate) return std::make_pair(CivilFromDays(v.as_date().days), int64_t{0});
    if (v.kind() == Kind::kDateTime)
      return std::make_pair(CivilFromDays(v.as_date_time().days), v.as_date_time().nanos);
    return std::nullopt;
  };
  auto from = civil(a[0]), to = civil(a[1]);
  if (!from || !to) return Fail(st, "years and months duration", "arguments must be dates");
  int64_t months = (to->first.year - from->first.year) * 12 + (to->first.month - from->first.month);
  // Whole months only: drop the last one if it is not complete.
  auto key = [](const std::pair<Civil, int64_t>& c) {
    return std::make_pair(c.first.day, c.second);
  };
  if (months > 0 && key(*to) < key(*from)) --months;
  if (months < 0 && key(*to) > key(*from)) ++months;
  return Value::OfYm({months});
}

Value NumberFn(EvalState& st, Args a) {
  if (!a[0].is_string()) return Fail(st, "number", "from must be a string");
  std::string s = a[0].as_string();
  std::string group = a.size() > 1 && a[1].is_string() ? a[1].as_string() : "";
  std::string dec = a.size() > 2 && a[2].is_string() ? a[2].as_string() : "";
  if (a.size() > 1 && !a[1].is_null() && !a[1].is_string()) return Fail(st, "number", "bad separator");
  if (a.size() > 2 && !a[2].is_null() && !a[2].is_string()) return Fail(st, "number", "bad separator");
  if (!group.empty() && group != " " && group != "," && group != ".")
    return Fail(st, "number", "grouping separator must be ' ', ',' or '.'");
  if (!dec.empty() && dec != "," && dec != ".") return Fail(st, "number", "decimal separator must be ',' or '.'");
  if (!group.empty() && group == dec) return Fail(st, "number", "separators must differ");
  std::string clean;
  for (char c : s) {
    if (!group.empty() && c == group[0]) continue;
    if (!dec.empty() && c == dec[0]) {
      clean += '.';
      continue;
    }
    clean += c;
  }
  auto d = Decimal::Parse(clean);
  if (!d) return Fail(st, "number", "cannot parse \"" + s + "\"");
  return Value::Number(*d);
}

}  // namespace

void RegisterConversion(Registry& r) {
  r.Add("date", {Sig({"from"}), Sig({"year", "month", "day"})}, DateFn);
  r.Add("date and time", {Sig({"from"}), Sig({"date", "time"})}, DateTimeFn);
  r.Add("time", {Sig({"from"}), Sig({"hour", "minute", "second", "offset"}, 1)}, TimeFn);
  r.Add("duration", {Sig({"from"})}, DurationFn);
  r.Add("years and months duration", {Sig({"from", "to"})}, YmDurationFn);
  r.Add("number", {Sig({"from", "grouping separator", "decimal separator"}, 2)}, NumberFn);
  r.Add("string", {Sig({"from"})}, [](EvalState&, Args a) {
    if (a[0].is_null()) return Value();
    return Value::String(ToFeelString(a[0]));
  });
  r.Add("not", {Sig({"negand"})}, [](EvalState&, Args a) {
    return a[0].is_bool() ? Value::Bool(!a[0].as_bool()) : Value();
  });
}

}  // namespace amtsweg::feel::builtins
