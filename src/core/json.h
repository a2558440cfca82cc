// JSON for Amtsweg: nlohmann::json, wrapped so parse errors become core::Error
// instead of exceptions crossing a layer.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace amtsweg::core {

using Json = nlohmann::json;

// Parses `text`. kInvalidArgument with "line L, column C" in the message on
// malformed input; the pointer of the detail is "" (the whole document).
Result<Json> ParseJson(std::string_view text);

// Serialises without throwing: invalid UTF-8 in strings is replaced (U+FFFD).
std::string DumpJson(const Json& value, int indent = -1);

}  // namespace amtsweg::core
