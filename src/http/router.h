// Router: maps (method, path) to a handler, with path parameters and the
// documentation OpenAPI is rendered from (http/openapi.h).
//
// Patterns are literal segments and `{name}` parameters: "/api/v1/cases/{id}".
// A parameter matches one non-empty segment (percent-decoded, so "%2F" stays
// inside its segment). Literal segments beat parameters: with
// "/cases/new" and "/cases/{id}", "/cases/new" goes to the first; if the
// literal route has no handler for the method, the parameter route is tried.
// Trailing slashes and empty segments are significant ("/cases/" ≠ "/cases").
// HEAD is served by the GET handler unless a HEAD route exists (the server
// drops the body).
//
// Thread-safety: Add/Get/Post/... are not thread-safe and must all happen before
// the server starts; Find and routes() are then safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"

namespace amtsweg::http {

// A handler answers a request or returns an Error, which the server turns into
// problem+json (http/problem.h). Handlers never write error bodies themselves.
// Called on a server thread; may block (the pool has other threads), but
// blocking long holds a thread. Exceptions are caught and answered with 500.
using Handler = std::function<core::Result<Response>(Request&)>;

// The answer channel of an asynchronous handler. Call it exactly once, from any
// thread (for example a store writer callback after the commit); later calls
// are ignored. An Error is rendered as problem+json like a Handler's. If it is
// never called, the connection waits until Server::Stop's drain timeout.
// Copyable; all copies share one answer. Thread-safe.
class Responder {
 public:
  using Fn = std::function<void(core::Result<Response>)>;
  Responder() = default;
  explicit Responder(Fn fn);
  void operator()(core::Result<Response> result) const;
  // True once an answer was given.
  bool answered() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// A handler that answers later through `respond` instead of blocking a server
// thread, e.g. while a durable write waits for its group commit. The Request
// stays valid until `respond` is called; copy what a callback on another
// thread needs. An exception thrown before returning is answered with 500.
using AsyncHandler = std::function<void(Request&, Responder respond)>;

struct ParamDoc {
  std::string name{};
  std::string description{};
  std::string type = "string";  // JSON Schema type: string, integer, boolean, number
  bool required = false;        // query parameters only; path parameters are always required
};

// What OpenAPI says about a route. `summary` is required (Add rejects an empty one).
struct RouteDoc {
  std::string summary{};
  std::string description{};
  std::string tag{};
  std::string operation_id{};            // default: derived from method and pattern
  std::vector<ParamDoc> path_params{};   // descriptions for `{name}`s; undocumented ones are plain strings
  std::vector<ParamDoc> query_params{};
  std::optional<core::Json> request_schema{};   // JSON Schema of a JSON request body
  std::optional<core::Json> response_schema{};  // JSON Schema of the success body
  int success_status = 200;
  std::string success_content_type = "application/json";
  // The request body's OpenAPI `content` map when it is more than one JSON
  // schema (a multipart upload that also takes JSON); wins over request_schema.
  std::optional<core::Json> request_content{};
};

struct RouteOptions {
  // Overrides Options::max_body_bytes for this route (uploads up, tiny JSON down).
  std::optional<uint64_t> max_body_bytes{};
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;             // exactly one of handler and async_handler is set
  AsyncHandler async_handler;
  RouteDoc doc;
  RouteOptions options;
  std::vector<std::string> param_names;  // in pattern order
  size_t index = 0;                      // position in Router::routes()
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;  // kFound only
  std::string allow;             // kMethodNotAllowed: "GET, HEAD, POST"
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for `method` (upper-case token) and `pattern`.
  // kInvalidArgument: malformed pattern (must start with '/', parameters
  // `{identifier}` spanning a whole segment, no repeated names), bad method
  // token, or empty doc.summary. kAlreadyExists: same method and pattern
  // shape ("/a/{x}" and "/a/{y}" have the same shape) registered before.
  core::Status Add(std::string_view method, std::string_view pattern, Handler handler, RouteDoc doc,
                   RouteOptions options = {});
  // The same for a handler that answers asynchronously.
  core::Status AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler, RouteDoc doc,
                        RouteOptions options = {});

  // Shorthands for wiring code with literal patterns: a registration error
  // is a programming error and aborts (AW_ASSERT) with the message logged.
  void Get(std::string_view pattern, Handler h, RouteDoc doc, RouteOptions o = {});
  void Post(std::string_view pattern, Handler h, RouteDoc doc, RouteOptions o = {});
  void Put(std::string_view pattern, Handler h, RouteDoc doc, RouteOptions o = {});
  void Patch(std::string_view pattern, Handler h, RouteDoc doc, RouteOptions o = {});
  void Delete(std::string_view pattern, Handler h, RouteDoc doc, RouteOptions o = {});
  void GetAsync(std::string_view pattern, AsyncHandler h, RouteDoc doc, RouteOptions o = {});
  void PostAsync(std::string_view pattern, AsyncHandler h, RouteDoc doc, RouteOptions o = {});

  // Finds the route for `method` and the raw (still percent-encoded) `path`.
  // On kFound, `params` (if not null) receives the decoded parameter values
  // paired with their names, replacing its contents.
  RouteMatch Find(std::string_view method, std::string_view raw_path,
                  std::vector<std::pair<std::string, std::string>>* params) const;

  // Every registered route in registration order. References stay valid for
  // the router's lifetime.
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  core::Status AddRoute(std::string_view method, std::string_view pattern, Handler handler,
                        AsyncHandler async_handler, RouteDoc doc, RouteOptions options);

  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace amtsweg::http
