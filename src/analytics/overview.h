// Tenant dashboard: KPIs per tenant, service and department, and trends by
// week or month, over the cases intake created (table `cases`) and the state
// of their process instances. Pure: the facts come from analytics_store.h
// (LoadOverviewFacts) or from a test.
//
// Definitions (all times Unix ms, UTC; weeks are ISO 8601 weeks, Monday to Sunday):
//   received   cases submitted in the period
//   completed  of those, cases whose process instance completed; terminated likewise
//   open       of those, cases whose instance is still active
//   openAge    now - submission of the open ones
//   throughput end - submission of the completed ones (p50/p90 nearest rank)
//   overdue    cases past the processing time their service promises
//              (`processingTimeDays` of the catalogue entry): completed after
//              it, or open longer than it; services without one never count
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/mining.h"
#include "core/json.h"
#include "core/result.h"

namespace amtsweg::analytics {

struct CaseFact {
  std::string service_id;
  std::string department_id;
  int64_t submitted_ms = 0;
  std::string state;     // active | completed | terminated (of the process instance)
  int64_t end_ms = -1;   // instance end; -1 while active
};

struct ServiceInfo {
  std::string id;
  std::string name_de, name_en;
  std::string process_id;     // BPMN process id the service starts
  std::string department_id;  // fixed responsibility; "" when a decision routes
  int processing_days = 0;    // 0: none promised
};

struct DepartmentInfo {
  std::string id;
  std::string name;
};

struct OverviewFacts {
  std::vector<ServiceInfo> services;        // every service of the tenant, by id
  std::vector<DepartmentInfo> departments;  // every department of the tenant, by id
  std::vector<CaseFact> cases;              // the cases of the period (and filters)
};

enum class Interval { kWeek, kMonth };

struct OverviewOptions {
  int64_t now_ms = 0;
  Interval interval = Interval::kMonth;
  std::optional<int64_t> from_ms;  // the series starts here (else at the first submission)
  std::optional<int64_t> to_ms;    // ... and ends before here (else now)
  size_t max_buckets = 520;        // ten years of weeks
};

// One series bucket: a week or a month.
struct Bucket {
  int64_t start_ms = 0, end_ms = 0;
  std::string label;  // "2026-W03" or "2026-01"
};
// The buckets covering [from, to), contiguous; kInvalidArgument (detail
// "interval") when there would be more than max.
core::Result<std::vector<Bucket>> MakeBuckets(int64_t from_ms, int64_t to_ms, Interval interval, size_t max);
// The start of the week (Monday 00:00 UTC) or month containing t.
int64_t BucketStart(int64_t t_ms, Interval interval);

// {totals, services[], departments[], series[], filters{services[], departments[]}}
// (the shape is documented in the route's OpenAPI schema).
core::Result<core::Json> OverviewJson(const OverviewFacts& facts, const OverviewOptions& options);

}  // namespace amtsweg::analytics
