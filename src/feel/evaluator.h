// FEEL compiler and evaluator: parses once, compiles the AST to a tree of
// closures, evaluates many times without re-parsing.
//
//   CompileOptions opts;  opts.names.Add("Date of Birth");
//   AW_ASSIGN_OR_RETURN(auto expr, CompileExpression("Date of Birth + @\"P1Y\"", opts));
//   EvalState st;  Value v = expr.Evaluate(scope, st);   // st.warnings() explains nulls
//
// Evaluation never throws and never fails: invalid operations give null plus a
// warning (DMN 1.3 §10.3.2.9). A compiled expression is immutable and may be
// evaluated from several threads at once, each with its own EvalState.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "feel/parser.h"
#include "feel/types.h"
#include "feel/value.h"

namespace amtsweg::feel {

// Variables visible to an expression; chained to an enclosing scope.
class Scope {
 public:
  explicit Scope(std::shared_ptr<const Scope> parent = nullptr) : parent_(std::move(parent)) {}
  // Binds `name` (replacing an existing binding in this scope).
  void Set(std::string name, Value v);
  // Innermost binding of `name`, or nullptr.
  const Value* Lookup(std::string_view name) const;

 private:
  std::shared_ptr<const Scope> parent_;
  // Most scopes (loop iterations, filter items, `?`) bind one name: it lives
  // inline so such a scope costs one allocation.
  std::string first_name_;
  Value first_value_;
  bool has_first_ = false;
  Context rest_;
};
using ScopePtr = std::shared_ptr<const Scope>;

// A scope holding the entries of `ctx`.
ScopePtr ScopeOf(const Context& ctx, ScopePtr parent = nullptr);

struct CompileOptions {
  NameSet names;        // multi-word names known in scope
  TypeResolver types;   // named types for `instance of` and typed parameters
};

using Closure = std::function<Value(const ScopePtr&, EvalState&)>;

class CompiledExpression {
 public:
  CompiledExpression() = default;
  explicit CompiledExpression(Closure fn) : fn_(std::move(fn)) {}
  Value Evaluate(const ScopePtr& scope, EvalState& st) const { return fn_(scope, st); }
  bool valid() const { return static_cast<bool>(fn_); }

 private:
  Closure fn_;
};

// Compiled unary tests: Test(input) is true, false or null.
class CompiledUnaryTests {
 public:
  CompiledUnaryTests() = default;
  explicit CompiledUnaryTests(std::function<Value(const Value&, const ScopePtr&, EvalState&)> fn)
      : fn_(std::move(fn)) {}
  Value Test(const Value& input, const ScopePtr& scope, EvalState& st) const {
    return fn_(input, scope, st);
  }
  bool valid() const { return static_cast<bool>(fn_); }

 private:
  std::function<Value(const Value&, const ScopePtr&, EvalState&)> fn_;
};

// kInvalidArgument with "L:C: expected ..." on a syntax error, or an unknown
// type name in `instance of`.
core::Result<CompiledExpression> CompileExpression(std::string_view text,
                                                   const CompileOptions& options);
core::Result<CompiledUnaryTests> CompileUnaryTests(std::string_view text,
                                                   const CompileOptions& options);
core::Result<CompiledExpression> CompileNode(const Node& node, const CompileOptions& options);

// Convenience for tests and one-off use: compile and evaluate `text` with the
// entries of `vars` in scope.
core::Result<Value> EvaluateText(std::string_view text, const Context& vars = {},
                                 std::vector<std::string>* warnings = nullptr);

// Calls a function value positionally; `names` (if non-empty) are parameter
// names of the arguments (named invocation). Null plus a warning when no
// signature fits.
Value Invoke(const Function& f, std::span<const Value> args, const std::vector<std::string>& names,
             EvalState& st);
Value CallValue(const Value& fn, std::span<const Value> args, EvalState& st);

// For binding a function value into the scope it closes over (context
// entries, BKMs): a proxy that refers to the function weakly, so the scope and
// the function do not keep each other alive (no shared_ptr cycle, no leak).
// The proxy works while someone else (the context value, the caller, the
// engine) holds the function. Non-function values are returned unchanged.
Value WeakBinding(const Value& v);

// Path access `v.name`: context entry, temporal/duration/range property, or a
// list mapped element-wise. Null plus a warning when absent.
Value Property(const Value& v, const std::string& name, EvalState& st);

// The unary-test semantics of one expression value against an input
// (equality, list membership, range containment, boolean result).
Value MatchTestValue(const Value& input, const Value& test_value, bool uses_question);

}  // namespace amtsweg::feel
