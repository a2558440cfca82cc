#include "feel/ops.h"

#include <string>

namespace amtsweg::feel {
namespace {

Value Invalid(const char* op, const Value& a, const Value& b, EvalState& st) {
  if (!a.is_null() && !b.is_null()) {
    st.Warn(std::string("invalid operation: ") + KindName(a.kind()) + " " + op + " " +
            KindName(b.kind()));
  }
  return Value();
}

Int128 FloorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Value AddTimeNanos(const Time& t, Int128 nanos) {
  Int128 n = (static_cast<Int128>(t.nanos) + nanos) % kNanosPerDay;
  if (n < 0) n += kNanosPerDay;
  Time r = t;
  r.nanos = static_cast<int64_t>(n);
  return Value::OfTime(r);
}

}  // namespace

DateTime DateToDateTime(const Date& d) { return DateTime{d.days, 0, {}}; }

namespace {
// In subtraction with a date and time, a date is midnight UTC (DMN 1.4 §10.3.2.3.6).
DateTime DateAsUtc(const Date& d) { return DateTime{d.days, 0, ZoneSpec{0, ""}}; }
int64_t TimeNanosUtcUnwrapped(const Time& t) {
  int64_t off = t.zone.offset ? *t.zone.offset : 0;
  if (!t.zone.offset && !t.zone.zone.empty()) off = ZoneOffsetAtLocal(t.zone.zone, 0, t.nanos).value_or(0);
  return t.nanos - off * kNanosPerSecond;
}
}  // namespace

DateTime AddMonths(const DateTime& dt, int64_t months) {
  Civil c = CivilFromDays(dt.days);
  int64_t total = c.year * 12 + (c.month - 1) + months;
  int64_t y = total >= 0 ? total / 12 : -((-total + 11) / 12);
  int m = static_cast<int>(total - y * 12) + 1;
  int d = std::min(c.day, DaysInMonth(y, m));
  DateTime r = dt;
  r.days = DaysFromCivil(y, m, d);
  return r;
}

DateTime AddNanos(const DateTime& dt, Int128 nanos) {
  Int128 total = static_cast<Int128>(dt.days) * kNanosPerDay + dt.nanos + nanos;
  Int128 days = FloorDiv(total, kNanosPerDay);
  DateTime r = dt;
  r.days = static_cast<int64_t>(days);
  r.nanos = static_cast<int64_t>(total - days * kNanosPerDay);
  return r;
}

std::optional<Decimal> DtToSeconds(const DtDuration& d) {
  Int128 n = d.nanos;
  bool neg = n < 0;
  if (neg) n = -n;
  std::string s;
  Int128 secs = n / kNanosPerSecond;
  int64_t frac = static_cast<int64_t>(n % kNanosPerSecond);
  if (secs == 0) s = "0";
  while (secs > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(secs % 10)));
    secs /= 10;
  }
  std::string f = std::to_string(frac);
  f.insert(0, 9 - f.size(), '0');
  auto r = Decimal::Parse((neg ? "-" : "") + s + "." + f);
  return r;
}

std::optional<DtDuration> SecondsToDt(const Decimal& secs) {
  auto nanos = secs.Mul(Decimal::FromInt(kNanosPerSecond));
  if (!nanos) return std::nullopt;
  auto rounded = nanos->RoundTo(0, Decimal::Rounding::kHalfEven);
  if (!rounded) return std::nullopt;
  // Convert the integral decimal to Int128 through its digits.
  bool neg;
  std::string digits;
  int exp;
  rounded->Decompose(&neg, &digits, &exp);
  if (exp < 0 || digits.size() + static_cast<size_t>(exp) > 36) return std::nullopt;
  Int128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  for (int i = 0; i < exp; ++i) v *= 10;
  return DtDuration{neg ? -v : v};
}

