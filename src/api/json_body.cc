#include "api/json_body.h"

#include "forms/schema.h"

namespace amtsweg::api {

core::Result<core::Json> BoundedJson(std::string_view text) {
  auto j = forms::ParseJsonBounded(text, kMaxJsonDepth, kMaxJsonBytes);
  if (!j.ok() && j.error().code() == core::ErrorCode::kResourceExhausted) {
    // Too large or too deep is bad input here, not a quota.
    return core::InvalidArgument(j.error().message());
  }
  return j;
}

core::Result<core::Json> JsonBody(const http::Request& req) {
  if (auto ct = req.Header("Content-Type")) {
    std::string_view type = ct->substr(0, ct->find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (!http::EqualsIgnoreCase(type, "application/json")) {
      return core::InvalidArgument("Content-Type must be application/json");
    }
  }
  return BoundedJson(req.body);
}

}  // namespace amtsweg::api
