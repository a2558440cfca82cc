// Conversion between FEEL values and JSON (core::Json), for the DMN CLI, the
// BPMN engine's variable mappings and the HTTP API.
//
// FEEL -> JSON: null, booleans and strings map directly; numbers become JSON
// integers when integral and within int64, otherwise JSON numbers (binary
// double: the exact decimal stays in the FEEL value only); temporal values and
// durations become their ISO 8601 text ("2026-01-01", "P1Y2M",
// "10:00:00@Europe/Berlin"); lists and contexts become arrays and objects;
// ranges become FEEL range text; functions become null.
// JSON -> FEEL: numbers become decimals from their JSON text; strings become
// dates, times or durations only where the declared type (hint) asks for it.
// Pure functions, thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "feel/types.h"
#include "feel/value.h"

namespace amtsweg::feel {

core::Json ValueToJson(const Value& v);

// kInvalidArgument when a string cannot be read as the hinted temporal type;
// the detail's pointer is `pointer` + the path inside `j`.
core::Result<Value> JsonToValue(const core::Json& j, const TypePtr& hint = nullptr,
                                const std::string& pointer = "");

// A JSON object as a context of variables; `type_of` (optional) gives the
// declared type of a variable by name. kInvalidArgument if `j` is not an object.
core::Result<Context> JsonToContext(const core::Json& j,
                                    const std::function<TypePtr(const std::string&)>& type_of = nullptr);

// One-off evaluation with JSON in and out: compiles `expression` with the
// variable names known, evaluates with `variables` (a JSON object), returns
// {"result": <json>, "warnings": [...]}. For repeated use keep a
// CompiledExpression instead. kInvalidArgument on a syntax error (message
// "L:C: expected ...") or when `variables` is not an object.
core::Result<core::Json> EvaluateJson(std::string_view expression, const core::Json& variables);

}  // namespace amtsweg::feel