Value OpAdd(const Value& a, const Value& b, EvalState& st) {
  if (a.is_null() || b.is_null()) return Value();
  Kind ka = a.kind(), kb = b.kind();
  if (ka == Kind::kNumber && kb == Kind::kNumber) {
    auto r = a.as_number().Add(b.as_number());
    if (!r) st.Warn("number overflow in +");
    return Value::Number(r);
  }
  if (ka == Kind::kString && kb == Kind::kString) return Value::String(a.as_string() + b.as_string());
  if (ka == Kind::kYmDuration && kb == Kind::kYmDuration)
  {
    int64_t m;
    if (__builtin_add_overflow(a.as_ym().months, b.as_ym().months, &m)) return Invalid("+", a, b, st);
    return Value::OfYm({m});
  }
  if (ka == Kind::kDtDuration && kb == Kind::kDtDuration)
    return Value::OfDt({a.as_dt().nanos + b.as_dt().nanos});
  // Temporal + duration, either order.
  const Value& t = (kb == Kind::kYmDuration || kb == Kind::kDtDuration) ? a : b;
  const Value& d = (&t == &a) ? b : a;
  if (d.kind() == Kind::kYmDuration || d.kind() == Kind::kDtDuration) {
    bool ym = d.kind() == Kind::kYmDuration;
    switch (t.kind()) {
      case Kind::kDateTime:
        return Value::OfDateTime(ym ? AddMonths(t.as_date_time(), d.as_ym().months)
                                    : AddNanos(t.as_date_time(), d.as_dt().nanos));
      case Kind::kDate: {
        DateTime dt = DateToDateTime(t.as_date());
        DateTime r = ym ? AddMonths(dt, d.as_ym().months) : AddNanos(dt, d.as_dt().nanos);
        return Value::OfDate(Date{r.days});
      }
      case Kind::kTime:
        if (!ym) return AddTimeNanos(t.as_time(), d.as_dt().nanos);
        break;
      default: break;
    }
  }
  return Invalid("+", a, b, st);
}

Value OpSub(const Value& a, const Value& b, EvalState& st) {
  if (a.is_null() || b.is_null()) return Value();
  Kind ka = a.kind(), kb = b.kind();
  if (ka == Kind::kNumber && kb == Kind::kNumber) {
    auto r = a.as_number().Sub(b.as_number());
    if (!r) st.Warn("number overflow in -");
    return Value::Number(r);
  }
  if (ka == Kind::kYmDuration && kb == Kind::kYmDuration)
  {
    int64_t m;
    if (__builtin_sub_overflow(a.as_ym().months, b.as_ym().months, &m)) return Invalid("-", a, b, st);
    return Value::OfYm({m});
  }
  if (ka == Kind::kDtDuration && kb == Kind::kDtDuration)
    return Value::OfDt({a.as_dt().nanos - b.as_dt().nanos});
  if ((ka == Kind::kDateTime || ka == Kind::kDate) && (kb == Kind::kDateTime || kb == Kind::kDate)) {
    bool both_dates = ka == Kind::kDate && kb == Kind::kDate;
    DateTime x = ka == Kind::kDate ? (both_dates ? DateToDateTime(a.as_date()) : DateAsUtc(a.as_date()))
                                   : a.as_date_time();
    DateTime y = kb == Kind::kDate ? (both_dates ? DateToDateTime(b.as_date()) : DateAsUtc(b.as_date()))
                                   : b.as_date_time();
    if (x.zone.IsLocal() != y.zone.IsLocal()) {
      st.Warn("cannot subtract a local date and time and one with a zone");
      return Value();
    }
    return Value::OfDt({InstantNanos(x) - InstantNanos(y)});
  }
  if (ka == Kind::kTime && kb == Kind::kTime) {
    const Time &x = a.as_time(), &y = b.as_time();
    if (x.zone.IsLocal() != y.zone.IsLocal()) return Invalid("-", a, b, st);
    return Value::OfDt({static_cast<Int128>(TimeNanosUtcUnwrapped(x)) - TimeNanosUtcUnwrapped(y)});
  }
  if (kb == Kind::kYmDuration) {
    if (ka == Kind::kDateTime) return Value::OfDateTime(AddMonths(a.as_date_time(), -b.as_ym().months));
    if (ka == Kind::kDate)
      return Value::OfDate(Date{AddMonths(DateToDateTime(a.as_date()), -b.as_ym().months).days});
  }
  if (kb == Kind::kDtDuration) {
    if (ka == Kind::kDateTime) return Value::OfDateTime(AddNanos(a.as_date_time(), -b.as_dt().nanos));
    if (ka == Kind::kDate)
      return Value::OfDate(Date{AddNanos(DateToDateTime(a.as_date()), -b.as_dt().nanos).days});
    if (ka == Kind::kTime) return AddTimeNanos(a.as_time(), -b.as_dt().nanos);
  }
  return Invalid("-", a, b, st);
}

