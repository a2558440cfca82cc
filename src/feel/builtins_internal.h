// Shared helpers for the builtins_<family>.cc files. Internal to feel/.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <span>
#include <string>

#include "feel/builtins.h"
#include "feel/evaluator.h"
#include "feel/value.h"

namespace amtsweg::feel::builtins {

using Args = std::span<const Value>;
using Impl = std::function<Value(EvalState&, Args)>;

class Registry {
 public:
  // Registers `name` with one or more signatures sharing one implementation.
  void Add(const std::string& name, std::vector<Signature> sigs, Impl impl);
  const std::map<std::string, Value>& all() const { return fns_; }

 private:
  std::map<std::string, Value> fns_;
};

// Signature with all params required; `optional` trailing ones are optional.
Signature Sig(std::initializer_list<const char*> params, size_t optional = 0, bool variadic = false);

void RegisterConversion(Registry& r);
void RegisterString(Registry& r);
void RegisterList(Registry& r);
void RegisterNumeric(Registry& r);
void RegisterTemporal(Registry& r);
void RegisterRange(Registry& r);
void RegisterContext(Registry& r);

// Warns "<fn>: <msg>" and returns null.
Value Fail(EvalState& st, const std::string& fn, const std::string& msg);

// An argument that is a list, or the arguments themselves as a list (for
// functions like min(1, 2, 3) / min([1, 2, 3])).
List ListOrArgs(Args a);

// UTF-8 <-> code points.
std::u32string ToU32(const std::string& s);
std::string FromU32(const std::u32string& s);

// Integer argument, truncated toward zero like Java's intValue (nullopt if not
// a number or out of range).
std::optional<int64_t> IntArg(const Value& v);

// DMN 1.4 §10.3.2.9.4 conversions for parameters: a single value passed for a
// list parameter becomes a singleton list (first parameter, or all of them);
// a singleton list passed for scalar parameters becomes its element.
Impl ListFirst(Impl impl);
Impl ListAll(Impl impl);
Impl Scalars(Impl impl);

// FEEL string() of a value.
std::string ToFeelString(const Value& v);

}  // namespace amtsweg::feel::builtins
