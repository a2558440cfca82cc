#include "api/analytics_api.h"
#include "api/roles.h"

#include <charconv>
#include <string>

#include "analytics/analytics_store.h"
#include "analytics/export.h"
#include "analytics/mining.h"
#include "analytics/overview.h"

namespace amtsweg::api {
namespace {

using core::Json;

core::Error BadParam(const std::string& name, const std::string& message) {
  core::Error e = core::InvalidArgument("query parameter '" + name + "' " + message);
  e.AddDetail(name, message);
  return e;
}

core::Result<std::optional<int64_t>> TimeParam(const http::Request& req, const std::string& name) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  std::string text = *v;
  if (text.size() == 10) text += "T00:00:00Z";  // a date: midnight UTC
  auto t = core::ParseIso8601(text);
  if (!t.ok()) return BadParam(name, "must be an ISO 8601 date (YYYY-MM-DD) or date-time with offset");
  return std::optional<int64_t>(core::ToUnixMillis(*t));
}

core::Result<std::optional<int64_t>> IntParam(const http::Request& req, const std::string& name, int64_t min,
                                              int64_t max) {
  auto v = req.QueryParam(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
    return BadParam(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return std::optional<int64_t>(n);
}

core::Result<analytics::Log> LoadFor(const AnalyticsDeps& deps, const http::Request& req) {
  analytics::LogQuery q;
  q.tenant = std::string(req.PathParam("tenant"));
  q.process_id = std::string(req.PathParam("processId"));
  AW_ASSIGN_OR_RETURN(q.from_ms, TimeParam(req, "from"));
  AW_ASSIGN_OR_RETURN(q.to_ms, TimeParam(req, "to"));
  AW_ASSIGN_OR_RETURN(auto version, IntParam(req, "version", 1, INT32_MAX));
  if (version) q.version = static_cast<int>(*version);
  if (q.from_ms && q.to_ms && *q.from_ms >= *q.to_ms) return BadParam("from", "must be before 'to'");
  return analytics::LoadLog(*deps.db, q);
}

core::Status CheckExportSize(const analytics::Log& log, size_t max_events) {
  size_t events = 0;
  for (const auto& c : log.cases) events += 2 * c.events.size();
  if (events <= max_events) return core::OkStatus();
  return BadParam("from", "selects about " + std::to_string(events) + " events; exports are limited to " +
                              std::to_string(max_events) + ": narrow the period with 'from' and 'to'");
}

Json StatsSchema() {
  Json ms = {{"type", "integer"}};
  return {{"type", "object"},
          {"description", "milliseconds; percentiles by nearest rank"},
          {"properties",
           {{"count", ms}, {"minMs", ms}, {"meanMs", ms}, {"p50Ms", ms}, {"p90Ms", ms}, {"maxMs", ms}, {"sumMs", ms}}}};
}

Json ActivityRefProps() {
  return {{"id", {{"type", "string"}, {"description", "BPMN element id"}}},
          {"name", {{"type", "string"}}},
          {"kind", {{"type", "string"}, {"description", "BPMN element type: userTask, serviceTask, ..."}}}};
}

Json ObjectWith(Json props, Json extra) {
  for (auto& [k, v] : extra.items()) props[k] = v;
  return {{"type", "object"}, {"properties", std::move(props)}};
}

void RegisterOverviewRoute(http::Router& router, const AnalyticsDeps& deps) {
  AnalyticsDeps d = deps;
  if (d.clock == nullptr) d.clock = &core::SystemClock::Instance();
  const Json stats = StatsSchema();
  const Json integer = {{"type", "integer"}};
  const Json str = {{"type", "string"}};
  const Json kpi_props = {{"received", integer},     {"completed", integer}, {"terminated", integer},
                          {"open", integer},         {"openAge", stats},     {"throughput", stats},
                          {"overdue", integer},      {"overdueOpen", integer}};
  const Json names = {{"type", "object"}, {"properties", {{"de", str}, {"en", str}}}};
  router.Get(
      "/api/v1/tenants/{tenant}/analytics/overview",
      [d](http::Request& req) -> core::Result<http::Response> {
        analytics::OverviewQuery q;
        q.tenant = std::string(req.PathParam("tenant"));
        AW_ASSIGN_OR_RETURN(q.from_ms, TimeParam(req, "from"));
        AW_ASSIGN_OR_RETURN(q.to_ms, TimeParam(req, "to"));
        if (q.from_ms && q.to_ms && *q.from_ms >= *q.to_ms) return BadParam("from", "must be before 'to'");
        q.service_id = std::string(req.QueryParam("service").value_or(""));
        q.department_id = std::string(req.QueryParam("department").value_or(""));
        analytics::OverviewOptions o;
        std::string interval(req.QueryParam("interval").value_or("month"));
        if (interval == "week") o.interval = analytics::Interval::kWeek;
        else if (interval != "month" && !interval.empty()) return BadParam("interval", "must be 'week' or 'month'");
        o.from_ms = q.from_ms;
        o.to_ms = q.to_ms;
        o.now_ms = core::ToUnixMillis(d.clock->Now());
        AW_ASSIGN_OR_RETURN(auto facts, analytics::LoadOverviewFacts(*d.db, q));
        AW_ASSIGN_OR_RETURN(auto body, analytics::OverviewJson(facts, o));
        return http::Response::Json(body);
      },
      {.summary = "Dashboard KPIs of a tenant: per service and department, and trends",
       .description = "Over the applications intake received (cases) submitted in the period and the state of "
                      "their process instances: received, completed, terminated, open with their age, throughput "
                      "time (submission to instance end, p50/p90), and cases past the processing time their "
                      "service promises (`overdue`: completed after it or open longer). Per tenant (`totals`), "
                      "service and responsible department, and a series by ISO week or calendar month (UTC) with "
                      "received, completed, the median throughput of the cases completed in it and the open "
                      "backlog at its end. `filters` lists every service and department of the tenant.",
       .tag = "analytics",
       .operation_id = "getTenantOverview",
       .path_params = {{.name = "tenant", .description = "tenant id"}},
       .query_params =
           {{.name = "from", .description = "cases submitted at or after: ISO 8601 date-time with offset, or a date"},
            {.name = "to", .description = "cases submitted before: ISO 8601 date-time with offset, or a date"},
            {.name = "service", .description = "only cases of this service id"},
            {.name = "department", .description = "only cases of this responsible department id"},
            {.name = "interval", .description = "series buckets: 'month' (default) or 'week' (ISO weeks)"}},
       .response_schema = Json{
           {"type", "object"},
           {"required", {"totals", "services", "departments", "series", "filters"}},
           {"properties",
            {{"interval", {{"type", "string"}, {"enum", {"week", "month"}}}},
             {"now", {{"type", "string"}, {"format", "date-time"}}},
             {"totals", {{"type", "object"}, {"properties", kpi_props}}},
             {"services", {{"type", "array"},
                           {"items", ObjectWith(kpi_props, {{"serviceId", str},
                                                            {"name", names},
                                                            {"processId", {{"type", {"string", "null"}}}},
                                                            {"processingTimeDays", {{"type", {"integer", "null"}}}}})}}},
             {"departments", {{"type", "array"},
                              {"items", ObjectWith(kpi_props, {{"departmentId", str}, {"name", str}})}}},
             {"series", {{"type", "array"},
                         {"items", {{"type", "object"},
                                    {"properties",
                                     {{"period", {{"type", "string"}, {"description", "2026-01 or 2026-W03"}}},
                                      {"start", {{"type", "string"}, {"format", "date-time"}}},
                                      {"received", integer},
                                      {"completed", integer},
                                      {"throughputP50Ms", {{"type", {"integer", "null"}}}},
                                      {"openAtEnd", integer}}}}}}},
             {"filters", {{"type", "object"},
                          {"properties",
                           {{"services", {{"type", "array"},
                                          {"items", {{"type", "object"},
                                                     {"properties", {{"id", str}, {"name", names}, {"processId", str}}}}}}},
                            {"departments", {{"type", "array"},
                                             {"items", {{"type", "object"},
                                                        {"properties", {{"id", str}, {"name", str}}}}}}}}}}}}}},
       .roles = roles::Analysts()});
}

}  // namespace

void RegisterAnalyticsRoutes(http::Router& router, const AnalyticsDeps& deps) {
  RegisterOverviewRoute(router, deps);

  const std::string base = "/api/v1/tenants/{tenant}/analytics/processes/{processId}/";
  const std::vector<http::ParamDoc> path = {{.name = "tenant", .description = "tenant id"},
                                            {.name = "processId", .description = "BPMN process id"}};
  const std::vector<http::ParamDoc> query = {
      {.name = "from", .description = "cases started at or after: ISO 8601 date-time with offset, or a date (00:00 UTC)"},
      {.name = "to", .description = "cases started before: ISO 8601 date-time with offset, or a date (00:00 UTC)"},
      {.name = "version", .description = "process definition version; all versions when absent", .type = "integer"}};
  const Json stats = StatsSchema();
  const Json str = {{"type", "string"}};
  const Json integer = {{"type", "integer"}};
  const Json nullable_str = {{"type", {"string", "null"}}};
  AnalyticsDeps d = deps;
  if (d.clock == nullptr) d.clock = &core::SystemClock::Instance();

  router.Get(
      base + "dfg",
      [d](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto log, LoadFor(d, req));
        return http::Response::Json(analytics::DfgJson(log, analytics::ComputeDfg(log)));
      },
      {.summary = "Directly-follows graph of a process",
       .description = "Activities (tasks, sub-processes, call activities, intermediate catch events) with "
                      "their frequency and duration, and the directly-follows edges between them with frequency "
                      "and the gap from the end of one to the start of the next. `from`/`to` null: case start/end.",
       .tag = "analytics",
       .operation_id = "getProcessDfg",
       .path_params = path,
       .query_params = query,
       .response_schema = Json{
           {"type", "object"},
           {"required", {"processId", "cases", "nodes", "edges"}},
           {"properties",
            {{"processId", str},
             {"cases", integer},
             {"nodes", {{"type", "array"},
                        {"items", ObjectWith(ActivityRefProps(),
                                             {{"count", integer}, {"cases", integer}, {"duration", stats}})}}},
             {"edges", {{"type", "array"},
                        {"items", ObjectWith({{"from", nullable_str}, {"to", nullable_str}},
                                             {{"count", integer}, {"duration", stats}})}}}}}},
       .roles = roles::Analysts()});

  router.Get(
      base + "variants",
      [d](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto limit, IntParam(req, "limit", 1, 1000));
        AW_ASSIGN_OR_RETURN(auto log, LoadFor(d, req));
        return http::Response::Json(
            analytics::VariantsJson(log, analytics::ComputeVariants(log), static_cast<size_t>(limit.value_or(50))));
      },
      {.summary = "Variants of a process by frequency",
       .description = "Each distinct activity sequence, with the number and share of cases and the throughput "
                      "time of its completed cases.",
       .tag = "analytics",
       .operation_id = "getProcessVariants",
       .path_params = path,
       .query_params = [&] {
         auto q = query;
         q.push_back({.name = "limit", .description = "at most this many variants (1-1000, default 50)",
                      .type = "integer"});
         return q;
       }(),
       .response_schema = Json{
           {"type", "object"},
           {"required", {"processId", "cases", "total", "variants"}},
           {"properties",
            {{"processId", str},
             {"cases", integer},
             {"total", integer},
             {"variants", {{"type", "array"},
                           {"items", {{"type", "object"},
                                      {"properties",
                                       {{"activities", {{"type", "array"}, {"items", str}}},
                                        {"count", integer},
                                        {"share", {{"type", "number"}}},
                                        {"completed", integer},
                                        {"throughput", stats}}}}}}}}}},
       .roles = roles::Analysts()});