Value OpMul(const Value& a, const Value& b, EvalState& st) {
  if (a.is_null() || b.is_null()) return Value();
  Kind ka = a.kind(), kb = b.kind();
  if (ka == Kind::kNumber && kb == Kind::kNumber) {
    auto r = a.as_number().Mul(b.as_number());
    if (!r) st.Warn("number overflow in *");
    return Value::Number(r);
  }
  const Value& n = ka == Kind::kNumber ? a : b;
  const Value& d = ka == Kind::kNumber ? b : a;
  if (n.kind() == Kind::kNumber) {
    if (d.kind() == Kind::kYmDuration) {
      auto r = Decimal::FromInt(d.as_ym().months).Mul(n.as_number());
      if (!r) return Value();
      auto m = r->Truncate().TruncToInt64();
      if (!m) return Value();
      return Value::OfYm({*m});
    }
    if (d.kind() == Kind::kDtDuration) {
      auto s = DtToSeconds(d.as_dt());
      if (!s) return Value();
      auto r = s->Mul(n.as_number());
      if (!r) return Value();
      auto dt = SecondsToDt(*r);
      if (!dt) return Value();
      return Value::OfDt(*dt);
    }
  }
  return Invalid("*", a, b, st);
}

Value OpDiv(const Value& a, const Value& b, EvalState& st) {
  if (a.is_null() || b.is_null()) return Value();
  Kind ka = a.kind(), kb = b.kind();
  if (ka == Kind::kNumber && kb == Kind::kNumber) {
    if (b.as_number().IsZero()) {
      st.Warn("division by zero");
      return Value();
    }
    return Value::Number(a.as_number().Div(b.as_number()));
  }
  if (kb == Kind::kNumber) {
    if (b.as_number().IsZero()) {
      st.Warn("division by zero");
      return Value();
    }
    if (ka == Kind::kYmDuration) {
      auto r = Decimal::FromInt(a.as_ym().months).Div(b.as_number());
      if (!r) return Value();
      auto m = r->Truncate().TruncToInt64();
      if (!m) return Value();
      return Value::OfYm({*m});
    }
    if (ka == Kind::kDtDuration) {
      auto s = DtToSeconds(a.as_dt());
      if (!s) return Value();
      auto r = s->Div(b.as_number());
      if (!r) return Value();
      auto dt = SecondsToDt(*r);
      if (!dt) return Value();
      return Value::OfDt(*dt);
    }
  }
  if (ka == Kind::kYmDuration && kb == Kind::kYmDuration) {
    if (b.as_ym().months == 0) return Value();
    return Value::Number(Decimal::FromInt(a.as_ym().months).Div(Decimal::FromInt(b.as_ym().months)));
  }
  if (ka == Kind::kDtDuration && kb == Kind::kDtDuration) {
    auto x = DtToSeconds(a.as_dt()), y = DtToSeconds(b.as_dt());
    if (!x || !y || y->IsZero()) return Value();
    return Value::Number(x->Div(*y));
  }
  return Invalid("/", a, b, st);
}

Value OpPow(const Value& a, const Value& b, EvalState& st) {
  if (a.is_null() || b.is_null()) return Value();
  if (a.is_number() && b.is_number()) {
    auto r = a.as_number().Pow(b.as_number());
    if (!r) st.Warn("invalid exponentiation");
    return Value::Number(r);
  }
  return Invalid("**", a, b, st);
}

Value OpNeg(const Value& a, EvalState& st) {
  switch (a.kind()) {
    case Kind::kNull: return Value();
    case Kind::kNumber: return Value::Number(a.as_number().Negate());
    case Kind::kYmDuration: return Value::OfYm({-a.as_ym().months});
    case Kind::kDtDuration: return Value::OfDt({-a.as_dt().nanos});
    default:
      st.Warn(std::string("cannot negate a ") + KindName(a.kind()));
      return Value();
  }
}

}  // namespace amtsweg::feel
