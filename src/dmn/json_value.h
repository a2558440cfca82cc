// Conversion between FEEL values and JSON, and JSON-in/JSON-out evaluation of
// a decision (what `amtsweg dmn eval` prints).
//
// FEEL -> JSON: null, booleans and strings map directly; numbers become JSON
// integers when integral and within int64, otherwise JSON numbers (binary
// double: the exact decimal is in the FEEL value only); temporal values and
// durations become their ISO 8601 text ("2026-01-01", "P1Y2M"); lists and
// contexts become arrays and objects; ranges become FEEL range text; functions
// become null.
// JSON -> FEEL: numbers become decimals from their text; strings become dates,
// times or durations only where the declared type (hint) asks for it.
#pragma once

#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "dmn/engine.h"
#include "feel/types.h"
#include "feel/value.h"

namespace amtsweg::dmn {

core::Json ValueToJson(const feel::Value& v);

// kInvalidArgument when a string cannot be read as the hinted temporal type
// (pointer in the detail).
core::Result<feel::Value> JsonToValue(const core::Json& j, const feel::TypePtr& hint = nullptr);

// Evaluates `decision` with `input` (a JSON object of input data by name) and
// returns {"result": <json>, "messages": [...]}. kInvalidArgument when `input`
// is not an object or a value cannot be converted; kNotFound for an unknown
// decision.
core::Result<core::Json> EvaluateDecisionJson(const Engine& engine, std::string_view decision,
                                              const core::Json& input);

}  // namespace amtsweg::dmn
