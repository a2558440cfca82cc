// JSON-in/JSON-out evaluation of a decision (what `amtsweg dmn eval` prints).
// The value conversion itself is feel/json_value.h.
#pragma once

#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "dmn/engine.h"
#include "feel/json_value.h"

namespace amtsweg::dmn {

// Evaluates `decision` with `input` (a JSON object of input data by name) and
// returns {"result": <json>, "messages": [...]}. kInvalidArgument when `input`
// is not an object or a value cannot be converted; kNotFound for an unknown
// decision.
core::Result<core::Json> EvaluateDecisionJson(const Engine& engine, std::string_view decision,
                                              const core::Json& input);

}  // namespace amtsweg::dmn
