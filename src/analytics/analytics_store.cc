#include "analytics/analytics_store.h"

#include <limits>
#include <random>
#include <map>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "bpmn/importer.h"
#include "bpmn/model.h"
#include "core/id.h"
#include "core/json.h"
#include "core/time.h"
#include "store/history_batch.h"

namespace amtsweg::analytics {
namespace {

using store::Row;
using store::Tx;

// What an element id of the history means for the log.
struct ElementMeta {
  int activity = -1;           // index into Log::activities; -1: not an activity (skipped)
  bool multi_instance = false;  // its first activation in a case is the body (skipped)
  bool waits = false;           // catch event / receive task: its whole duration is waiting
};

bool CountsAsActivity(bpmn::NodeKind k) {
  return bpmn::IsActivity(k) || k == bpmn::NodeKind::kIntermediateCatchEvent;
}

// Element metadata from every deployed version of the process (or the one asked for).
core::Status LoadModel(Tx& tx, const LogQuery& q, Log& log, std::unordered_map<std::string, ElementMeta>& meta) {
  AW_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT d.version, d.checksum, r.content FROM engine_definitions d "
                               "JOIN engine_resources r ON r.tenant_id = d.tenant_id AND "
                               "r.deployment_id = d.deployment_id AND r.name = d.resource_name "
                               "WHERE d.tenant_id = $1 AND d.kind = 'process' AND d.definition_id = $2 "
                               "ORDER BY d.version DESC",
                               {q.tenant, q.process_id}));
  std::map<std::string, bool> parsed;  // by checksum
  bool found = false;
  for (const Row& r : rows) {
    if (q.version && r.Int(0) != *q.version) continue;
    found = true;
    if (!parsed.emplace(r.Text(1), true).second) continue;
    auto defs = bpmn::ImportBpmn(r.Text(2));
    if (!defs.ok()) {
      return core::Internal(fmt::format("deployed model of {} v{} does not parse: {}", q.process_id, r.Int(0),
                                        defs.error().message()));
    }
    for (const bpmn::Process& p : (*defs)->processes) {
      if (p.id != q.process_id) continue;
      for (const bpmn::FlowNode& n : p.nodes) {
        if (meta.contains(n.id)) continue;  // the newest version names it
        ElementMeta m;
        if (CountsAsActivity(n.kind)) {
          m.activity = static_cast<int>(log.activities.size());
          log.activities.push_back(ActivityInfo{n.id, n.name, bpmn::NodeKindName(n.kind)});
          m.multi_instance = n.multi_instance.has_value();
          m.waits = n.kind == bpmn::NodeKind::kIntermediateCatchEvent || n.kind == bpmn::NodeKind::kReceiveTask;
        }
        meta.emplace(n.id, m);
      }
    }
  }
  if (!found) {
    return core::NotFound(q.version ? fmt::format("no process {} version {}", q.process_id, *q.version)
                                    : fmt::format("no process {}", q.process_id));
  }
  return core::OkStatus();
}

enum EventCode : int64_t {
  kActivated = 1,
  kCompleted = 2,
  kTerminated = 3,
  kTaskCreated = 4,
  kTaskAssigned = 5,
  kTaskUnassigned = 6,
  kTaskCompleted = 7,
};

// An activity instance of the current case that has not ended yet.
struct OpenInstance {
  int64_t key = 0;
  int index = -1;        // into Case::events; -1: a multi-instance body (skipped)
  int activity = -1;
  bool user_task = false;
  bool assigned = false;
  int64_t since = 0;     // start of the current unassigned / assigned interval
};

void CloseInterval(ActivityInstance& e, OpenInstance& o, int64_t at) {
  if (!o.user_task) return;
  int64_t d = std::max<int64_t>(0, at - o.since);
  if (o.assigned) e.working_ms += d;
  else e.waiting_ms += d;
  o.since = at;
}

constexpr size_t kPage = 1000;

