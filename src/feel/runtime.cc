// Run-time support shared by compiled expressions and the DMN engine:
// function invocation (positional and named), path/property access, unary
// test matching, weak bindings for closures.
#include <algorithm>

#include "feel/evaluator.h"

namespace amtsweg::feel {
namespace {

Value TemporalProperty(const Value& v, const std::string& name, bool* found) {
  *found = true;
  auto num = [](int64_t i) { return Value::Number(i); };
  auto zone_props = [&](const ZoneSpec& z, std::optional<int32_t> eff) -> Value {
    if (name == "time offset") {
      if (!eff) return Value();
      return Value::OfDt({static_cast<Int128>(*eff) * kNanosPerSecond});
    }
    if (name == "timezone") return z.zone.empty() ? Value() : Value::String(z.zone);
    *found = false;
    return Value();
  };
  switch (v.kind()) {
    case Kind::kDate:
    case Kind::kDateTime: {
      int64_t days = v.kind() == Kind::kDate ? v.as_date().days : v.as_date_time().days;
      Civil c = CivilFromDays(days);
      if (name == "year") return num(c.year);
      if (name == "month") return num(c.month);
      if (name == "day") return num(c.day);
      if (name == "weekday") return num(IsoWeekday(days));
      if (v.kind() == Kind::kDate) break;
      const DateTime& dt = v.as_date_time();
      if (name == "hour") return num(dt.nanos / kNanosPerSecond / 3600);
      if (name == "minute") return num(dt.nanos / kNanosPerSecond / 60 % 60);
      if (name == "second") return num(dt.nanos / kNanosPerSecond % 60);
      return zone_props(dt.zone, dt.zone.offset ? dt.zone.offset
                                                : (dt.zone.zone.empty() ? std::nullopt
                                                                        : EffectiveOffset(dt)));
    }
    case Kind::kTime: {
      const Time& t = v.as_time();
      if (name == "hour") return num(t.nanos / kNanosPerSecond / 3600);
      if (name == "minute") return num(t.nanos / kNanosPerSecond / 60 % 60);
      if (name == "second") return num(t.nanos / kNanosPerSecond % 60);
      return zone_props(t.zone, t.zone.offset);
    }
    case Kind::kYmDuration: {
      if (name == "years") return num(v.as_ym().months / 12);
      if (name == "months") return num(v.as_ym().months % 12);
      break;
    }
    case Kind::kDtDuration: {
      Int128 n = v.as_dt().nanos;
      Int128 secs = n / kNanosPerSecond;
      if (name == "days") return num(static_cast<int64_t>(secs / 86400));
      if (name == "hours") return num(static_cast<int64_t>(secs / 3600 % 24));
      if (name == "minutes") return num(static_cast<int64_t>(secs / 60 % 60));
      if (name == "seconds") return num(static_cast<int64_t>(secs % 60));
      break;
    }
    case Kind::kRange: {
      const Range& r = v.as_range();
      if (name == "start") return r.low ? *r.low : Value();
      if (name == "end") return r.high ? *r.high : Value();
      if (name == "start included") return Value::Bool(r.low_closed);
      if (name == "end included") return Value::Bool(r.high_closed);
      break;
    }
    default: break;
  }
  *found = false;
  return Value();
}


}  // namespace

Value MatchTestValue(const Value& in, const Value& v, bool uses_q) {
  if (v.is_null()) return in.is_null() ? Value::Bool(true) : Value();
  if (v.is_bool()) {
    if (uses_q || !in.is_bool()) return v;
    return Equal(in, v);
  }
  if (v.is_list()) {
    if (in.is_list()) {
      Value e = Equal(in, v);
      if (e.IsTrue()) return e;
    }
    bool unknown = false;
    for (const Value& e : v.as_list()) {
      Value r = e.kind() == Kind::kRange ? RangeContains(e.as_range(), in) : Equal(in, e);
      if (r.IsTrue()) return r;
      if (r.is_null()) unknown = true;
    }
    (void)unknown;
    return Value::Bool(false);
  }
  if (v.kind() == Kind::kRange) return RangeContains(v.as_range(), in);
  Value e = Equal(in, v);
  return e.is_null() ? Value::Bool(false) : e;
}

Value Property(const Value& v, const std::string& name, EvalState& st) {
  if (v.is_null()) return Value();
  if (v.is_context()) {
    const Value* e = v.as_context().Find(name);
    return e ? *e : Value();
  }
  if (v.is_list()) {
    List out;
    for (const Value& e : v.as_list()) out.push_back(Property(e, name, st));
    return Value::OfList(std::move(out));
  }
  bool found = false;
  Value r = TemporalProperty(v, name, &found);
  if (!found) st.Warn("no property '" + name + "' on " + KindName(v.kind()));
  return r;
}

Value Invoke(const Function& f, std::span<const Value> args, const std::vector<std::string>& names,
             EvalState& st) {
  if (names.empty()) {
    for (const Signature& s : f.signatures) {
      if (args.size() >= s.required && (s.variadic || args.size() <= s.params.size()))
        return f.call(st, args);
    }
    st.Warn("no signature of '" + f.name + "' takes " + std::to_string(args.size()) + " arguments");
    return Value();
  }
  for (const Signature& s : f.signatures) {
    std::vector<int> pos;
    bool ok = true;
    int max_pos = -1;
    for (const std::string& n : names) {
      auto it = std::find(s.params.begin(), s.params.end(), n);
      if (it == s.params.end()) {
        ok = false;
        break;
      }
      int p = static_cast<int>(it - s.params.begin());
      pos.push_back(p);
      max_pos = std::max(max_pos, p);
    }
    if (!ok) continue;
    // Parameters not named are null (as in feel-scala); optional ones after
    // the last named one stay absent.
    std::vector<Value> ordered(std::max(static_cast<size_t>(max_pos + 1), s.required));
    for (size_t i = 0; i < names.size(); ++i) ordered[static_cast<size_t>(pos[i])] = args[i];
    return s.named_call ? s.named_call(st, ordered) : f.call(st, ordered);
  }
  st.Warn("no signature of '" + f.name + "' matches the named arguments");
  return Value();
}

Value WeakBinding(const Value& v) {
  if (!v.is_function()) return v;
  std::weak_ptr<const Function> weak = v.as_function();
  auto proxy = std::make_shared<Function>();
  proxy->name = v.as_function()->name;
  proxy->signatures = v.as_function()->signatures;
  proxy->call = [weak](EvalState& st, std::span<const Value> args) {
    if (auto f = weak.lock()) return f->call(st, args);
    st.Warn("function is no longer available");
    return Value();
  };
  return Value::OfFunction(std::move(proxy));
}

Value CallValue(const Value& fn, std::span<const Value> args, EvalState& st) {
  if (!fn.is_function()) {
    st.Warn("not a function");
    return Value();
  }
  return Invoke(*fn.as_function(), args, {}, st);
}

}  // namespace amtsweg::feel
