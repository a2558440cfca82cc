// Response: what a handler returns on success. Error responses are never built
// by handlers: they return a core::Error and http/problem.h renders it.
//
// Thread-safety: plain values.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/json.h"
#include "http/request.h"

namespace amtsweg::http {

struct Response {
  int status = 200;
  // Content-Type and anything the handler wants (Location, Set-Cookie,
  // Cache-Control). The server adds Date, Content-Length, Connection,
  // X-Request-Id and the security headers (those only where the handler did
  // not set its own); a handler's Content-Length or Transfer-Encoding is dropped.
  Headers headers;
  std::string body;
  // Alternative to `body` for large immutable content shared between responses
  // (cached static files): sent without copying. Wins over `body` when set.
  std::shared_ptr<const std::string> shared_body;

  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }

  // `value` serialised compactly, Content-Type application/json.
  static Response Json(const core::Json& value, int status = 200);
  // Content-Type text/plain; charset=utf-8.
  static Response Text(std::string text, int status = 200);
  // Any bytes with the given Content-Type.
  static Response Bytes(std::string data, std::string content_type, int status = 200);
  // 204 without body.
  static Response NoContent();

  Response& WithHeader(std::string name, std::string value) & {
    headers.Add(std::move(name), std::move(value));
    return *this;
  }
  Response&& WithHeader(std::string name, std::string value) && {
    headers.Add(std::move(name), std::move(value));
    return std::move(*this);
  }
};

}  // namespace amtsweg::http