// History rows of the cases whose ids are $2..$(kPage+1), in id and sequence
// order. A row holds the events of one engine command (store/history_batch.h);
// which of them count is decided after decoding (EventCodeOf).
std::string HistorySql() {
  std::string sql = "SELECT h.instance_id, h.at, h.events FROM engine_history h WHERE h.tenant_id = $1 AND h.instance_id IN (";
  for (size_t i = 0; i < kPage; ++i) sql += fmt::format("{}${}", i == 0 ? "" : ", ", i + 2);
  sql += ") ORDER BY h.instance_id, h.seq";
  return sql;
}

// The events the log is built from; 0 for the others (job_created, ...).
int64_t EventCodeOf(std::string_view event) {
  if (event == "element_activated") return kActivated;
  if (event == "element_completed") return kCompleted;
  if (event == "element_terminated") return kTerminated;
  if (event == "user_task_created") return kTaskCreated;
  if (event == "user_task_assigned") return kTaskAssigned;
  if (event == "user_task_unassigned") return kTaskUnassigned;
  if (event == "user_task_completed") return kTaskCompleted;
  return 0;
}

// Folds one counted event (code != 0) of the current case into its activity instances.
void ApplyEvent(Case& c, std::vector<OpenInstance>& open, const ElementMeta& em, int64_t code, int64_t at, int64_t key,
                std::string_view data) {
  auto find_open = [&]() -> OpenInstance* {
    for (auto& o : open) {
      if (o.key == key) return &o;
    }
    return nullptr;
  };

  switch (code) {
    case kActivated: {
      OpenInstance o;
      o.key = key;
      o.activity = em.activity;
      bool body_open = false;
      if (em.multi_instance) {
        for (const auto& x : open) body_open |= (x.activity == em.activity && x.index < 0);
      }
      if (em.multi_instance && !body_open) {
        o.index = -1;  // the body
      } else {
        o.index = static_cast<int>(c.events.size());
        ActivityInstance e;
        e.activity = em.activity;
        e.start_ms = at;
        c.events.push_back(e);
      }
      open.push_back(o);
      break;
    }
    case kCompleted:
    case kTerminated: {
      OpenInstance* o = find_open();
      if (o == nullptr) break;
      if (o->index >= 0) {
        ActivityInstance& e = c.events[static_cast<size_t>(o->index)];
        CloseInterval(e, *o, at);
        e.end_ms = at;
        e.terminated = code == kTerminated;
        if (em.waits) {
          e.waiting_ms = at - e.start_ms;
          e.working_ms = 0;
        }
      }
      open.erase(open.begin() + (o - open.data()));
      break;
    }
    case kTaskCreated: {
      OpenInstance* o = find_open();
      if (o == nullptr || o->index < 0) break;
      ActivityInstance& e = c.events[static_cast<size_t>(o->index)];
      o->user_task = true;
      o->assigned = false;
      o->since = at;
      e.waiting_ms = 0;
      e.working_ms = 0;
      if (!data.empty()) {
        auto parsed = core::ParseJson(data);
        if (parsed.ok() && parsed->is_object()) {
          auto due = parsed->find("dueAt");
          if (due != parsed->end() && due->is_string()) {
          auto t = core::ParseIso8601(due->get<std::string>());
          if (t.ok()) e.due_ms = core::ToUnixMillis(*t);
        }
        }
      }
      break;
    }
    case kTaskAssigned:
    case kTaskUnassigned: {
      OpenInstance* o = find_open();
      if (o == nullptr || o->index < 0 || !o->user_task) break;
      CloseInterval(c.events[static_cast<size_t>(o->index)], *o, at);
      o->assigned = code == kTaskAssigned;
      break;
    }
    default: {  // user_task_completed: the element_completed follows in the same command
      OpenInstance* o = find_open();
      if (o == nullptr || o->index < 0) break;
      ActivityInstance& e = c.events[static_cast<size_t>(o->index)];
      CloseInterval(e, *o, at);
      o->user_task = false;  // nothing more to count
      if (!data.empty()) {
        auto parsed = core::ParseJson(data);
        if (parsed.ok() && parsed->is_object()) {
          auto a = parsed->find("assignee");
          if (a != parsed->end() && a->is_string()) e.resource = a->get<std::string>();
        }
      }
      break;
    }
  }
}

}  // namespace

