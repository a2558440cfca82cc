// Reads the event log of one process definition from the engine history
// (engine_history joined with engine_instances; every query keyed by tenant).
// The only file of analytics/ that holds SQL.
//
// What becomes of which history event (see src/analytics/README.md):
//   instance_started / _completed / _terminated   the case, its start, end, state
//   element_activated / _completed / _terminated  an activity instance (only elements
//       that are activities: tasks, sub-processes, call activities, intermediate catch
//       events; gateways and start/end/boundary/throw events are left out; the body
//       of a multi-instance activity is left out, its inner instances are kept)
//   user_task_created / _assigned / _unassigned / _completed   waiting (no assignee)
//       vs working (assigned) time, due date, the completing assignee (org:resource)
// Intermediate catch events and receive tasks wait by nature: waiting = duration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/mining.h"
#include "analytics/overview.h"
#include "core/result.h"
#include "store/database.h"

namespace amtsweg::analytics {

struct LogQuery {
  std::string tenant{};
  std::string process_id{};
  std::optional<int> version{};     // all versions when unset
  std::optional<int64_t> from_ms{};  // cases started at or after
  std::optional<int64_t> to_ms{};    // cases started before
};

// The log of the cases of `q` in instance id order. kNotFound when the
// tenant has no process `process_id` (of that version); kInvalidArgument for
// an empty tenant/process id or from >= to. Runs in one read snapshot.
core::Result<Log> LoadLog(store::Database& db, const LogQuery& q);

// The tenant dashboard's facts (overview.h): the tenant's services
// (catalog_services) and departments (catalog_departments), and the cases
// intake created (`cases`, joined with the state of their process instance)
// submitted in [from, to), of one service and/or department when given.
// kNotFound for an unknown tenant; kInvalidArgument naming `service` or
// `department` when the filter names none of the tenant's.
struct OverviewQuery {
  std::string tenant{};
  std::optional<int64_t> from_ms{};
  std::optional<int64_t> to_ms{};
  std::string service_id{};     // "" = all
  std::string department_id{};  // "" = all
};
core::Result<OverviewFacts> LoadOverviewFacts(store::Database& db, const OverviewQuery& q);

// Bench support (`amtsweg bench mining`): writes `cases` completed cases of
// `process_id` straight into engine_instances and engine_history, each a
// random walk (seeded) of `per_case` activity instances over activity ids
// a01..aNN (an element_activated and an element_completed row each), then
// runs ANALYZE. The process must be deployed with those element ids.
struct SyntheticLogSpec {
  std::string tenant{};
  std::string process_id{};
  std::string definition_key{};
  int cases = 0;
  int activities = 10;
  int per_case = 5;
  uint64_t seed = 20260105;
  int64_t start_ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z, one case start per minute
  // When set, every case also gets a `cases` row of this service (as intake
  // writes it), its department taken in turn from `departments`.
  std::string service_id{};
  std::vector<std::string> departments{};
};
core::Status WriteSyntheticLog(store::Database& db, const SyntheticLogSpec& spec);

}  // namespace amtsweg::analytics
