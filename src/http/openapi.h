// OpenAPI 3.1 document rendered from the router's routes and their RouteDoc.
//
// Every registered route appears under `paths` with its summary (a route's
// pattern is already in OpenAPI path-template syntax). Each operation lists
// its path and query parameters, its JSON request body schema, its success
// response, and a `default` response referring to the shared Problem schema
// (RFC 9457). Methods OpenAPI cannot express (custom tokens) are left out.
//
// Thread-safety: pure function of a router that is no longer being modified.
#pragma once

#include <string>

#include "core/json.h"
#include "http/router.h"

namespace amtsweg::http {

struct OpenApiInfo {
  std::string title = "Amtsweg API";
  std::string version = "0.1.0";
  std::string description{};
};

// The OpenAPI 3.1.0 document as JSON (serve it with Response::Json).
core::Json RenderOpenApi(const Router& router, const OpenApiInfo& info);

// JSON Schema of the RFC 9457 problem body the server sends (components.schemas.Problem).
core::Json ProblemSchema();

}  // namespace amtsweg::http
