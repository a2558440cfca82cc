// Process mining over an event log of one process definition: directly-follows
// graph, variants, throughput times, waiting vs working time per activity,
// bottlenecks, deadline breaches, open work and its age.
//
// Pure: the log comes from analytics_store.h (the engine history) or from a
// test. Times are Unix milliseconds (UTC). Percentiles are nearest-rank: the
// p-th percentile of n sorted values is the value at rank ceil(p/100 * n).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace amtsweg::analytics {

// One execution of an activity in a case (an element instance of the engine).
struct ActivityInstance {
  int activity = 0;         // index into Log::activities
  int64_t start_ms = 0;     // element_activated
  int64_t end_ms = -1;      // element_completed / element_terminated; -1 while open
  bool terminated = false;  // ended by element_terminated (cancel, boundary event)
  // User tasks: time without and with an assignee (user_task_created /
  // _assigned / _unassigned / _completed); -1 for other activities.
  int64_t waiting_ms = -1;
  int64_t working_ms = -1;
  std::optional<int64_t> due_ms;  // user task due date, when it had one
  std::string resource;           // assignee who completed a user task, "" if unknown
};

struct Case {
  std::string id;        // process instance id
  int version = 0;       // of the process definition
  int64_t start_ms = 0;  // instance_started
  int64_t end_ms = -1;   // instance_completed / _terminated; -1 while active
  std::string state;     // active | completed | terminated
  std::vector<ActivityInstance> events;  // in activation order (history sequence)
};

struct ActivityInfo {
  std::string id;    // BPMN element id
  std::string name;  // element name ("" when the model has none)
  std::string kind;  // BPMN local name: userTask, serviceTask, subProcess, ...
};

// An open user task (engine_user_tasks) of an active case: the inbox of its
// candidate groups (departments).
struct OpenTask {
  std::string case_id;
  int activity = 0;
  std::vector<std::string> groups;  // candidate groups; empty: none
  bool assigned = false;
  int64_t created_ms = 0;
  std::optional<int64_t> due_ms;
};

struct Log {
  std::string process_id;
  std::vector<ActivityInfo> activities;
  std::vector<Case> cases;
  std::vector<OpenTask> open_tasks;
  // Index of `id` in activities, appending it (with kind "") when new.
  int Intern(const std::string& id);
};

struct Stats {
  int64_t count = 0;
  int64_t min_ms = 0;
  int64_t mean_ms = 0;  // rounded toward zero
  int64_t p50_ms = 0;
  int64_t p90_ms = 0;
  int64_t max_ms = 0;
  int64_t sum_ms = 0;
};
// Reorders `values` (partial selection); all zero when empty.
Stats Summarize(std::vector<int64_t>& values);
core::Json StatsJson(const Stats& s);

// --- Directly-follows graph -------------------------------------------------
// Activity instances of a case are ordered by activation; a -> b when b is
// activated next after a. Edge duration = b.start - a.end, 0 when they
// overlap (parallel branches) or a is still open. Cases contribute a start
// edge ("" -> first) and, when completed, an end edge (last -> "").
struct DfgNode {
  int activity = 0;
  int64_t count = 0;  // activity instances
  int64_t cases = 0;  // cases with at least one
  Stats duration;     // of ended instances: end - start
};
struct DfgEdge {
  int from = -1;  // -1: the case start
  int to = -1;    // -1: the case end
  int64_t count = 0;
  Stats duration;
};
struct Dfg {
  std::vector<DfgNode> nodes;  // by descending count, then id
  std::vector<DfgEdge> edges;  // by descending count, then ids
};
Dfg ComputeDfg(const Log& log);

// --- Variants ---------------------------------------------------------------
struct Variant {
  std::vector<int> activities;  // the activity sequence
  int64_t count = 0;            // cases
  int64_t completed = 0;        // of which completed
  Stats throughput;             // of the completed ones
};
// Every case's sequence; by descending count, then lexicographically by ids.
std::vector<Variant> ComputeVariants(const Log& log);

// --- Throughput times -------------------------------------------------------
struct Durations {
  int64_t cases = 0, completed = 0, terminated = 0, active = 0;
  Stats throughput;  // completed cases: end - start
  // Histogram of completed throughput times: `buckets` equal-width bins over [0, max].
  int64_t bucket_width_ms = 0;
  std::vector<int64_t> histogram;
};
Durations ComputeDurations(const Log& log, int buckets = 10);

// --- Activities: waiting vs working, bottlenecks, deadlines -----------------
struct ActivityStats {
  int activity = 0;
  int64_t count = 0, completed = 0, terminated = 0, open = 0;
  Stats duration;          // ended instances
  Stats waiting;           // user tasks with the split known
  Stats working;
  double waiting_share = 0;  // this activity's waiting / all activities' waiting
  double duration_share = 0; // this activity's summed duration / all activities' summed duration
  int64_t with_due = 0;      // ended user tasks that had a due date
  int64_t breached = 0;      // ... completed after it
};
struct DeadlineBreach {
  std::string case_id;
  int activity = 0;
  int64_t due_ms = 0, end_ms = 0;
  std::string resource;
};
struct ActivityReport {
  std::vector<ActivityStats> activities;  // by descending count, then id
  std::vector<int> bottlenecks;           // indices into activities, by descending waiting share (>0),
                                          // then by duration share for activities without a split
  std::vector<DeadlineBreach> breaches;   // by descending overdue time, at most `max_breaches`
  int64_t breaches_total = 0;
};
ActivityReport ComputeActivities(const Log& log, size_t max_breaches = 100);

// --- Open work --------------------------------------------------------------
struct OpenElement {
  int activity = 0;
  int64_t open = 0;
  Stats age;                // now - activation
  std::string oldest_case;  // case id of the oldest open instance
};
// Backlog of one department: its open user tasks (a task with several
// candidate groups counts in each; group "" collects tasks without one).
struct DepartmentBacklog {
  std::string group;
  int64_t open = 0, unassigned = 0, overdue = 0;  // overdue: due date before now
  Stats age;                                       // now - task creation
};
struct OpenReport {
  int64_t open_cases = 0;
  Stats case_age;                   // now - instance start of active cases
  std::vector<OpenElement> elements;  // by descending open count, then id
  std::vector<DepartmentBacklog> departments;  // by descending open count, then group
};
OpenReport ComputeOpen(const Log& log, int64_t now_ms);

// JSON for the API (element ids and names resolved through log.activities).
core::Json DfgJson(const Log& log, const Dfg& dfg);
core::Json VariantsJson(const Log& log, const std::vector<Variant>& variants, size_t limit);
core::Json DurationsJson(const Durations& d);
core::Json ActivitiesJson(const Log& log, const ActivityReport& r);
core::Json OpenJson(const Log& log, const OpenReport& r);

}  // namespace amtsweg::analytics
