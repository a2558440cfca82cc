// Process analytics routes: what the dashboards read, and event-log exports.
#pragma once

#include <cstddef>

#include "core/time.h"
#include "http/router.h"

namespace amtsweg::store {
class Database;
}

namespace amtsweg::api {

struct AnalyticsDeps {
  store::Database* db = nullptr;  // borrowed; outlives the server
  core::Clock* clock = nullptr;   // borrowed; "now" for the age of open work (null: system clock)
  size_t max_export_events = 1'000'000;  // exports are built in memory (~250 bytes of XES per event)
};

// Registers on `router`, each under
// /api/v1/tenants/{tenant}/analytics/processes/{processId}/ with the query
// parameters `from`, `to` (cases started in [from, to); ISO 8601 date-time with
// offset, or a date YYYY-MM-DD meaning 00:00 UTC) and `version` (1, 2, ...):
//   GET dfg          directly-follows graph: nodes and edges with counts and durations
//   GET variants     activity sequences by frequency (`limit`, default 50, max 1000)
//   GET durations    throughput times of completed cases (p50/p90/max, histogram)
//   GET activities   per activity: duration, waiting vs working, bottlenecks, deadline breaches
//   GET open         active cases and open activity instances with their age
//   GET export.xes   the event log as XES (IEEE 1849-2016)
//   GET export.csv   the event log as CSV (RFC 4180)
// 404 problem+json for an unknown process (version), 422 naming the parameter for bad input;
// exports of more than 1,000,000 events are refused (422 on 'from') asking for a shorter period.
void RegisterAnalyticsRoutes(http::Router& router, const AnalyticsDeps& deps);

}  // namespace amtsweg::api
