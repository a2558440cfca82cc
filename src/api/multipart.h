// multipart/form-data (RFC 7578) bodies: the file parts of an upload.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace amtsweg::api {

struct FormPart {
  std::string name;      // the form field name
  std::string filename;  // "" when the part is not a file
  std::string content_type;
  std::string content;   // byte for byte
};

// Splits `body` sent with `content_type` ("multipart/form-data; boundary=...").
// kInvalidArgument naming what is wrong: not multipart, no boundary, a part
// without Content-Disposition, a missing closing delimiter.
core::Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

// The value of parameter `name` in a header value such as
// `form-data; name="file"; filename="a.bpmn"` (quotes removed, \" unescaped);
// "" when absent. Parameter names are case-insensitive.
std::string HeaderParam(std::string_view header_value, std::string_view name);

}  // namespace amtsweg::api
