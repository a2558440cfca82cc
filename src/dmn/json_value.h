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

// As EvaluateDecisionJson for every decision of the main model (when the CLI
// gets no --decision): {"result": {decision name: value, ...}, "messages": [...]}.
core::Result<core::Json> EvaluateAllJson(const Engine& engine, const core::Json& input);

// Invokes a decision service with parameters from a JSON object:
// {"result": {output decision: value, ...}, "messages": [...]}. kNotFound for
// an unknown service.
core::Result<core::Json> EvaluateServiceJson(const Engine& engine, std::string_view service,
                                             const core::Json& params);

}  // namespace amtsweg::dmn