core::Result<Log> LoadLog(store::Database& db, const LogQuery& q) {
  if (q.tenant.empty()) return core::InvalidArgument("tenant must not be empty");
  if (q.process_id.empty()) return core::InvalidArgument("processId must not be empty");
  int64_t from = q.from_ms.value_or(std::numeric_limits<int64_t>::min());
  int64_t to = q.to_ms.value_or(std::numeric_limits<int64_t>::max());
  if (from >= to) {
    core::Error e = core::InvalidArgument("'from' must be before 'to'");
    e.AddDetail("from", "must be before 'to'");
    return e;
  }
  int64_t version = q.version.value_or(0);

  return db.Read([&](Tx& tx) -> core::Result<Log> {
    Log log;
    log.process_id = q.process_id;
    std::unordered_map<std::string, ElementMeta> meta;
    AW_TRY(LoadModel(tx, q, log, meta));

    // Version 0 means every version ($4 = 0).
    AW_ASSIGN_OR_RETURN(auto instances,
                        tx.Query("SELECT instance_id, version, state, started_at, ended_at FROM engine_instances "
                                 "WHERE tenant_id = $1 AND process_id = $2 AND started_at >= $3 AND started_at < $4 "
                                 "AND ($5 = 0 OR version = $5) ORDER BY instance_id",
                                 {q.tenant, q.process_id, from, to, version}));
    log.cases.reserve(instances.size());
    std::unordered_map<std::string, size_t> case_index;  // built on the first out-of-order row only
    for (const Row& r : instances) {
      Case c;
      c.id = r.Text(0);
      c.version = static_cast<int>(r.Int(1));
      c.state = r.Text(2);
      c.start_ms = r.Int(3);
      c.end_ms = r.IsNull(4) ? -1 : r.Int(4);
      log.cases.push_back(std::move(c));
    }
    instances.clear();
    instances.shrink_to_fit();

    // The history is read in pages of kPage cases (`IN` over their ids, the
    // last page padded with its last id so the SQL text stays the same): a
    // page's rows are folded into the log before the next is read, so memory
    // holds one page of rows, not all of them (1,000,000 rows of store::Row
    // are about 300 MB).
    static const std::string kHistorySql = HistorySql();
    Case* current = nullptr;
    std::vector<OpenInstance> open;
    std::string last_element;
    const ElementMeta* last_meta = nullptr;
    std::vector<store::Value> params;
    for (size_t first = 0; first < log.cases.size(); first += kPage) {
      params.clear();
      params.emplace_back(q.tenant);
      for (size_t i = first; i < first + kPage; ++i) params.emplace_back(log.cases[std::min(i, log.cases.size() - 1)].id);
      AW_ASSIGN_OR_RETURN(auto rows, tx.Query(kHistorySql, params));
      for (const Row& r : rows) {
        const std::string* id = r.at(0).if_text();
        if (id == nullptr) continue;
        if (current == nullptr || current->id != *id) {
          // Both queries are in instance id order: usually the next case.
          size_t next = current == nullptr ? 0 : static_cast<size_t>(current - log.cases.data()) + 1;
          if (next < log.cases.size() && log.cases[next].id == *id) {
            current = &log.cases[next];
          } else {
            if (case_index.empty()) {
              for (size_t i = 0; i < log.cases.size(); ++i) case_index.emplace(log.cases[i].id, i);
            }
            auto it = case_index.find(*id);
            if (it == case_index.end()) continue;  // not in the instance list
            current = &log.cases[it->second];
          }
          open.clear();
        }
        const int64_t at = r.Int(1);
        AW_TRY(store::ForEachHistoryEvent(r.Text(2), [&](const store::HistoryEventView& ev) -> core::Status {
          const int64_t code = EventCodeOf(ev.event);
          if (code == 0) return core::OkStatus();
          const int64_t key = ev.element_key;
          if (last_meta == nullptr || ev.element_id != last_element) {
            auto m = meta.find(std::string(ev.element_id));
            if (m == meta.end()) {
              // Not in the model (should not happen): keep it as an activity of unknown kind.
              ElementMeta em;
              em.activity = log.Intern(std::string(ev.element_id));
              m = meta.emplace(std::string(ev.element_id), em).first;
            }
            last_element = ev.element_id;
            last_meta = &m->second;
          }
          const ElementMeta& em = *last_meta;
          if (em.activity < 0) return core::OkStatus();
          ApplyEvent(*current, open, em, code, at, key, ev.data);
          return core::OkStatus();
        }));
      }
    }
    // Open user tasks: the departments' inboxes (candidate groups).
    AW_ASSIGN_OR_RETURN(
        auto tasks,
        tx.Query("SELECT t.instance_id, t.element_id, t.candidate_groups, t.assignee, t.created_at, t.due_at "
                 "FROM engine_user_tasks t JOIN engine_instances i ON i.tenant_id = t.tenant_id AND "
                 "i.instance_id = t.instance_id WHERE t.tenant_id = $1 AND i.process_id = $2 AND "
                 "i.started_at >= $3 AND i.started_at < $4 AND ($5 = 0 OR i.version = $5) "
                 "ORDER BY t.created_at, t.task_id",
                 {q.tenant, q.process_id, from, to, version}));
    for (const Row& r : tasks) {
      OpenTask t;
      t.case_id = r.Text(0);
      auto m = meta.find(r.Text(1));
      t.activity = m != meta.end() && m->second.activity >= 0 ? m->second.activity : log.Intern(r.Text(1));
      auto groups = core::ParseJson(r.Text(2));
      if (groups.ok() && groups->is_array()) {
        for (const auto& g : *groups) {
          if (g.is_string()) t.groups.push_back(g.get<std::string>());
        }
      }
      t.assigned = !r.IsNull(3);
      t.created_ms = r.Int(4);
      if (!r.IsNull(5)) t.due_ms = r.Int(5);
      log.open_tasks.push_back(std::move(t));
    }
    return log;
  });
}

