// Value: every FEEL value (DMN 1.3 §10.3.2): null, boolean, number (decimal128),
// string, date, time, date and time, both durations, list, context (ordered),
// range and function.
//
// Values are immutable; lists, contexts, ranges and functions are shared by
// pointer so copies are cheap. Safe to read from several threads once built.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"
#include "feel/decimal.h"
#include "feel/temporal.h"

namespace amtsweg::feel {

class Value;
class Context;
struct Range;
struct Function;
class EvalState;

using List = std::vector<Value>;

enum class Kind {
  kNull,
  kBoolean,
  kNumber,
  kString,
  kDate,
  kTime,
  kDateTime,
  kYmDuration,
  kDtDuration,
  kList,
  kContext,
  kRange,
  kFunction,
};

// FEEL type name of a kind: "number", "date and time", "days and time duration", ...
const char* KindName(Kind k);

class Value {
 public:
  Value() = default;  // null
  static Value Null() { return Value(); }
  static Value Bool(bool b) { return Value(Rep(std::in_place_index<1>, b)); }
  static Value Number(Decimal d) { return Value(Rep(std::in_place_index<2>, d)); }
  static Value Number(int64_t i) { return Number(Decimal::FromInt(i)); }
  static Value Number(std::optional<Decimal> d) { return d ? Number(*d) : Value(); }
  static Value String(std::string s) { return Value(Rep(std::in_place_index<3>, std::move(s))); }
  static Value OfDate(Date d) { return Value(Rep(std::in_place_index<4>, d)); }
  static Value OfTime(Time t) { return Value(Rep(std::in_place_index<5>, std::move(t))); }
  static Value OfDateTime(DateTime t) { return Value(Rep(std::in_place_index<6>, std::move(t))); }
  static Value OfYm(YmDuration d) { return Value(Rep(std::in_place_index<7>, d)); }
  static Value OfDt(DtDuration d) { return Value(Rep(std::in_place_index<8>, d)); }
  static Value OfList(List l);
  static Value OfContext(Context c);
  static Value OfRange(Range r);
  static Value OfFunction(std::shared_ptr<const Function> f);

  Kind kind() const { return static_cast<Kind>(rep_.index()); }
  bool is_null() const { return rep_.index() == 0; }
  bool is_bool() const { return kind() == Kind::kBoolean; }
  bool is_number() const { return kind() == Kind::kNumber; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_context() const { return kind() == Kind::kContext; }
  bool is_function() const { return kind() == Kind::kFunction; }

  // Accessors; the kind must match. A mismatch is a programmer error and
  // stops the process (AW_ASSERT), never an exception crossing the layer.
  bool as_bool() const { return Get<1>("boolean"); }
  const Decimal& as_number() const { return Get<2>("number"); }
  const std::string& as_string() const { return Get<3>("string"); }
  const Date& as_date() const { return Get<4>("date"); }
  const Time& as_time() const { return Get<5>("time"); }
  const DateTime& as_date_time() const { return Get<6>("date and time"); }
  const YmDuration& as_ym() const { return Get<7>("years and months duration"); }
  const DtDuration& as_dt() const { return Get<8>("days and time duration"); }
  const List& as_list() const { return *Get<9>("list"); }
  const Context& as_context() const { return *Get<10>("context"); }
  const Range& as_range() const { return *Get<11>("range"); }
  const std::shared_ptr<const Function>& as_function() const { return Get<12>("function"); }

  bool IsTrue() const { return is_bool() && as_bool(); }

  // FEEL literal-like text: 1.5, "abc", date("2017-01-01"), [1, 2], {a: 1}, null.
  std::string DebugString() const;

 private:
  using Rep = std::variant<std::monostate, bool, Decimal, std::string, Date, Time, DateTime,
                           YmDuration, DtDuration, std::shared_ptr<const List>,
                           std::shared_ptr<const Context>, std::shared_ptr<const Range>,
                           std::shared_ptr<const Function>>;
  explicit Value(Rep r) : rep_(std::move(r)) {}
  template <size_t I>
  const std::variant_alternative_t<I, Rep>& Get(const char* what) const {
    const auto* p = std::get_if<I>(&rep_);
    AW_ASSERT(p != nullptr, what);
    return *p;
  }
  Rep rep_;
};

// An ordered context: keys keep insertion order; a later Put of an existing key
// replaces its value in place.
class Context {
 public:
  void Put(std::string key, Value v);
  const Value* Find(std::string_view key) const;
  const std::vector<std::pair<std::string, Value>>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<std::pair<std::string, Value>> entries_;
};

// A range (interval). An absent bound is unbounded (DMN 1.4 `< 10` ranges).
struct Range {
  std::optional<Value> low, high;
  bool low_closed = false, high_closed = false;
};

// A signature of a callable: parameter names, how many are required, and
// whether the last one takes any number of further arguments.
struct Signature {
  std::vector<std::string> params;
  size_t required = 0;
  bool variadic = false;
  // Optional implementation used when this signature was chosen by named
  // invocation (e.g. `context put(key: ...)` vs `context put(keys: ...)`);
  // positional calls always use Function::call.
  std::function<Value(EvalState&, std::span<const Value>)> named_call;
};

// A callable: built-in, user-defined FEEL function, BKM or decision service.
// `call` gets the arguments positionally (named invocation is mapped by the
// evaluator through `signatures`) and never throws: problems are warnings.
struct Function {
  std::string name;
  std::vector<Signature> signatures;
  std::function<Value(EvalState&, std::span<const Value>)> call;
};

// Collects warnings during one evaluation (invalid operations yield null plus a
// warning). Not thread-safe; one per evaluation.
// The instant `now()` and `today()` return on this thread while an EvalClock
// lives (the engine sets its injected clock around each command's
// evaluations, so timers, due dates and FEEL agree in tests and in the demo's
// simulated history); without one, the system clock. Nests; not shared
// between threads.
class EvalClock {
 public:
  explicit EvalClock(int64_t unix_micros);
  ~EvalClock();
  EvalClock(const EvalClock&) = delete;
  EvalClock& operator=(const EvalClock&) = delete;
  // Microseconds since the Unix epoch set by the innermost EvalClock of this thread.
  static std::optional<int64_t> Current();

 private:
  std::optional<int64_t> previous_;
};

class EvalState {
 public:
  void Warn(std::string message);
  const std::vector<std::string>& warnings() const { return warnings_; }
  int depth = 0;  // recursion guard for user-defined functions
  // Remaining evaluation steps (function calls and loop iterations); negative
  // means unlimited. When it runs out, the rest evaluates to null with one
  // warning, so untrusted models (and fuzzers) cannot make evaluation hang.
  int64_t budget = -1;
  // Takes one step; false (and a warning, once) when the budget is used up.
  bool Step() {
    if (budget < 0) return true;
    if (budget == 0) {
      if (!exhausted_) Warn("evaluation step budget exhausted");
      exhausted_ = true;
      return false;
    }
    --budget;
    return true;
  }

 private:
  std::vector<std::string> warnings_;
  bool exhausted_ = false;
};

// FEEL equality (`=`): true/false, or null when the operands are not comparable.
Value Equal(const Value& a, const Value& b);
// Deep equality as `Equal` but total: incomparable is false.
bool ValuesEqual(const Value& a, const Value& b);
// Ordering for <, <=, >, >=: -1/0/1, or nullopt when not comparable.
std::optional<int> Compare(const Value& a, const Value& b);

// Whether `v` lies in `r`; null when the bounds cannot be compared with v.
Value RangeContains(const Range& r, const Value& v);

}  // namespace amtsweg::feel
