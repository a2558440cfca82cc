// Request and Headers: what a handler sees of an HTTP request. No Boost here:
// this header is included by every handler in api/.
//
// Thread-safety: plain values. A Request belongs to the connection that read it
// and is handed to exactly one handler at a time.
#pragma once

#include <any>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace amtsweg::http {

// ASCII case-insensitive comparison, as header names and tokens need.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Decodes %XX escapes; with `plus_as_space` also '+' (query strings,
// application/x-www-form-urlencoded). nullopt on a malformed escape ("%4", "%zz").
std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space = false);

// Header fields in arrival order; names compare case-insensitively. A name may
// repeat (Set-Cookie); Get returns the first.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  void Add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every field called `name` by one with `value`.
  void Set(std::string_view name, std::string value);
  // The value of the first field called `name`; nullopt if none.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  void Remove(std::string_view name);
  void Clear() { fields_.clear(); }

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

struct Request {
  std::string method;  // as sent; methods are case-sensitive ("GET", "POST")
  std::string target;  // request-target as sent: "/api/v1/cases/a%20b?x=1"
  std::string path;    // percent-decoded path: "/api/v1/cases/a b"
  std::string query;   // raw query without '?': "x=1"; empty if none
  int version = 11;    // 10 for HTTP/1.0, 11 for HTTP/1.1
  Headers headers;
  std::string body;

  // Filled by the router: the matched pattern ("/api/v1/cases/{id}") and the
  // decoded values of its parameters, in pattern order. Empty for no match.
  std::string route;
  std::vector<std::pair<std::string, std::string>> path_params;

  std::string request_id;  // X-Request-Id as received (if valid) or generated
  std::string remote;      // peer address "127.0.0.1:54321"

  // Who is calling, as the router's Authorizer found out (opaque to http/;
  // api/ stores its principal here). Empty for public routes without credentials.
  std::any auth;

  // The decoded value of the first query parameter `name` ("?a=1&a=2" → "1");
  // nullopt if absent or malformed. "?flag" yields "".
  std::optional<std::string> QueryParam(std::string_view name) const;
  // Every decoded query parameter in order; malformed pairs are skipped.
  std::vector<std::pair<std::string, std::string>> QueryParams() const;
  // The value of path parameter `name`; "" if the route has none of that name.
  std::string_view PathParam(std::string_view name) const;
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }

  // Resets every field for reuse on a keep-alive connection (keeps capacity).
  void Clear();
};

// Parses one complete request (head and body) from `bytes` exactly as the
// server does, without a socket: for fuzzing and tests. kInvalidArgument:
// malformed, incomplete, or bytes left over. kResourceExhausted: header or
// body over the limits. Implemented in server.cc (it uses Beast's parser).
core::Result<Request> ParseRequest(std::string_view bytes, size_t max_header_bytes = 16 * 1024,
                                   uint64_t max_body_bytes = 10 * 1024 * 1024);

}  // namespace amtsweg::http
