// Compilation of DMN boxed expressions (literal, decision table, context,
// invocation, relation, list, function definition, conditional, iterators,
// filter) to FEEL closures. Internal to dmn/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dmn/model.h"
#include "feel/evaluator.h"
#include "feel/types.h"

namespace amtsweg::dmn {

struct CompileEnv {
  const feel::CompileOptions* opts = nullptr;
  // Type of a typeRef; nullptr when empty or unknown (then nothing is checked).
  std::function<feel::TypePtr(const std::string&)> type_of;
  std::vector<std::string>* errors = nullptr;  // compile problems, prefixed with `label`
  std::string label;                           // "decision 'X' (_id)"
};

// Compiles `e` (null: evaluates to null). Syntax errors are appended to
// env.errors; the affected part evaluates to null with a warning.
feel::Closure CompileBoxed(const Expression* e, CompileEnv& env);

feel::Closure CompileDecisionTable(const DecisionTable& t, const std::string& id, CompileEnv& env);

// DMN type conversion on assignment to a typed variable (DMN 1.3 §10.3.2.9.4):
// conforming values pass, singleton lists unwrap, single values wrap into a list
// for a collection type, a date becomes a date and time at midnight; anything
// else is null plus a warning naming `what`.
feel::Value Coerce(const feel::Value& v, const feel::TypePtr& t, feel::EvalState& st,
                   const std::string& what);

}  // namespace amtsweg::dmn
