#include "api/audit_api.h"

#include <charconv>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/json.h"
#include "store/database.h"

namespace amtsweg::api {
namespace {

// A query parameter as an integer in [lo, hi]; `fallback` when absent.
core::Result<int64_t> IntParam(const http::Request& r, const char* name, int64_t fallback, int64_t lo, int64_t hi) {
  auto v = r.QueryParam(name);
  if (!v) return fallback;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < lo || out > hi) {
    return core::InvalidArgument(std::string("query parameter ") + name + " must be an integer from " +
                                 std::to_string(lo) + " to " + std::to_string(hi));
  }
  return out;
}

}  // namespace

void RegisterAuditRoutes(http::Router& router, store::Database* db) {
  router.Get(
      "/api/v1/tenants/{tenant}/audit",
      [db](http::Request& r) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(int64_t after, IntParam(r, "after", 0, 0, INT64_MAX));
        AW_ASSIGN_OR_RETURN(int64_t limit, IntParam(r, "limit", 100, 1, 1000));
        std::string tenant(r.PathParam("tenant"));
        AW_ASSIGN_OR_RETURN(auto entries, db->Read([&](store::Tx& tx) {
                              return audit::List(tx, tenant, after, static_cast<int>(limit));
                            }));
        core::Json items = core::Json::array();
        for (const auto& e : entries) {
          auto details = core::ParseJson(e.details);
          items.push_back({{"seq", e.seq},
                           {"at", core::FormatIso8601(e.at)},
                           {"actor", e.actor},
                           {"action", e.action},
                           {"objectType", e.object_type},
                           {"objectId", e.object_id},
                           {"details", details.ok() ? *details : core::Json(e.details)},
                           {"hash", e.hash}});
        }
        core::Json next = static_cast<int64_t>(entries.size()) == limit ? core::Json(entries.back().seq) : core::Json();
        return http::Response::Json({{"items", items}, {"next", next}}).WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Read the tenant's audit trail, oldest first",
       .tag = "audit",
       .operation_id = "listAuditEntries",
       .path_params = {{.name = "tenant", .description = "tenant id"}},
       .query_params = {{.name = "after", .description = "return entries after this sequence number",
                         .type = "integer"},
                        {.name = "limit", .description = "1 to 1000, default 100", .type = "integer"}},
       .roles = {std::string(auth::kAdministrator)}});
}

}  // namespace amtsweg::api