core::Result<OverviewFacts> LoadOverviewFacts(store::Database& db, const OverviewQuery& q) {
  if (q.tenant.empty()) return core::InvalidArgument("tenant must not be empty");
  int64_t from = q.from_ms.value_or(std::numeric_limits<int64_t>::min());
  int64_t to = q.to_ms.value_or(std::numeric_limits<int64_t>::max());
  if (from >= to) {
    core::Error e = core::InvalidArgument("'from' must be before 'to'");
    e.AddDetail("from", "must be before 'to'");
    return e;
  }
  return db.Read([&](Tx& tx) -> core::Result<OverviewFacts> {
    OverviewFacts f;
    AW_ASSIGN_OR_RETURN(auto tenant, tx.Query("SELECT 1 FROM catalog_tenants WHERE tenant_id = $1", {q.tenant}));
    if (tenant.empty()) return core::NotFound("no tenant " + q.tenant);
    AW_ASSIGN_OR_RETURN(auto services,
                        tx.Query("SELECT service_id, doc FROM catalog_services WHERE tenant_id = $1 ORDER BY service_id",
                                 {q.tenant}));
    bool service_known = q.service_id.empty();
    for (const Row& r : services) {
      ServiceInfo s;
      s.id = r.Text(0);
      auto doc = core::ParseJson(r.Text(1));
      if (doc.ok() && doc->is_object()) {
        const core::Json& d = *doc;
        auto text = [](const core::Json& j, const char* k) {
          return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
        };
        if (d.contains("name")) {
          s.name_de = text(d["name"], "de");
          s.name_en = text(d["name"], "en");
        }
        if (d.contains("process")) s.process_id = text(d["process"], "id");
        if (d.contains("responsibility")) s.department_id = text(d["responsibility"], "department");
        if (d.contains("processingTimeDays") && d["processingTimeDays"].is_number_integer()) {
          s.processing_days = d["processingTimeDays"].get<int>();
        }
      }
      if (s.name_de.empty()) s.name_de = s.id;
      if (s.name_en.empty()) s.name_en = s.name_de;
      service_known |= s.id == q.service_id;
      f.services.push_back(std::move(s));
    }
    AW_ASSIGN_OR_RETURN(auto departments,
                        tx.Query("SELECT department_id, name FROM catalog_departments WHERE tenant_id = $1 "
                                 "ORDER BY department_id",
                                 {q.tenant}));
    bool department_known = q.department_id.empty();
    for (const Row& r : departments) {
      f.departments.push_back(DepartmentInfo{r.Text(0), r.Text(1)});
      department_known |= r.Text(0) == q.department_id;
    }
    if (!service_known) {
      core::Error e = core::InvalidArgument("query parameter 'service' names no service of " + q.tenant);
      e.AddDetail("service", "no such service");
      return e;
    }
    if (!department_known) {
      core::Error e = core::InvalidArgument("query parameter 'department' names no department of " + q.tenant);
      e.AddDetail("department", "no such department");
      return e;
    }
    // A case whose instance row is missing counts as open (the instance is
    // created in the same transaction as the case, so this should not happen).
    AW_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT c.service_id, c.department_id, c.submitted_at, COALESCE(i.state, 'active'), i.ended_at "
                 "FROM cases c LEFT JOIN engine_instances i ON i.tenant_id = c.tenant_id AND "
                 "i.instance_id = c.instance_id WHERE c.tenant_id = $1 AND c.submitted_at >= $2 AND "
                 "c.submitted_at < $3 AND ($4 = '' OR c.service_id = $4) AND ($5 = '' OR c.department_id = $5)",
                 {q.tenant, from, to, q.service_id, q.department_id}));
    f.cases.reserve(rows.size());
    for (const Row& r : rows) {
      f.cases.push_back(CaseFact{r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.IsNull(4) ? -1 : r.Int(4)});
    }
    return f;
  });
}