  router.Get(
      base + "durations",
      [d](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto log, LoadFor(d, req));
        return http::Response::Json(analytics::DurationsJson(analytics::ComputeDurations(log)));
      },
      {.summary = "Throughput times of a process",
       .description = "Instance start to end of completed cases (p50/p90/max) and a 10-bin histogram; counts of "
                      "completed, terminated and active cases.",
       .tag = "analytics",
       .operation_id = "getProcessDurations",
       .path_params = path,
       .query_params = query,
       .response_schema = Json{{"type", "object"},
                               {"properties",
                                {{"cases", integer},
                                 {"completed", integer},
                                 {"terminated", integer},
                                 {"active", integer},
                                 {"throughput", stats},
                                 {"histogram",
                                  {{"type", "object"},
                                   {"properties",
                                    {{"bucketWidthMs", integer},
                                     {"counts", {{"type", "array"}, {"items", integer}}}}}}}}}},
       .roles = roles::Analysts()});

  router.Get(
      base + "activities",
      [d](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto log, LoadFor(d, req));
        return http::Response::Json(analytics::ActivitiesJson(log, analytics::ComputeActivities(log)));
      },
      {.summary = "Activity times, bottlenecks and deadline breaches of a process",
       .description = "Per activity: duration; waiting (no assignee) vs working (assigned) time of user tasks; "
                      "intermediate catch events and receive tasks count as waiting; null where the history "
                      "cannot split it (service tasks). Bottlenecks by share of all waiting time, then by share "
                      "of duration. Deadline breaches: user tasks completed after their due date.",
       .tag = "analytics",
       .operation_id = "getProcessActivities",
       .path_params = path,
       .query_params = query,
       .response_schema = Json{
           {"type", "object"},
           {"properties",
            {{"processId", str},
             {"activities",
              {{"type", "array"},
               {"items", ObjectWith(ActivityRefProps(),
                                    {{"count", integer},
                                     {"completed", integer},
                                     {"terminated", integer},
                                     {"open", integer},
                                     {"duration", stats},
                                     {"waiting", {{"oneOf", {stats, {{"type", "null"}}}}}},
                                     {"working", {{"oneOf", {stats, {{"type", "null"}}}}}},
                                     {"waitingShare", {{"type", "number"}}},
                                     {"durationShare", {{"type", "number"}}},
                                     {"withDue", integer},
                                     {"breached", integer}})}}},
             {"bottlenecks",
              {{"type", "array"},
               {"items", {{"type", "object"},
                          {"properties",
                           {{"id", str},
                            {"basis", {{"type", "string"}, {"enum", {"waiting", "duration"}}}},
                            {"share", {{"type", "number"}}},
                            {"meanMs", integer}}}}}}},
             {"deadlineBreaches",
              {{"type", "object"},
               {"properties",
                {{"total", integer},
                 {"items", {{"type", "array"},
                            {"items", {{"type", "object"},
                                       {"properties",
                                        {{"caseId", str},
                                         {"activity", str},
                                         {"due", {{"type", "string"}, {"format", "date-time"}}},
                                         {"completed", {{"type", "string"}, {"format", "date-time"}}},
                                         {"overdueMs", integer},
                                         {"resource", nullable_str}}}}}}}}}}}}}},
       .roles = roles::Analysts()});

  router.Get(
      base + "open",
      [d](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto log, LoadFor(d, req));
        int64_t now = core::ToUnixMillis(d.clock->Now());
        return http::Response::Json(analytics::OpenJson(log, analytics::ComputeOpen(log, now)));
      },
      {.summary = "Open cases, open activity instances and department backlogs with their age",
       .tag = "analytics",
       .operation_id = "getProcessOpenWork",
       .path_params = path,
       .query_params = query,
       .response_schema =
           Json{{"type", "object"},
                {"properties",
                 {{"processId", str},
                  {"openCases", integer},
                  {"caseAge", stats},
                  {"elements", {{"type", "array"},
                                {"items", ObjectWith(ActivityRefProps(), {{"open", integer},
                                                                          {"age", stats},
                                                                          {"oldestCaseId", str}})}}},
                  {"departments",
                   {{"type", "array"},
                    {"description", "open user tasks per candidate group (department inbox); group null: none"},
                    {"items", {{"type", "object"},
                               {"properties",
                                {{"group", nullable_str},
                                 {"open", integer},
                                 {"unassigned", integer},
                                 {"overdue", integer},
                                 {"age", stats}}}}}}}}}},
       .roles = roles::Analysts()});

  // The event log as a download: XES and CSV differ only in the writer and the media type.
  auto export_route = [&](const char* ext, std::string (*write)(const analytics::Log&), const char* type,
                          const char* doc_type, http::RouteDoc doc) {
    router.Get(
        base + "export." + ext,
        [d, ext, write, type](http::Request& req) -> core::Result<http::Response> {
          AW_ASSIGN_OR_RETURN(auto log, LoadFor(d, req));
          AW_TRY(CheckExportSize(log, d.max_export_events));
          http::Response r = http::Response::Bytes(write(log), type);
          r.headers.Set("Content-Disposition", "attachment; filename=\"" + log.process_id + "." + ext + "\"");
          return r;
        },
        [&] {
          doc.tag = "analytics";
          doc.path_params = path;
          doc.query_params = query;
          doc.success_content_type = doc_type;
          doc.roles = roles::Analysts();
          return doc;
        }());
  };
  export_route("xes", &analytics::ToXes, "application/xml; charset=utf-8", "application/xml",
               {.summary = "Event log of a process as XES (IEEE 1849-2016)",
                .description = "One trace per case, start and complete (or ate_abort) events per activity instance, "
                               "with concept, time, lifecycle and org extensions; opens in PM4Py and ProM. "
                               "At most 1,000,000 events per export (else a problem asks to narrow the period).",
                .operation_id = "exportProcessXes"});
  export_route("csv", &analytics::ToCsv, "text/csv; charset=utf-8; header=present", "text/csv",
               {.summary = "Event log of a process as CSV (RFC 4180)",
                .description = "Columns case:concept:name, concept:name, lifecycle:transition, time:timestamp, "
                               "org:resource, elementId, processVersion; CRLF line ends. At most 1,000,000 events per export.",
                .operation_id = "exportProcessCsv"});
}

}  // namespace amtsweg::api
