// Helpers for untrusted JSON: UTF-8 validity, code point counts, nesting depth.
// Iterative, so hostile nesting cannot exhaust the stack. Thread-safe (pure).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace amtsweg::forms {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Number of code points of valid UTF-8 text.
size_t CodePointCount(std::string_view s);

// `s` without leading and trailing ASCII whitespace (what form-js trims).
std::string_view TrimAscii(std::string_view s);

// JSON pointer of the first string (or object key) with invalid UTF-8, if any.
std::optional<std::string> FindInvalidUtf8(const core::Json& j);

// Nesting depth: a scalar is 0, [] and {} are 1, [[1]] is 2.
size_t JsonDepth(const core::Json& j);

}  // namespace amtsweg::forms
