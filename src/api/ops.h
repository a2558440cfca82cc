// Operations routes: liveness, readiness, metrics and the OpenAPI document.
#pragma once

#include <string>

#include "core/metrics.h"
#include "http/router.h"

namespace amtsweg::store {
class Database;
}

namespace amtsweg::api {

struct OpsDeps {
  store::Database* db = nullptr;               // borrowed; outlives the server
  core::metrics::Registry* metrics = nullptr;  // borrowed
  std::string version;                         // "0.1.0 (commit abc)"
};

// Registers on `router`:
//   GET /healthz               200 {"status":"ok"} while the process runs
//   GET /readyz                200 {"status":"ready"} when the database answers and no
//                              migration is pending; 503 problem+json naming the cause otherwise
//   GET /metrics               Prometheus text format 0.0.4
//   GET /api/v1/openapi.json   OpenAPI 3.1 of every route of `router` (rendered per request,
//                              so routes registered after this call appear too)
// The router must outlive the server.
void RegisterOpsRoutes(http::Router& router, const OpsDeps& deps);

}  // namespace amtsweg::api
