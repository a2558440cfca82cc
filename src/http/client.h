// A small synchronous HTTP/1.1 client for http:// and https:// (libcurl stays
// in client.cc).
//
// One request per connection (Connection: close). Limits: `connect_timeout`
// covers name resolution, connecting and the TLS handshake, `timeout` the rest
// (sending the request and reading the whole response); a response larger than
// `max_response_bytes` (head + body) is refused. Redirects are not followed;
// proxies from the environment (http_proxy, ...) are not used.
//
// TLS: the server's certificate is verified against the system CA store
// (Debian's ca-certificates, /etc/ssl/certs) plus `ca_file` when set, and its
// name must match the URL's host; TLS 1.2 at least. There is no switch to
// turn verification off.
//
// With `policy` set, the destination is checked before connecting: the scheme
// and every address the host resolves to (at the moment of connecting, see
// outbound.h); a refused destination is kPermissionDenied naming the reason.
//
// Errors: kInvalidArgument (bad URL, bad method or header), kPermissionDenied
// (refused by the policy), kUnavailable (name not resolved, connection refused
// or reset, TLS failure such as an untrusted certificate, malformed response),
// kDeadlineExceeded (a timeout), kResourceExhausted (response too large). An
// HTTP error status is not an error: the caller reads `status`.
//
// Thread-safety: Fetch is a free function; concurrent calls share nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/outbound.h"
#include "http/request.h"

namespace amtsweg::http {

struct FetchRequest {
  std::string method = "GET";
  std::string url{};    // http[s]://host[:port]/path?query
  Headers headers{};    // Host, Content-Length and Connection are set by Fetch
  std::string body{};
};

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds timeout{30'000};
  uint64_t max_response_bytes = 10 * 1024 * 1024;
  std::string ca_file{};  // PEM file of further trusted CAs (an internal CA); empty: the system store only
  std::shared_ptr<const OutboundPolicy> policy{};  // the SSRF guard; null: any destination (tests, own server)
};

struct FetchResponse {
  int status = 0;
  Headers headers{};
  std::string body{};
};

core::Result<FetchResponse> Fetch(const FetchRequest& request, const FetchOptions& options = {});

struct ParsedUrl {
  bool tls = false;  // https
  std::string host;  // without brackets for IPv6
  uint16_t port = 80;  // 443 for https unless given
  std::string target;  // "/path?query", at least "/"
};
// kInvalidArgument for anything but http[s]://host[:port][/path][?query];
// no user information, host names of letters, digits, '.', '-' and '_'
// (IDN names in their xn-- form), IPv6 literals in brackets without zone.
core::Result<ParsedUrl> ParseHttpUrl(std::string_view url);

}  // namespace amtsweg::http
