// The FEEL built-in function library (DMN 1.3 §10.3.4, plus the DMN 1.4/1.5
// additions: string join, round up/down/half up/half down, context, context
// put, context merge, list replace, range, now, today, is).
//
// Each family lives in its own builtins_<family>.cc. Built-ins never throw:
// invalid arguments give null plus a warning. Thread-safe after first use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "feel/value.h"

namespace amtsweg::feel {

// Names of all built-in functions ("date and time", "string length", ...).
const std::vector<std::string>& BuiltinFunctionNames();

// The function value of a built-in, or nullptr.
const Value* FindBuiltin(std::string_view name);

}  // namespace amtsweg::feel
