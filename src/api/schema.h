// Small builders of JSON Schema fragments for the routes' OpenAPI documents
// (RouteDoc request/response schemas), shared by the API modules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace amtsweg::api::schema {

// {"type": type[, "description": …]}
inline core::Json S(std::string_view type, std::string_view description = {}) {
  core::Json s = {{"type", type}};
  if (!description.empty()) s["description"] = description;
  return s;
}
// {"type": [type, "null"]}
inline core::Json Nullable(std::string_view type) { return {{"type", core::Json::array({type, "null"})}}; }
// An object with these properties (and these required ones).
inline core::Json Obj(core::Json properties, std::vector<std::string> required = {}) {
  core::Json s = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = required;
  return s;
}
inline core::Json ArrayOf(core::Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }

}  // namespace amtsweg::api::schema
