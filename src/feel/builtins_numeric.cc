// Numeric built-ins: decimal, floor, ceiling, round up/down/half up/half down,
// abs, modulo, sqrt, log, exp, odd, even.
#include "feel/builtins_internal.h"

namespace amtsweg::feel::builtins {
namespace {

Value Round(EvalState& st, Args a, Decimal::Rounding mode, const char* name, bool scale_optional) {
  if (!a[0].is_number()) return Fail(st, name, "number expected");
  int64_t scale = 0;
  (void)scale_optional;
  if (a.size() > 1) {
    if (a[1].is_null()) return Fail(st, name, "scale is null");
    auto s = IntArg(a[1]);
    if (!s || *s < -6111 || *s > 6176) return Fail(st, name, "scale must be an integer in range");
    scale = *s;
  }
  return Value::Number(a[0].as_number().RoundTo(scale, mode));
}

void AddRound(Registry& r, const char* name, Decimal::Rounding mode, bool scale_optional) {
  std::vector<Signature> sigs;
  if (scale_optional) sigs = {Sig({"n", "scale"}, 1)};
  else sigs = {Sig({"n", "scale"})};
  r.Add(name, sigs, Scalars([mode, name, scale_optional](EvalState& st, Args a) {
    return Round(st, a, mode, name, scale_optional);
  }));
}

Value Unary(EvalState& st, Args a, const char* name,
            std::optional<Decimal> (Decimal::*fn)() const) {
  if (!a[0].is_number()) return Fail(st, name, "number expected");
  auto r = (a[0].as_number().*fn)();
  if (!r) return Fail(st, name, "no result for " + a[0].as_number().ToString());
  return Value::Number(*r);
}

}  // namespace

void RegisterNumeric(Registry& r) {
  using R = Decimal::Rounding;
  AddRound(r, "decimal", R::kHalfEven, false);
  AddRound(r, "floor", R::kFloor, true);
  AddRound(r, "ceiling", R::kCeiling, true);
  AddRound(r, "round up", R::kUp, false);
  AddRound(r, "round down", R::kDown, false);
  AddRound(r, "round half up", R::kHalfUp, false);
  AddRound(r, "round half down", R::kHalfDown, false);
  r.Add("abs", {Sig({"n"})}, [](EvalState& st, Args a) {
    if (a[0].is_number()) return Value::Number(a[0].as_number().Abs());
    if (a[0].kind() == Kind::kYmDuration)
      return Value::OfYm({a[0].as_ym().months < 0 ? -a[0].as_ym().months : a[0].as_ym().months});
    if (a[0].kind() == Kind::kDtDuration)
      return Value::OfDt({a[0].as_dt().nanos < 0 ? -a[0].as_dt().nanos : a[0].as_dt().nanos});
    return Fail(st, "abs", "number expected");
  });
  r.Add("modulo", {Sig({"dividend", "divisor"})}, [](EvalState& st, Args a) {
    if (!a[0].is_number() || !a[1].is_number()) return Fail(st, "modulo", "numbers expected");
    auto m = a[0].as_number().Mod(a[1].as_number());
    if (!m) return Fail(st, "modulo", "division by zero");
    return Value::Number(*m);
  });
  r.Add("sqrt", {Sig({"number"})},
        [](EvalState& st, Args a) { return Unary(st, a, "sqrt", &Decimal::Sqrt); });
  r.Add("log", {Sig({"number"})},
        [](EvalState& st, Args a) { return Unary(st, a, "log", &Decimal::Ln); });
  r.Add("exp", {Sig({"number"})},
        [](EvalState& st, Args a) { return Unary(st, a, "exp", &Decimal::Exp); });
  r.Add("odd", {Sig({"number"})}, [](EvalState& st, Args a) {
    if (!a[0].is_number()) return Fail(st, "odd", "number expected");
    if (!a[0].as_number().IsInteger()) return Value::Bool(false);
    auto m = a[0].as_number().Abs().Mod(Decimal::FromInt(2));
    return Value::Bool(m && !m->IsZero());
  });
  r.Add("even", {Sig({"number"})}, [](EvalState& st, Args a) {
    if (!a[0].is_number()) return Fail(st, "even", "number expected");
    if (!a[0].as_number().IsInteger()) return Value::Bool(false);
    auto m = a[0].as_number().Abs().Mod(Decimal::FromInt(2));
    return Value::Bool(m && m->IsZero());
  });
}

}  // namespace amtsweg::feel::builtins
