// A small synchronous HTTP/1.1 client (plain http://; Beast stays in client.cc).
//
// One request per connection (Connection: close). Limits: `connect_timeout`
// covers name resolution and connecting, `timeout` the rest (sending the
// request and reading the whole response); a response larger than
// `max_response_bytes` (head + body) is refused. Redirects are not followed.
//
// Errors: kInvalidArgument (bad URL, https://, bad method or header),
// kUnavailable (name not resolved, connection refused or reset, malformed
// response), kDeadlineExceeded (a timeout), kResourceExhausted (response too
// large). An HTTP error status is not an error: the caller reads `status`.
//
// Thread-safety: Fetch is a free function; concurrent calls share nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/result.h"
#include "http/request.h"

namespace amtsweg::http {

struct FetchRequest {
  std::string method = "GET";
  std::string url{};    // http://host[:port]/path?query
  Headers headers{};    // Host, Content-Length and Connection are set by Fetch
  std::string body{};
};

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds timeout{30'000};
  uint64_t max_response_bytes = 10 * 1024 * 1024;
};

struct FetchResponse {
  int status = 0;
  Headers headers{};
  std::string body{};
};

core::Result<FetchResponse> Fetch(const FetchRequest& request, const FetchOptions& options = {});

struct ParsedUrl {
  std::string host;  // without brackets for IPv6
  uint16_t port = 80;
  std::string target;  // "/path?query", at least "/"
};
// kInvalidArgument for anything but http://host[:port][/path][?query] (https is refused by name).
core::Result<ParsedUrl> ParseHttpUrl(std::string_view url);

}  // namespace amtsweg::http