namespace {

constexpr const char* kCaseHead =
    "INSERT INTO cases (tenant_id, case_id, case_number, tracking_code, receipt_secret, service_id, department_id, "
    "instance_id, stage, submitted_at)";

constexpr const char* kInstanceHead =
    "INSERT INTO engine_instances (tenant_id, instance_id, definition_key, process_id, version, state, "
    "next_key, next_seq, joins, started_at, ended_at)";
constexpr const char* kHistoryHead =
    "INSERT INTO engine_history (tenant_id, instance_id, seq, at, events)";

// "INSERT INTO table (cols) VALUES ($1, ..), (..)" for `rows` rows of `cols` columns.
std::string MultiInsert(const std::string& head, int cols, int rows) {
  std::string sql = head + " VALUES ";
  int n = 1;
  for (int r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (int c = 0; c < cols; ++c) sql += fmt::format("{}${}", c == 0 ? "" : ", ", n++);
    sql += ")";
  }
  return sql;
}

}  // namespace

core::Status WriteSyntheticLog(store::Database& db, const SyntheticLogSpec& spec) {
  if (spec.tenant.empty() || spec.process_id.empty() || spec.cases < 0 || spec.activities < 1 || spec.per_case < 1) {
    return core::InvalidArgument("synthetic log: tenant, process id, cases >= 0, activities and per_case >= 1 needed");
  }
  const int cases = spec.cases;
  const std::string& key = spec.definition_key;
  constexpr int kCasesPerCommand = 1000;
  constexpr int kRowsPerStatement = 100;
  const std::string instance_sql = MultiInsert(kInstanceHead, 11, kRowsPerStatement / 10);
  const std::string history_sql = MultiInsert(kHistoryHead, 5, kRowsPerStatement);
  const std::string case_sql = MultiInsert(kCaseHead, 10, kRowsPerStatement / 10);
  std::mt19937_64 rng(spec.seed);
  const int64_t t0 = spec.start_ms;
  for (int first = 0; first < cases; first += kCasesPerCommand) {
    int n = std::min(kCasesPerCommand, cases - first);
    AW_TRY(db.writer().Write([&](store::Tx& tx) -> core::Status {
      std::vector<store::Value> inst, hist, cs;
      for (int c = first; c < first + n; ++c) {
        std::string id = core::NewId();
        int64_t start = t0 + static_cast<int64_t>(c) * 60'000;
        int64_t at = start;
        int activity = 0;
        for (int k = 0; k < spec.per_case; ++k) {
          if (k > 0) activity = (activity + 1 + static_cast<int>(rng() % 3)) % spec.activities;
          at += static_cast<int64_t>(rng() % 1'800'000);  // gap up to 30 min
          std::string element = fmt::format("a{:02}", activity + 1);
          for (auto [event, seq] : {std::pair{"element_activated", 2 * k}, std::pair{"element_completed", 2 * k + 1}}) {
            if (seq % 2 == 1) at += 60'000 + static_cast<int64_t>(rng() % 3'600'000);  // 1 to 61 min of work
            // One event per row: each has a time of its own here, and an
            // engine command's events share one (store/history_batch.h).
            std::string events;
            store::AppendHistoryEvent(events, event, element, k + 1, {});
            store::FinishHistoryBatch(events);
            for (store::Value v : {store::Value(spec.tenant), store::Value(id), store::Value(seq), store::Value(at),
                                   store::Value(std::move(events))}) {
              hist.push_back(std::move(v));
            }
            if (hist.size() == static_cast<size_t>(5 * kRowsPerStatement)) {
              AW_TRY(tx.Exec(history_sql, hist));
              hist.clear();
            }
          }
        }
        for (store::Value v : {store::Value(spec.tenant), store::Value(id), store::Value(key), store::Value(spec.process_id),
                               store::Value(1), store::Value("completed"), store::Value(spec.per_case + 1),
                               store::Value(2 * spec.per_case), store::Value("{}"), store::Value(start), store::Value(at)}) {
          inst.push_back(std::move(v));
        }
        if (inst.size() == static_cast<size_t>(11 * kRowsPerStatement / 10)) {
          AW_TRY(tx.Exec(instance_sql, inst));
          inst.clear();
        }
        if (!spec.service_id.empty()) {
          std::string department =
              spec.departments.empty() ? std::string() : spec.departments[static_cast<size_t>(c) % spec.departments.size()];
          for (store::Value v : {store::Value(spec.tenant), store::Value(id), store::Value(fmt::format("B-{:07}", c)),
                                 store::Value("BENCH" + id), store::Value(""), store::Value(spec.service_id),
                                 store::Value(department), store::Value(id), store::Value("received"),
                                 store::Value(start)}) {
            cs.push_back(std::move(v));
          }
          if (cs.size() == static_cast<size_t>(10 * kRowsPerStatement / 10)) {
            AW_TRY(tx.Exec(case_sql, cs));
            cs.clear();
          }
        }
      }
      if (!cs.empty()) AW_TRY(tx.Exec(MultiInsert(kCaseHead, 10, static_cast<int>(cs.size() / 10)), cs));
      if (!hist.empty()) AW_TRY(tx.Exec(MultiInsert(kHistoryHead, 5, static_cast<int>(hist.size() / 5)), hist));
      if (!inst.empty()) AW_TRY(tx.Exec(MultiInsert(kInstanceHead, 11, static_cast<int>(inst.size() / 11)), inst));
      return core::OkStatus();
    }));
  }
  // Statistics for the planner, as a live database has them.
  return db.writer().Write([](store::Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("ANALYZE"));
    return core::OkStatus();
  });
}


}  // namespace amtsweg::analytics
