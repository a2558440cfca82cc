#include "feel/value.h"

namespace amtsweg::feel {

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNull: return "Null";
    case Kind::kBoolean: return "boolean";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kDate: return "date";
    case Kind::kTime: return "time";
    case Kind::kDateTime: return "date and time";
    case Kind::kYmDuration: return "years and months duration";
    case Kind::kDtDuration: return "days and time duration";
    case Kind::kList: return "list";
    case Kind::kContext: return "context";
    case Kind::kRange: return "range";
    case Kind::kFunction: return "function";
  }
  return "?";
}

Value Value::OfList(List l) {
  return Value(Rep(std::in_place_index<9>, std::make_shared<const List>(std::move(l))));
}
Value Value::OfContext(Context c) {
  return Value(Rep(std::in_place_index<10>, std::make_shared<const Context>(std::move(c))));
}
Value Value::OfRange(Range r) {
  return Value(Rep(std::in_place_index<11>, std::make_shared<const Range>(std::move(r))));
}
Value Value::OfFunction(std::shared_ptr<const Function> f) {
  return Value(Rep(std::in_place_index<12>, std::move(f)));
}

void Context::Put(std::string key, Value v) {
  for (auto& e : entries_) {
    if (e.first == key) {
      e.second = std::move(v);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(v));
}

const Value* Context::Find(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.first == key) return &e.second;
  }
  return nullptr;
}

void EvalState::Warn(std::string message) {
  if (warnings_.size() < 1000) warnings_.push_back(std::move(message));
}

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string Value::DebugString() const {
  switch (kind()) {
    case Kind::kNull: return "null";
    case Kind::kBoolean: return as_bool() ? "true" : "false";
    case Kind::kNumber: return as_number().ToString();
    case Kind::kString: return Quote(as_string());
    case Kind::kDate: return "date(\"" + FormatDate(as_date()) + "\")";
    case Kind::kTime: return "time(\"" + FormatTime(as_time()) + "\")";
    case Kind::kDateTime: return "date and time(\"" + FormatDateTime(as_date_time()) + "\")";
    case Kind::kYmDuration: return "duration(\"" + FormatYmDuration(as_ym()) + "\")";
    case Kind::kDtDuration: return "duration(\"" + FormatDtDuration(as_dt()) + "\")";
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < as_list().size(); ++i) {
        if (i) out += ", ";
        out += as_list()[i].DebugString();
      }
      return out + "]";
    }
    case Kind::kContext: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : as_context().entries()) {
        if (!first) out += ", ";
        first = false;
        out += Quote(k) + ": " + v.DebugString();
      }
      return out + "}";
    }
    case Kind::kRange: {
      const Range& r = as_range();
      if (!r.low) return std::string(r.high_closed ? "<= " : "< ") + r.high->DebugString();
      if (!r.high) return std::string(r.low_closed ? ">= " : "> ") + r.low->DebugString();
      return std::string(r.low_closed ? "[" : "(") + r.low->DebugString() + ".." +
             r.high->DebugString() + (r.high_closed ? "]" : ")");
    }
    case Kind::kFunction: return "function " + as_function()->name;
  }
  return "?";
}

namespace {

// Both zoned or both local: comparable. Returns nullopt when mixed.
std::optional<int> CompareDateTime(const DateTime& a, const DateTime& b) {
  if (a.zone.IsLocal() != b.zone.IsLocal()) return std::nullopt;
  Int128 x = InstantNanos(a), y = InstantNanos(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::optional<int> CompareTime(const Time& a, const Time& b) {
  if (a.zone.IsLocal() != b.zone.IsLocal()) return std::nullopt;
  int64_t x = TimeUtcNanos(a), y = TimeUtcNanos(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case Kind::kNumber: return a.as_number().Compare(b.as_number());
    case Kind::kString: return Cmp(a.as_string(), b.as_string());
    case Kind::kDate: return Cmp(a.as_date().days, b.as_date().days);
    case Kind::kTime: return CompareTime(a.as_time(), b.as_time());
    case Kind::kDateTime: return CompareDateTime(a.as_date_time(), b.as_date_time());
    case Kind::kYmDuration: return Cmp(a.as_ym().months, b.as_ym().months);
    case Kind::kDtDuration: return Cmp(a.as_dt().nanos, b.as_dt().nanos);
    default: return std::nullopt;
  }
}

Value Equal(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::Bool(a.is_null() && b.is_null());
  if (a.kind() != b.kind()) return Value();
  switch (a.kind()) {
    case Kind::kBoolean: return Value::Bool(a.as_bool() == b.as_bool());
    case Kind::kTime: {
      const Time &x = a.as_time(), &y = b.as_time();
      if (x.zone.IsLocal() != y.zone.IsLocal()) return Value::Bool(false);
      return Value::Bool(TimeUtcNanos(x) == TimeUtcNanos(y));
    }
    case Kind::kDateTime: {
      const DateTime &x = a.as_date_time(), &y = b.as_date_time();
      if (x.zone.IsLocal() != y.zone.IsLocal()) return Value::Bool(false);
      return Value::Bool(InstantNanos(x) == InstantNanos(y));
    }
    case Kind::kList: {
      const List &x = a.as_list(), &y = b.as_list();
      if (x.size() != y.size()) return Value::Bool(false);
      bool unknown = false;
      for (size_t i = 0; i < x.size(); ++i) {
        Value e = Equal(x[i], y[i]);
        if (e.is_null()) unknown = true;
        else if (!e.as_bool()) return Value::Bool(false);
      }
      return unknown ? Value() : Value::Bool(true);
    }
    case Kind::kContext: {
      const Context &x = a.as_context(), &y = b.as_context();
      if (x.size() != y.size()) return Value::Bool(false);
      bool unknown = false;
      for (const auto& [k, v] : x.entries()) {
        const Value* w = y.Find(k);
        if (!w) return Value::Bool(false);
        Value e = Equal(v, *w);
        if (e.is_null()) unknown = true;
        else if (!e.as_bool()) return Value::Bool(false);
      }
      return unknown ? Value() : Value::Bool(true);
    }
    case Kind::kRange: {
      const Range &x = a.as_range(), &y = b.as_range();
      if (x.low_closed != y.low_closed || x.high_closed != y.high_closed) return Value::Bool(false);
      if (x.low.has_value() != y.low.has_value() || x.high.has_value() != y.high.has_value())
        return Value::Bool(false);
      if (x.low && !ValuesEqual(*x.low, *y.low)) return Value::Bool(false);
      if (x.high && !ValuesEqual(*x.high, *y.high)) return Value::Bool(false);
      return Value::Bool(true);
    }
    case Kind::kFunction: return Value::Bool(a.as_function() == b.as_function());
    default: {
      auto c = Compare(a, b);
      if (!c) return Value();
      return Value::Bool(*c == 0);
    }
  }
}

bool ValuesEqual(const Value& a, const Value& b) { return Equal(a, b).IsTrue(); }

Value RangeContains(const Range& r, const Value& v) {
  if (v.is_null()) return Value();
  if (r.low) {
    auto c = Compare(*r.low, v);
    if (!c) return Value();
    if (*c > 0 || (*c == 0 && !r.low_closed)) return Value::Bool(false);
  }
  if (r.high) {
    auto c = Compare(v, *r.high);
    if (!c) return Value();
    if (*c > 0 || (*c == 0 && !r.high_closed)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

}  // namespace amtsweg::feel
