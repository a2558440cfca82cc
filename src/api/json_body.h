// Reading JSON request bodies in handlers: bounded depth and size, valid UTF-8.
#pragma once

#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "http/request.h"

namespace amtsweg::api {

inline constexpr size_t kMaxJsonDepth = 32;
inline constexpr size_t kMaxJsonBytes = 8 * 1024 * 1024;

// The body as JSON. kInvalidArgument: not application/json (when a
// Content-Type is given), malformed, invalid UTF-8, nested deeper than
// kMaxJsonDepth (checked before parsing, so the stack is safe).
core::Result<core::Json> JsonBody(const http::Request& req);

// JSON parsed with the same bounds from any text.
core::Result<core::Json> BoundedJson(std::string_view text);

}  // namespace amtsweg::api
