#include "api/ops.h"

#include <memory>
#include <mutex>

#include "http/openapi.h"
#include "store/database.h"

namespace amtsweg::api {
namespace {

core::Json StatusSchema() {
  return {{"type", "object"},
          {"required", {"status"}},
          {"properties", {{"status", {{"type", "string"}}}, {"version", {{"type", "string"}}}}}};
}

}  // namespace

void RegisterOpsRoutes(http::Router& router, const OpsDeps& deps) {
  router.Get(
      "/healthz",
      [version = deps.version](http::Request&) -> core::Result<http::Response> {
        return http::Response::Json({{"status", "ok"}, {"version", version}})
            .WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Liveness: the process is running",
       .tag = "operations",
       .operation_id = "getHealth",
       .response_schema = StatusSchema(),
       .public_route = true});

  router.Get(
      "/readyz",
      [db = deps.db](http::Request&) -> core::Result<http::Response> {
        AW_TRY(db->Ping());
        AW_ASSIGN_OR_RETURN(store::MigrationStatus status, db->Migrations());
        if (!status.up_to_date()) {
          return core::Unavailable(std::to_string(status.pending.size()) +
                                   " database migration(s) pending, first: " + status.pending.front().name);
        }
        return http::Response::Json({{"status", "ready"},
                                     {"migrations", status.applied.size()}})
            .WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Readiness: database reachable and all migrations applied",
       .description = "503 problem+json names the cause when not ready.",
       .tag = "operations",
       .operation_id = "getReadiness",
       .response_schema = StatusSchema(),
       .public_route = true});

  router.Get(
      "/metrics",
      [metrics = deps.metrics](http::Request&) -> core::Result<http::Response> {
        return http::Response::Bytes(metrics->Render(), "text/plain; version=0.0.4; charset=utf-8")
            .WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Metrics in the Prometheus text format",
       .tag = "operations",
       .operation_id = "getMetrics",
       .success_content_type = "text/plain; version=0.0.4",
       .public_route = true});

  // The router is frozen once the server runs, so the document is rendered once,
  // on first request, and shared afterwards.
  struct Cache {
    std::once_flag once;
    std::shared_ptr<const std::string> body;
  };
  auto cache = std::make_shared<Cache>();
  router.Get(
      "/api/v1/openapi.json",
      [&router, cache, version = deps.version](http::Request&) -> core::Result<http::Response> {
        std::call_once(cache->once, [&] {
          http::OpenApiInfo info;
          info.version = version;
          info.description = "API of Amtsweg, the open platform for municipal online services.";
          cache->body = std::make_shared<const std::string>(core::DumpJson(http::RenderOpenApi(router, info)));
        });
        http::Response res;
        res.headers.Set("Content-Type", "application/json");
        res.shared_body = cache->body;
        return res;
      },
      {.summary = "OpenAPI 3.1 description of this API",
       .tag = "operations",
       .operation_id = "getOpenApi",
       .public_route = true});
}

}  // namespace amtsweg::api
