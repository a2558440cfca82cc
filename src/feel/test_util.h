// Test helpers for feel/ unit tests.
#pragma once

#include <string>

#include "feel/evaluator.h"

namespace amtsweg::feel::testing {

// Evaluates `text` and renders the result with Value::DebugString, or
// "ERROR: <message>" for a compile error.
inline std::string Eval(const std::string& text, const Context& vars = {}) {
  auto r = EvaluateText(text, vars);
  if (!r.ok()) return "ERROR: " + r.error().message();
  return r->DebugString();
}

}  // namespace amtsweg::feel::testing
