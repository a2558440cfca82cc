// multipart/form-data (RFC 7578) bodies: the parts of a submission with files.
// Pure parsing, no I/O. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace amtsweg::api {

struct MultipartPart {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // present for file parts
  std::string content_type;             // as sent ("" when absent); never trusted
  std::string body;
};

// The boundary parameter of a `multipart/form-data; boundary=...` Content-Type;
// nullopt when the type is not multipart/form-data or the boundary is missing
// or malformed (RFC 2046: 1-70 characters).
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Splits `body` at `boundary`. kInvalidArgument naming what is wrong: missing
// delimiters, a part without `Content-Disposition: form-data; name=...`,
// header lines without ':', more than `max_parts` parts.
core::Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                        size_t max_parts = 100);

}  // namespace amtsweg::api
