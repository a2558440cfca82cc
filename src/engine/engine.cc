#include "engine/engine.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "bpmn/importer.h"
#include "bpmn/lint.h"
#include "core/id.h"
#include "dmn/engine.h"
#include "dmn/importer.h"
#include "feel/json_value.h"
#include "engine/bpmn_processor.h"
#include "engine/instance_state.h"
#include "engine/timer_spec.h"
#include "store/history_batch.h"
#include "store/migrations.h"

namespace amtsweg::engine {

using core::Json;
using store::Row;
using store::Tx;

namespace {

bool IsPg(const Tx& tx) { return tx.dialect() == store::Dialect::kPostgres; }

core::Result<Json> ParseStoredJson(std::string_view text) {
  auto j = core::ParseJson(text);
  if (!j.ok()) return core::Internal("stored engine JSON is corrupt: " + j.error().message());
  return std::move(*j);
}

core::Status CheckVariables(const Json& vars) {
  if (!vars.is_object()) return core::InvalidArgument("variables must be a JSON object");
  return core::OkStatus();
}

struct JobRow {
  std::string instance_id;
  int64_t element_key = 0;
  std::string element_id;
  std::string state;
  int64_t retries = 0;
};

core::Result<JobRow> LoadJob(Tx& tx, const std::string& tenant, const std::string& job_id, bool must_be_activated) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id, element_key, element_id, state, retries FROM engine_jobs "
                                            "WHERE tenant_id = $1 AND job_id = $2",
                                            {tenant, job_id}));
  if (!row) return core::NotFound("no job " + job_id);
  JobRow j{row->Text(0), row->Int(1), row->Text(2), row->Text(3), row->Int(4)};
  if (must_be_activated && j.state != "activated") {
    return core::FailedPrecondition(fmt::format("job {} is {}, not activated", job_id, j.state));
  }
  return j;
}

constexpr std::string_view kUserTaskCols =
    "SELECT task_id, instance_id, element_id, name, assignee, candidate_groups, candidate_users, "
    "due_at, follow_up_at, form_key, created_at FROM engine_user_tasks ";

core::Result<UserTask> UserTaskFromRow(const Row& r) {
  UserTask t;
  t.task_id = r.Text(0);
  t.instance_id = r.Text(1);
  t.element_id = r.Text(2);
  t.name = r.Text(3);
  if (!r.IsNull(4)) t.assignee = r.Text(4);
  AW_ASSIGN_OR_RETURN(Json groups, ParseStoredJson(r.Text(5)));
  AW_ASSIGN_OR_RETURN(Json users, ParseStoredJson(r.Text(6)));
  t.candidate_groups = groups.get<std::vector<std::string>>();
  t.candidate_users = users.get<std::vector<std::string>>();
  if (!r.IsNull(7)) t.due = core::FromUnixMillis(r.Int(7));
  if (!r.IsNull(8)) t.follow_up = core::FromUnixMillis(r.Int(8));
  t.form_key = r.Text(9);
  t.created = core::FromUnixMillis(r.Int(10));
  return t;
}

}  // namespace

Engine::Engine(store::Database& db, EngineOptions options)
    : db_(db), clock_(options.clock != nullptr ? options.clock : &core::SystemClock::Instance()) {}

Engine::~Engine() = default;

// --- Job push ------------------------------------------------------------------

template <class F>
auto Engine::WithPushes(PushedJobs& sink, F&& fn) {
  sink.tenant.clear();
  sink.jobs.clear();
  struct Reset {
    PushedJobs*& p;
    ~Reset() { p = nullptr; }
  } reset{push_sink_};
  push_sink_ = &sink;
  return fn();
}

std::optional<core::Timestamp> Engine::PushDeadline(std::string_view type, core::Timestamp now) {
  if (push_sink_ == nullptr) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = push_locks_.find(type);
  if (it == push_locks_.end() || it->second.count() <= 0) return std::nullopt;
  // Whole milliseconds, as stored in available_at.
  return core::FromUnixMillis(core::ToUnixMillis(now) + it->second.count());
}

void Engine::JobPushed(const std::string& tenant, const std::string& job_id, const std::string& type,
                       const std::string& instance_id, const std::string& element_id, int64_t element_key,
                       int64_t retries, core::Timestamp deadline, Json variables, Json headers) {
  AW_ASSERT(push_sink_ != nullptr, "a job was pushed outside a pushing command");
  // Every job of one command belongs to the command's tenant.
  push_sink_->tenant = tenant;
  push_sink_->jobs.push_back(ActivatedJob{job_id, type, instance_id, element_id, element_key, retries, deadline,
                                          std::move(variables), std::move(headers)});
}

void Engine::JobDeleted(const std::string& job_id) {
  if (push_sink_ == nullptr) return;
  std::erase_if(push_sink_->jobs, [&](const ActivatedJob& j) { return j.job_id == job_id; });
}

void Engine::QueuePushed(PushedJobs& pushed) {
  if (pushed.jobs.empty()) return;
  {
    std::lock_guard lock(push_mu_);
    std::deque<ActivatedJob>& q = pushed_[pushed.tenant];
    for (ActivatedJob& j : pushed.jobs) q.push_back(std::move(j));
  }
  pushed.jobs.clear();
  push_cv_.notify_all();
}

std::vector<ActivatedJob> Engine::TakePushedJobs(std::string_view tenant, int max_jobs,
                                                 std::chrono::milliseconds wait) {
  std::vector<ActivatedJob> out;
  std::unique_lock lock(push_mu_);
  auto it = pushed_.find(tenant);
  if ((it == pushed_.end() || it->second.empty()) && wait.count() > 0) {
    push_cv_.wait_for(lock, wait, [&] {
      it = pushed_.find(tenant);
      return it != pushed_.end() && !it->second.empty();
    });
  }
  if (it == pushed_.end()) return out;
  core::Timestamp now = Now();
  std::deque<ActivatedJob>& q = it->second;
  while (!q.empty() && static_cast<int>(out.size()) < max_jobs) {
    // A job whose lock ran out may be activated by another worker by now.
    if (q.front().deadline > now) out.push_back(std::move(q.front()));
    q.pop_front();
  }
  if (q.empty()) pushed_.erase(it);
  return out;
}

// --- Deployments ---------------------------------------------------------------

std::atomic<uint64_t> Engine::definitions_generation_{1};

core::Result<Deployment> Engine::Deploy(std::string_view tenant_view, const std::vector<Resource>& resources) {
  std::string tenant(tenant_view);
  // One command of its own; the steps are DeployInTx's (deploy_in_tx.cc).
  AW_ASSIGN_OR_RETURN(Deployment deployment,
                      db_.writer().Write([&](Tx& tx) { return DeployInTx(tx, tenant, resources); }));
  // Warm the cache, so that the first start of a new version does not parse.
  AW_TRY(db_.Read([&](Tx& tx) -> core::Status {
    for (const DeployedDefinition& def : deployment.definitions) {
      if (def.kind != "process" || !def.is_new) continue;
      AW_ASSIGN_OR_RETURN(auto compiled, Process(tx, tenant, def.definition_key));
      (void)compiled;
    }
    return core::OkStatus();
  }));
  return deployment;
}

core::Result<std::shared_ptr<const CompiledProcess>> Engine::Process(Tx& tx, std::string_view tenant,
                                                                     std::string_view definition_key) {
  std::string cache_key = fmt::format("{}/{}", tenant, definition_key);
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(cache_key);
    if (it != cache_.end()) return it->second;
  }
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(
      "SELECT d.definition_id, d.version, r.content FROM engine_definitions d JOIN engine_resources r "
      "ON r.tenant_id = d.tenant_id AND r.deployment_id = d.deployment_id AND r.name = d.resource_name "
      "WHERE d.tenant_id = $1 AND d.definition_key = $2 AND d.kind = 'process'",
      {tenant, definition_key}));
  if (!row) return core::NotFound(fmt::format("no process definition {}", definition_key));
  AW_ASSIGN_OR_RETURN(auto defs, bpmn::ImportBpmn(row->Text(2)));
  bpmn::Index index = defs->FindProcess(row->Text(0));
  if (index == bpmn::kNoIndex) return core::Internal("deployed resource lacks process " + row->Text(0));
  AW_ASSIGN_OR_RETURN(auto cp, CompiledProcess::Compile(defs, static_cast<size_t>(index), std::string(definition_key),
                                                        static_cast<int>(row->Int(1))));
  std::lock_guard lock(mu_);
  cache_.emplace(cache_key, cp);
  return cp;
}

// --- Instances -----------------------------------------------------------------

core::Result<std::shared_ptr<const CompiledProcess>> Engine::FindProcess(Tx& tx, const std::string& tenant,
                                                                         const std::string& process_id,
                                                                         std::optional<int> version) {
  // The latest version from memory when the store can tell that nothing
  // changed behind the cache (engine.h, latest_).
  uint64_t epoch = 0;
  bool use_latest = false;
  if (!version) {
    if (std::optional<uint64_t> e = tx.CacheEpoch()) {
      epoch = *e;
      use_latest = true;
    }
  }
  const uint64_t generation = definitions_generation_.load();
  std::string latest_key;
  if (use_latest) {
    latest_key.reserve(tenant.size() + 1 + process_id.size());
    latest_key.append(tenant).append(1, '\n').append(process_id);
    std::lock_guard lock(mu_);
    auto it = latest_.find(latest_key);
    if (it != latest_.end() && it->second.epoch == epoch && it->second.generation == generation) {
      return it->second.process;
    }
  }
  std::optional<Row> def;
  if (version) {
    AW_ASSIGN_OR_RETURN(def, tx.QueryOne("SELECT definition_key FROM engine_definitions WHERE tenant_id = $1 AND "
                                         "kind = 'process' AND definition_id = $2 AND version = $3",
                                         {tenant, process_id, *version}));
  } else {
    AW_ASSIGN_OR_RETURN(def, tx.QueryOne("SELECT definition_key FROM engine_definitions WHERE tenant_id = $1 AND "
                                         "kind = 'process' AND definition_id = $2 ORDER BY version DESC LIMIT 1",
                                         {tenant, process_id}));
  }
  if (!def) {
    return core::NotFound(version ? fmt::format("no version {} of process '{}'", *version, process_id)
                                  : fmt::format("no process '{}' deployed", process_id));
  }
  AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, def->Text(0)));
  if (use_latest) {
    std::lock_guard lock(mu_);
    latest_[latest_key] = LatestProcess{cp, epoch, generation};
  }
  return cp;
}

core::Result<std::string> Engine::StartInTx(Tx& tx, const std::string& tenant, const std::string& process_id,
                                            const Json& variables, std::optional<int> version) {
  AW_TRY(CheckVariables(variables));
  AW_ASSIGN_OR_RETURN(auto cp, FindProcess(tx, tenant, process_id, version));
  std::string instance_id = core::NewId();
  auto state = InstanceState::Create(tenant, instance_id, *cp, Now());
  BpmnProcessor proc(tx, *state, *cp, this);
  AW_TRY(proc.Start(variables));
  AW_TRY(Finish(tx, *state, proc));
  return instance_id;
}

core::Status Engine::Finish(Tx& tx, InstanceState& st, const BpmnProcessor& proc) {
  AW_TRY(st.Flush(tx));
  AW_TRY(BroadcastThrown(tx, st.tenant(), proc.thrown_signals()));
  if (!st.active() && st.parent_instance_id().empty()) AW_TRY(ReleaseStartKey(tx, st));
  if (st.parent_instance_id().empty()) return core::OkStatus();
  if (!proc.instance_completed() && !proc.escalated() && proc.uncaught_escalations().empty()) return core::OkStatus();
  // The parent is loaded only now, after the child is written, so each
  // instance row is written once per step and never from a stale copy.
  AW_ASSIGN_OR_RETURN(auto parent, InstanceState::Load(tx, st.tenant(), st.parent_instance_id()));
  if (!parent->active()) return core::OkStatus();
  parent->set_now(st.now());
  AW_ASSIGN_OR_RETURN(auto cp, Process(tx, st.tenant(), parent->definition_key()));
  BpmnProcessor pp(tx, *parent, *cp, this);
  for (const std::string& code : proc.uncaught_escalations()) AW_TRY(pp.ChildEscalated(st.parent_element_key(), code));
  if (proc.instance_completed()) {
    AW_TRY(pp.ChildCompleted(st.parent_element_key(), st.LocalVariables(0)));
  } else {
    AW_TRY(pp.ChildFailed(st.parent_element_key(), *proc.escalated()));
  }
  return Finish(tx, *parent, pp);
}

core::Result<ChildOutcome> Engine::StartChild(Tx& tx, const InstanceState& parent, int64_t parent_key,
                                              const std::string& process_id, const Json& vars) {
  // A process that calls itself would otherwise recurse until the stack ends.
  constexpr int kMaxCallDepth = 32;
  if (call_depth_ >= kMaxCallDepth) {
    return core::FailedPrecondition(fmt::format("call activities nest deeper than {} levels", kMaxCallDepth));
  }
  AW_ASSIGN_OR_RETURN(auto cp, FindProcess(tx, parent.tenant(), process_id, std::nullopt));
  ChildOutcome out;
  out.instance_id = core::NewId();
  auto st = InstanceState::Create(parent.tenant(), out.instance_id, *cp, parent.now());
  st->SetParent(parent.instance_id(), parent_key);
  BpmnProcessor proc(tx, *st, *cp, this);
  ++call_depth_;
  core::Status started = proc.Start(vars);
  --call_depth_;
  AW_TRY(started);
  // The caller is in memory, so the outcome goes back to it directly rather than through Finish.
  if (proc.instance_completed()) {
    out.kind = ChildOutcome::Kind::kCompleted;
    out.variables = st->LocalVariables(0);
  } else if (proc.escalated()) {
    out.kind = ChildOutcome::Kind::kError;
    out.error_code = proc.escalated()->code;
    out.error_message = proc.escalated()->message;
    out.variables = proc.escalated()->variables;
  }
  out.signals = proc.thrown_signals();
  out.escalations = proc.uncaught_escalations();
  AW_TRY(st->Flush(tx));
  return out;
}

core::Status Engine::CancelChild(Tx& tx, const std::string& tenant, const std::string& instance_id) {
  AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, instance_id));
  if (!st->active()) return core::OkStatus();
  st->set_now(Now());
  AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
  BpmnProcessor proc(tx, *st, *cp, this);
  AW_TRY(proc.Cancel());
  return st->Flush(tx);
}

core::Result<std::string> Engine::StartInstance(std::string_view tenant, std::string_view process_id,
                                                const Json& variables, std::optional<int> version) {
  std::string t(tenant), p(process_id);
  PushedJobs pushed;
  auto id = db_.writer().Write(
      [&](Tx& tx) { return WithPushes(pushed, [&] { return StartInTx(tx, t, p, variables, version); }); });
  if (id.ok()) QueuePushed(pushed);
  return id;
}

void Engine::StartInstanceAsync(std::string tenant, std::string process_id, Json variables,
                                std::function<void(core::Result<std::string>)> done) {
  StartInstanceAsync(std::move(tenant), std::move(process_id), std::move(variables), std::nullopt, std::move(done));
}

core::Status Engine::SetVariables(std::string_view tenant, std::string_view instance_id, const Json& variables) {
  AW_TRY(CheckVariables(variables));
  std::string t(tenant), id(instance_id);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, t, id));
    if (!st->active()) return core::FailedPrecondition("process instance " + id + " is not active");
    st->set_now(Now());
    for (const auto& [name, value] : variables.items()) st->ApplyVariableSet(0, name, value);
    st->Record("variables_set", "", 0, Json{{"names", [&] {
                 Json names = Json::array();
                 for (const auto& [name, value] : variables.items()) names.push_back(name);
                 return names;
               }()}});
    return st->Flush(tx);
  });
}

core::Status Engine::CancelInstance(std::string_view tenant, std::string_view instance_id) {
  std::string t(tenant), id(instance_id);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, t, id));
    if (st->active() && !st->parent_instance_id().empty()) {
      return core::FailedPrecondition(fmt::format("process instance {} was started by a call activity of {}; "
                                                  "cancel that instance", id, st->parent_instance_id()));
    }
    st->set_now(Now());
    AW_ASSIGN_OR_RETURN(auto cp, Process(tx, t, st->definition_key()));
    BpmnProcessor proc(tx, *st, *cp, this);
    AW_TRY(proc.Cancel());
    AW_TRY(st->Flush(tx));
    return ReleaseStartKey(tx, *st);
  });
}

// --- Jobs ----------------------------------------------------------------------

core::Result<std::vector<ActivatedJob>> Engine::ActivateJobs(std::string_view tenant_view, std::string_view type_view,
                                                             std::string_view worker_view, int max_jobs,
                                                             std::chrono::milliseconds lock_timeout) {
  if (max_jobs <= 0) return core::InvalidArgument("max_jobs must be positive");
  std::string tenant(tenant_view), type(type_view), worker(worker_view);
  return db_.writer().Write([&](Tx& tx) -> core::Result<std::vector<ActivatedJob>> {
    core::Timestamp now = Now();
    core::Timestamp deadline = now + std::chrono::duration_cast<std::chrono::microseconds>(lock_timeout);
    // available_at is when a job may be taken: at creation, after a retry
    // back-off, or when the lock of the worker that took it runs out.
    std::string_view sql = IsPg(tx)
        ? "UPDATE engine_jobs SET state = 'activated', worker = $3, available_at = $4 WHERE (tenant_id, job_id) IN "
          "(SELECT tenant_id, job_id FROM engine_jobs WHERE tenant_id = $1 AND type = $2 AND state <> 'failed' "
          "AND available_at <= $5 ORDER BY available_at LIMIT $6 FOR UPDATE SKIP LOCKED) "
          "RETURNING job_id, instance_id, element_key, element_id, retries, headers, scope_chain"
        : "UPDATE engine_jobs SET state = 'activated', worker = $3, available_at = $4 WHERE (tenant_id, job_id) IN "
          "(SELECT tenant_id, job_id FROM engine_jobs WHERE tenant_id = $1 AND type = $2 AND state <> 'failed' "
          "AND available_at <= $5 ORDER BY available_at LIMIT $6) "
          "RETURNING job_id, instance_id, element_key, element_id, retries, headers, scope_chain";
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {tenant, type, worker, core::ToUnixMillis(deadline),
                                                  core::ToUnixMillis(now), max_jobs}));
    std::vector<ActivatedJob> jobs;
    std::map<std::string, std::map<int64_t, Json>> vars_by_instance;
    for (const Row& r : rows) {
      ActivatedJob j;
      j.job_id = r.Text(0);
      j.type = type;
      j.instance_id = r.Text(1);
      j.element_key = r.Int(2);
      j.element_id = r.Text(3);
      j.retries = r.Int(4);
      j.deadline = core::FromUnixMillis(core::ToUnixMillis(deadline));
      AW_ASSIGN_OR_RETURN(j.headers, ParseStoredJson(r.Text(5)));
      AW_ASSIGN_OR_RETURN(Json chain, ParseStoredJson(r.Text(6)));
      auto it = vars_by_instance.find(j.instance_id);
      if (it == vars_by_instance.end()) {
        // Scope 0 is the instance row's own column (migration 0005).
        AW_ASSIGN_OR_RETURN(auto vrows, tx.Query("SELECT scope_key, vars FROM engine_variables "
                                                 "WHERE tenant_id = $1 AND instance_id = $2 "
                                                 "UNION ALL SELECT 0, vars FROM engine_instances "
                                                 "WHERE tenant_id = $1 AND instance_id = $2",
                                                 {tenant, j.instance_id}));
        std::map<int64_t, Json> scopes;
        for (const Row& v : vrows) {
          AW_ASSIGN_OR_RETURN(scopes[v.Int(0)], ParseStoredJson(v.Text(1)));
        }
        it = vars_by_instance.emplace(j.instance_id, std::move(scopes)).first;
      }
      j.variables = Json::object();
      for (auto c = chain.rbegin(); c != chain.rend(); ++c) {
        auto s = it->second.find(c->get<int64_t>());
        if (s == it->second.end()) continue;
        for (const auto& [name, value] : s->second.items()) j.variables[name] = value;
      }
      jobs.push_back(std::move(j));
    }
    return jobs;
  });
}

core::Status Engine::CompleteJobInTx(Tx& tx, const std::string& tenant, const std::string& job_id,
                                     const Json& variables) {
  AW_TRY(CheckVariables(variables));
  JobRow job;
  std::unique_ptr<InstanceState> st;
  if (tx.dialect() == store::Dialect::kSqlite) {
    // Job and instance row in one statement (PostgreSQL: two, the instance
    // FOR UPDATE, as Load does). Errors in LoadJob's order.
    static const std::string kJobWithInstance = fmt::format(
        "SELECT j.instance_id, j.element_key, j.element_id, j.state, j.retries, i.instance_id, {} "
        "FROM engine_jobs j LEFT JOIN engine_instances i ON i.tenant_id = $1 AND i.instance_id = j.instance_id "
        "WHERE j.tenant_id = $1 AND j.job_id = $2",
        InstanceState::kInstanceColumns);
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kJobWithInstance, {tenant, job_id}));
    if (!row) return core::NotFound("no job " + job_id);
    job = JobRow{row->Text(0), row->Int(1), row->Text(2), row->Text(3), row->Int(4)};
    if (job.state != "activated") {
      return core::FailedPrecondition(fmt::format("job {} is {}, not activated", job_id, job.state));
    }
    if (row->IsNull(5)) return core::NotFound("no process instance " + job.instance_id);
    AW_ASSIGN_OR_RETURN(st, InstanceState::LoadFromRow(tx, tenant, job.instance_id, *row, 6));
  } else {
    AW_ASSIGN_OR_RETURN(job, LoadJob(tx, tenant, job_id, true));
    AW_ASSIGN_OR_RETURN(st, InstanceState::Load(tx, tenant, job.instance_id));
  }
  st->set_now(Now());
  AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
  st->Record("job_completed", job.element_id, job.element_key, Json{{"jobId", job_id}});
  BpmnProcessor proc(tx, *st, *cp, this);
  AW_TRY(proc.CompleteWaitingTask(job.element_key, variables));
  return Finish(tx, *st, proc);
}

core::Status Engine::CompleteJob(std::string_view tenant, std::string_view job_id, const Json& variables) {
  return CompleteJobWith(tenant, job_id, variables, nullptr);
}

void Engine::CompleteJobAsync(std::string tenant, std::string job_id, Json variables,
                              std::function<void(core::Status)> done) {
  CompleteJobWithAsync(std::move(tenant), std::move(job_id), std::move(variables), nullptr, std::move(done));
}

core::Status Engine::CompleteJobWith(std::string_view tenant, std::string_view job_id, const Json& variables,
                                     TxStep also) {
  std::string t(tenant), j(job_id);
  PushedJobs pushed;
  core::Status s = db_.writer().Write([&](Tx& tx) -> core::Status {
    return WithPushes(pushed, [&]() -> core::Status {
      AW_TRY(CompleteJobInTx(tx, t, j, variables));
      return also ? also(tx) : core::OkStatus();
    });
  });
  if (s.ok()) QueuePushed(pushed);
  return s;
}

void Engine::CompleteJobWithAsync(std::string tenant, std::string job_id, Json variables, TxStep also,
                                  std::function<void(core::Status)> done) {
  auto pushed = std::make_shared<PushedJobs>();
  db_.writer().Submit(
      [this, tenant = std::move(tenant), job_id = std::move(job_id), variables = std::move(variables),
       also = std::move(also), pushed](Tx& tx) -> core::Status {
        return WithPushes(*pushed, [&]() -> core::Status {
          AW_TRY(CompleteJobInTx(tx, tenant, job_id, variables));
          return also ? also(tx) : core::OkStatus();
        });
      },
      [this, pushed, done = std::move(done)](core::Status s) {
        if (s.ok()) QueuePushed(*pushed);
        done(std::move(s));
      });
}

core::Status Engine::FailJob(std::string_view tenant_view, std::string_view job_view, int retries,
                             std::string_view message_view, std::chrono::milliseconds backoff) {
  if (retries < 0) return core::InvalidArgument("retries must not be negative");
  std::string tenant(tenant_view), job_id(job_view), message(message_view);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(JobRow job, LoadJob(tx, tenant, job_id, true));
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, job.instance_id));
    core::Timestamp now = Now();
    st->set_now(now);
    st->Record("job_failed", job.element_id, job.element_key,
               Json{{"jobId", job_id}, {"retries", retries}, {"message", message}, {"backoffMs", backoff.count()}});
    if (retries > 0) {
      int64_t available = core::ToUnixMillis(now) + backoff.count();
      AW_TRY(tx.Exec("UPDATE engine_jobs SET state = 'activatable', retries = $3, available_at = $4, worker = NULL, "
                     "error_message = $5 WHERE tenant_id = $1 AND job_id = $2",
                     {tenant, job_id, retries, available, message}));
    } else {
      AW_TRY(tx.Exec("UPDATE engine_jobs SET state = 'failed', retries = 0, worker = NULL, error_message = $3 "
                     "WHERE tenant_id = $1 AND job_id = $2",
                     {tenant, job_id, message}));
      std::string incident_id = core::NewId();
      std::string text = message.empty() ? "job failed and has no retries left" : message;
      AW_TRY(tx.Exec("INSERT INTO engine_incidents (tenant_id, incident_id, instance_id, element_key, element_id, kind, "
                     "message, job_id, created_at) VALUES ($1, $2, $3, $4, $5, 'job_no_retries', $6, $7, $8)",
                     {tenant, incident_id, job.instance_id, job.element_key, job.element_id, text, job_id,
                      core::ToUnixMillis(now)}));
      st->Record("incident_raised", job.element_id, job.element_key,
                 Json{{"incidentId", incident_id}, {"kind", "job_no_retries"}, {"message", text}, {"jobId", job_id}});
    }
    return st->Flush(tx);
  });
}

core::Status Engine::ThrowJobError(std::string_view tenant_view, std::string_view job_view, std::string_view code,
                                   std::string_view message, const Json& variables) {
  AW_TRY(CheckVariables(variables));
  std::string tenant(tenant_view), job_id(job_view);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(JobRow job, LoadJob(tx, tenant, job_id, true));
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, job.instance_id));
    st->set_now(Now());
    AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
    BpmnProcessor proc(tx, *st, *cp, this);
    AW_TRY(proc.ThrowError(job.element_key, std::string(code), std::string(message), variables));
    return Finish(tx, *st, proc);
  });
}

core::Status Engine::UpdateJobRetries(std::string_view tenant, std::string_view job_id, int retries) {
  if (retries < 0) return core::InvalidArgument("retries must not be negative");
  std::string t(tenant), j(job_id);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE engine_jobs SET retries = $3 WHERE tenant_id = $1 AND job_id = $2",
                                           {t, j, retries}));
    if (n == 0) return core::NotFound("no job " + j);
    return core::OkStatus();
  });
}

void Engine::RegisterWorker(std::string type, JobHandler handler, std::chrono::milliseconds push_lock_timeout) {
  std::lock_guard lock(mu_);
  push_locks_[type] = push_lock_timeout;
  workers_[std::move(type)] = std::move(handler);
}

core::Result<int> Engine::RunWorkers(std::string_view tenant, int max_jobs, std::chrono::milliseconds lock_timeout) {
  std::vector<std::pair<std::string, JobHandler>> workers;
  {
    std::lock_guard lock(mu_);
    for (const auto& [type, handler] : workers_) workers.emplace_back(type, handler);
  }
  int handled = 0;
  // Jobs pushed to these workers first (created activated), then those to activate.
  std::vector<ActivatedJob> pushed = TakePushedJobs(tenant, std::max(max_jobs, 1) * static_cast<int>(workers.size()),
                                                    std::chrono::milliseconds(0));
  for (const auto& [type, handler] : workers) {
    std::vector<ActivatedJob> jobs;
    for (ActivatedJob& j : pushed) {
      if (j.type == type) jobs.push_back(std::move(j));
    }
    AW_ASSIGN_OR_RETURN(auto activated, ActivateJobs(tenant, type, "in-process", max_jobs, lock_timeout));
    for (ActivatedJob& j : activated) jobs.push_back(std::move(j));
    // Completions go to the writer together, so they share one group commit.
    std::vector<std::future<core::Status>> pending;
    for (const ActivatedJob& job : jobs) {
      JobResult r = handler(job);
      std::string t(tenant);
      switch (r.kind) {
        case JobResult::Kind::kComplete: {
          auto promise = std::make_shared<std::promise<core::Status>>();
          pending.push_back(promise->get_future());
          CompleteJobAsync(t, job.job_id, std::move(r.variables),
                           [promise](core::Status s) { promise->set_value(std::move(s)); });
          break;
        }
        case JobResult::Kind::kFail:
          AW_TRY(FailJob(tenant, job.job_id, static_cast<int>(std::max<int64_t>(job.retries - 1, 0)), r.message,
                         r.retry_backoff));
          break;
        case JobResult::Kind::kError:
          AW_TRY(ThrowJobError(tenant, job.job_id, r.error_code, r.message, r.variables));
          break;
      }
      ++handled;
    }
    for (auto& f : pending) AW_TRY(f.get());
  }
  return handled;
}

// --- User tasks ----------------------------------------------------------------

core::Status Engine::ClaimUserTask(std::string_view tenant_view, std::string_view task_view,
                                   std::string_view assignee_view) {
  std::string tenant(tenant_view), task_id(task_view), assignee(assignee_view);
  if (assignee.empty()) return core::InvalidArgument("assignee must not be empty");
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id, element_key, element_id, assignee FROM "
                                              "engine_user_tasks WHERE tenant_id = $1 AND task_id = $2",
                                              {tenant, task_id}));
    if (!row) return core::NotFound("no user task " + task_id);
    if (!row->IsNull(3) && row->Text(3) != assignee) {
      return core::FailedPrecondition(fmt::format("user task {} is assigned to {}", task_id, row->Text(3)));
    }
    AW_TRY(tx.Exec("UPDATE engine_user_tasks SET assignee = $3 WHERE tenant_id = $1 AND task_id = $2",
                   {tenant, task_id, assignee}));
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, row->Text(0)));
    st->set_now(Now());
    st->Record("user_task_assigned", row->Text(2), row->Int(1), Json{{"taskId", task_id}, {"assignee", assignee}});
    return st->Flush(tx);
  });
}

core::Status Engine::UnclaimUserTask(std::string_view tenant_view, std::string_view task_view) {
  std::string tenant(tenant_view), task_id(task_view);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id, element_key, element_id FROM engine_user_tasks "
                                              "WHERE tenant_id = $1 AND task_id = $2",
                                              {tenant, task_id}));
    if (!row) return core::NotFound("no user task " + task_id);
    AW_TRY(tx.Exec("UPDATE engine_user_tasks SET assignee = NULL WHERE tenant_id = $1 AND task_id = $2",
                   {tenant, task_id}));
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, row->Text(0)));
    st->set_now(Now());
    st->Record("user_task_unassigned", row->Text(2), row->Int(1), Json{{"taskId", task_id}});
    return st->Flush(tx);
  });
}

core::Status Engine::CompleteUserTask(std::string_view tenant_view, std::string_view task_view, const Json& variables) {
  AW_TRY(CheckVariables(variables));
  std::string tenant(tenant_view), task_id(task_view);
  PushedJobs pushed;
  core::Status s = db_.writer().Write(
      [&](Tx& tx) { return WithPushes(pushed, [&] { return CompleteUserTaskInTx(tx, tenant, task_id, variables); }); });
  if (s.ok()) QueuePushed(pushed);
  return s;
}

core::Status Engine::CompleteUserTaskInTx(Tx& tx, const std::string& tenant, const std::string& task_id,
                                          const Json& variables) {
  {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id, element_key, element_id, assignee FROM "
                                              "engine_user_tasks WHERE tenant_id = $1 AND task_id = $2",
                                              {tenant, task_id}));
    if (!row) return core::NotFound("no user task " + task_id);
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, row->Text(0)));
    st->set_now(Now());
    AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
    st->Record("user_task_completed", row->Text(2), row->Int(1),
               Json{{"taskId", task_id}, {"assignee", row->IsNull(3) ? Json(nullptr) : Json(row->Text(3))}});
    BpmnProcessor proc(tx, *st, *cp, this);
    AW_TRY(proc.CompleteWaitingTask(row->Int(1), variables));
    return Finish(tx, *st, proc);
  }
}

// --- Messages and timers -------------------------------------------------------

core::Result<PublishResult> Engine::PublishMessage(std::string_view tenant_view, std::string_view name_view,
                                                   std::string_view key_view, const Json& variables,
                                                   std::chrono::milliseconds ttl) {
  AW_TRY(CheckVariables(variables));
  std::string tenant(tenant_view), name(name_view), key(key_view);
  if (name.empty()) return core::InvalidArgument("message name must not be empty");
  return db_.writer().Write([&](Tx& tx) { return PublishInTx(tx, tenant, name, key, variables, ttl); });
}

core::Result<PublishResult> Engine::PublishInTx(Tx& tx, const std::string& tenant, const std::string& name,
                                                const std::string& key, const Json& variables,
                                                std::chrono::milliseconds ttl) {
  {
    core::Timestamp now = Now();
    PublishResult result;
    result.message_id = core::NewId();
    AW_ASSIGN_OR_RETURN(auto subs, tx.Query("SELECT subscription_id, instance_id, element_key, element_index "
                                            "FROM engine_subscriptions WHERE tenant_id = $1 AND kind = 'message' "
                                            "AND name = $2 AND correlation_key = $3 ORDER BY subscription_id",
                                            {tenant, name, key}));
    std::set<std::string> instances;  // a message reaches an instance once
    for (const Row& sub : subs) {
      std::string instance_id = sub.Text(1);
      if (!instances.insert(instance_id).second) continue;
      AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, instance_id));
      st->set_now(now);
      AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
      auto node = static_cast<bpmn::Index>(sub.Int(3));
      st->Record("message_correlated", cp->node(node).id, sub.Int(2),
                 Json{{"messageId", result.message_id}, {"name", name}, {"correlationKey", key}, {"buffered", false}});
      BpmnProcessor proc(tx, *st, *cp, this);
      AW_TRY(proc.TriggerEvent(sub.Int(2), node, variables));
      AW_TRY(Finish(tx, *st, proc));
      result.correlated++;
    }
    AW_ASSIGN_OR_RETURN(auto starts, tx.Query("SELECT definition_key, element_index FROM engine_subscriptions "
                                              "WHERE tenant_id = $1 AND kind = 'message_start' AND name = $2 "
                                              "AND correlation_key = '' ORDER BY subscription_id",
                                              {tenant, name}));
    for (const Row& sub : starts) {
      AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, sub.Text(0)));
      std::optional<std::string> started;
      AW_TRY(StartByMessage(tx, tenant, *cp, static_cast<bpmn::Index>(sub.Int(1)), name, key, variables,
                            result.message_id, false, &started));
      if (started) result.started_instances.push_back(*started);
    }
    if (result.correlated == 0 && result.started_instances.empty() && ttl.count() > 0) {
      AW_TRY(tx.Exec("INSERT INTO engine_messages (tenant_id, message_id, name, correlation_key, variables, "
                     "published_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                     {tenant, result.message_id, name, key, core::DumpJson(variables), core::ToUnixMillis(now),
                      core::ToUnixMillis(now) + ttl.count()}));
      result.buffered = true;
    }
    return result;
  }
}

core::Result<int> Engine::FireDueTimers(int max_timers) {
  core::Timestamp now = Now();
  AW_ASSIGN_OR_RETURN(auto due, db_.Read([&](Tx& tx) -> core::Result<std::vector<std::pair<std::string, std::string>>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT tenant_id, timer_id FROM engine_timers WHERE due_at <= $1 "
                                            "ORDER BY due_at LIMIT $2",
                                            {core::ToUnixMillis(now), max_timers}));
    std::vector<std::pair<std::string, std::string>> out;
    for (const Row& r : rows) out.emplace_back(r.Text(0), r.Text(1));
    return out;
  }));
  // One command per timer: a timer whose model raises an incident does not
  // hold back the others, and the batch still shares one commit.
  std::vector<std::future<core::Status>> pending;
  // One flag per command, set by its last run (the writer may run a command twice).
  std::vector<std::shared_ptr<bool>> fired_flags;
  for (auto& [tenant, timer_id] : due) {
    auto fired = fired_flags.emplace_back(std::make_shared<bool>(false));
    pending.push_back(db_.writer().Submit([this, tenant, timer_id, now, fired](Tx& tx) -> core::Status {
      *fired = false;
      std::string_view sql = IsPg(tx)
          ? "SELECT instance_id, element_key, element_index, repetitions, cycle, due_at FROM engine_timers "
            "WHERE tenant_id = $1 AND timer_id = $2 FOR UPDATE SKIP LOCKED"
          : "SELECT instance_id, element_key, element_index, repetitions, cycle, due_at FROM engine_timers "
            "WHERE tenant_id = $1 AND timer_id = $2";
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {tenant, timer_id}));
      if (!row) return core::OkStatus();  // fired by another command or node, or its element left
      if (row->Int(5) > core::ToUnixMillis(now)) return core::OkStatus();
      if (row->Text(0).empty()) {  // a timer start event
        AW_TRY(FireStartTimer(tx, tenant, timer_id, *row, now));
        *fired = true;
        return core::OkStatus();
      }
      AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, row->Text(0)));
      st->set_now(now);
      AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
      int64_t element_key = row->Int(1);
      auto node = static_cast<bpmn::Index>(row->Int(2));
      ElementInstance* owner = st->Element(element_key);
      // Element key 0: an event sub-process start of the process scope.
      bool live = element_key == 0 ? st->active() : owner != nullptr;
      int64_t repetitions = row->Int(3);
      bool again = live && (owner == nullptr || owner->node != node) && !cp->node(node).interrupting &&
                   repetitions != 0 && !row->Text(4).empty();
      if (again) {
        AW_ASSIGN_OR_RETURN(IsoDuration every, ParseIsoDuration(row->Text(4)));
        core::Timestamp next = AddDuration(core::FromUnixMillis(row->Int(5)), every);
        AW_TRY(tx.Exec("UPDATE engine_timers SET due_at = $3, repetitions = $4 WHERE tenant_id = $1 AND timer_id = $2",
                       {tenant, timer_id, core::ToUnixMillis(next), repetitions > 0 ? repetitions - 1 : repetitions}));
      } else {
        AW_TRY(tx.Exec("DELETE FROM engine_timers WHERE tenant_id = $1 AND timer_id = $2", {tenant, timer_id}));
      }
      if (!live) return st->Flush(tx);
      st->Record("timer_fired", cp->node(node).id, element_key, Json{{"timerId", timer_id}});
      BpmnProcessor proc(tx, *st, *cp, this);
      AW_TRY(proc.TriggerEvent(element_key, node, Json::object()));
      AW_TRY(Finish(tx, *st, proc));
      *fired = true;
      return core::OkStatus();
    }));
  }
  core::Status first = core::OkStatus();
  int fired = 0;
  for (size_t i = 0; i < pending.size(); ++i) {
    core::Status s = pending[i].get();
    if (!s.ok() && first.ok()) first = s;
    if (s.ok() && *fired_flags[i]) ++fired;
  }
  AW_TRY(first);
  // Expired buffered messages are never correlated; this only reclaims their rows.
  AW_TRY(db_.writer().Run([&](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("DELETE FROM engine_messages WHERE expires_at <= $1", {core::ToUnixMillis(now)}));
    return core::OkStatus();
  }));
  return fired;
}

// --- Incidents -------------------------------------------------------------------

core::Status Engine::ResolveIncident(std::string_view tenant_view, std::string_view incident_view) {
  std::string tenant(tenant_view), incident_id(incident_view);
  return db_.writer().Write([&](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id, element_key, element_id, job_id FROM engine_incidents "
                                              "WHERE tenant_id = $1 AND incident_id = $2",
                                              {tenant, incident_id}));
    if (!row) return core::NotFound("no incident " + incident_id);
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, row->Text(0)));
    st->set_now(Now());
    if (!row->IsNull(3)) {
      std::string job_id = row->Text(3);
      AW_ASSIGN_OR_RETURN(JobRow job, LoadJob(tx, tenant, job_id, false));
      if (job.retries <= 0) {
        return core::FailedPrecondition(fmt::format("job {} has no retries left; update its retries first", job_id));
      }
      AW_TRY(tx.Exec("UPDATE engine_jobs SET state = 'activatable', available_at = $3 WHERE tenant_id = $1 AND job_id = $2",
                     {tenant, job_id, core::ToUnixMillis(Now())}));
      AW_TRY(tx.Exec("DELETE FROM engine_incidents WHERE tenant_id = $1 AND incident_id = $2", {tenant, incident_id}));
      st->Record("incident_resolved", row->Text(2), row->Int(1), Json{{"incidentId", incident_id}});
      return st->Flush(tx);
    }
    AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
    BpmnProcessor proc(tx, *st, *cp, this);
    AW_TRY(proc.RetryFailedElement(row->Int(1)));
    return Finish(tx, *st, proc);
  });
}

// --- Reads -----------------------------------------------------------------------

core::Result<InstanceInfo> Engine::GetInstance(std::string_view tenant, std::string_view instance_id) {
  return db_.Read([&](Tx& tx) -> core::Result<InstanceInfo> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT process_id, version, state, vars FROM engine_instances "
                                              "WHERE tenant_id = $1 AND instance_id = $2",
                                              {tenant, instance_id}));
    if (!row) return core::NotFound(fmt::format("no process instance {}", instance_id));
    InstanceInfo info;
    info.instance_id = std::string(instance_id);
    info.process_id = row->Text(0);
    info.version = static_cast<int>(row->Int(1));
    info.state = row->Text(2);
    AW_ASSIGN_OR_RETURN(info.variables, ParseStoredJson(row->Text(3)));
    AW_ASSIGN_OR_RETURN(auto elements, tx.Query("SELECT element_id FROM engine_elements WHERE tenant_id = $1 AND "
                                                "instance_id = $2 ORDER BY element_key",
                                                {tenant, instance_id}));
    for (const Row& e : elements) info.active_elements.push_back(e.Text(0));
    return info;
  });
}

core::Result<std::vector<UserTask>> Engine::ListUserTasks(std::string_view tenant, std::string_view instance_id) {
  return db_.Read([&](Tx& tx) -> core::Result<std::vector<UserTask>> {
    std::string cols(kUserTaskCols);
    std::vector<Row> rows;
    if (instance_id.empty()) {
      AW_ASSIGN_OR_RETURN(rows, tx.Query(cols + "WHERE tenant_id = $1 ORDER BY task_id", {tenant}));
    } else {
      AW_ASSIGN_OR_RETURN(rows, tx.Query(cols + "WHERE tenant_id = $1 AND instance_id = $2 ORDER BY task_id",
                                         {tenant, instance_id}));
    }
    std::vector<UserTask> out;
    for (const Row& r : rows) {
      AW_ASSIGN_OR_RETURN(UserTask t, UserTaskFromRow(r));
      out.push_back(std::move(t));
    }
    return out;
  });
}

core::Result<std::vector<Incident>> Engine::ListIncidents(std::string_view tenant, std::string_view instance_id) {
  return db_.Read([&](Tx& tx) -> core::Result<std::vector<Incident>> {
    std::string_view cols = "SELECT incident_id, instance_id, element_id, kind, message, job_id FROM engine_incidents ";
    std::vector<Row> rows;
    if (instance_id.empty()) {
      AW_ASSIGN_OR_RETURN(rows, tx.Query(std::string(cols) + "WHERE tenant_id = $1 ORDER BY incident_id", {tenant}));
    } else {
      AW_ASSIGN_OR_RETURN(rows, tx.Query(std::string(cols) + "WHERE tenant_id = $1 AND instance_id = $2 ORDER BY incident_id",
                                         {tenant, instance_id}));
    }
    std::vector<Incident> out;
    for (const Row& r : rows) {
      Incident i{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), std::nullopt};
      if (!r.IsNull(5)) i.job_id = r.Text(5);
      out.push_back(std::move(i));
    }
    return out;
  });
}

core::Result<std::vector<HistoryEvent>> Engine::History(std::string_view tenant, std::string_view instance_id) {
  return db_.Read([&](Tx& tx) -> core::Result<std::vector<HistoryEvent>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, at, events FROM engine_history "
                                            "WHERE tenant_id = $1 AND instance_id = $2 ORDER BY seq",
                                            {tenant, instance_id}));
    // One row per command, its events in order (store/history_batch.h).
    std::vector<HistoryEvent> out;
    for (const Row& r : rows) {
      int64_t seq = r.Int(0);
      const core::Timestamp at = core::FromUnixMillis(r.Int(1));
      AW_TRY(store::ForEachHistoryEvent(r.Text(2), [&](const store::HistoryEventView& e) -> core::Status {
        HistoryEvent h;
        h.seq = seq++;
        h.at = at;
        h.event = e.event;
        h.element_id = e.element_id;
        h.element_key = e.element_key;
        if (!e.data.empty()) {
          AW_ASSIGN_OR_RETURN(h.data, ParseStoredJson(e.data));
        }
        out.push_back(std::move(h));
        return core::OkStatus();
      }));
    }
    return out;
  });
}

// --- REST API reads and asynchronous commands -------------------------------------

namespace {

DefinitionInfo DefinitionFromRow(const Row& r) {
  DefinitionInfo d;
  d.kind = r.Text(0);
  d.id = r.Text(1);
  d.version = static_cast<int>(r.Int(2));
  d.definition_key = r.Text(3);
  d.deployment_id = r.Text(4);
  d.resource_name = r.Text(5);
  d.created = core::FromUnixMillis(r.Int(6));
  return d;
}

constexpr std::string_view kDefinitionCols =
    "SELECT kind, definition_id, version, definition_key, deployment_id, resource_name, created_at "
    "FROM engine_definitions ";

core::Status CheckLimit(int limit) {
  if (limit < 1 || limit > 1000) return core::InvalidArgument("limit must be between 1 and 1000");
  return core::OkStatus();
}


// Rows were fetched with limit + 1: the extra row only says a next page exists.
template <class T, class IdOf>
std::string TrimPage(std::vector<T>& items, int limit, IdOf id_of) {
  if (static_cast<int>(items.size()) <= limit) return "";
  items.resize(static_cast<size_t>(limit));
  return id_of(items.back());
}

}  // namespace

core::Result<std::vector<DefinitionInfo>> Engine::ListDefinitions(std::string_view tenant,
                                                                  const DefinitionFilter& filter) {
  return db_.Read([&](Tx& tx) -> core::Result<std::vector<DefinitionInfo>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kDefinitionCols) +
                                                "WHERE tenant_id = $1 AND ($2 = '' OR kind = $2) AND ($3 = '' OR definition_id = $3) "
                                                "ORDER BY kind, definition_id, version",
                                            {tenant, filter.kind, filter.id}));
    std::vector<DefinitionInfo> out;
    for (const Row& r : rows) {
      DefinitionInfo d = DefinitionFromRow(r);
      // Rows come ordered by id and version: a later row of the same id replaces the earlier one.
      if (filter.latest_only && !out.empty() && out.back().id == d.id && out.back().kind == d.kind) {
        out.back() = std::move(d);
      } else {
        out.push_back(std::move(d));
      }
    }
    return out;
  });
}

core::Result<DefinitionInfo> Engine::GetDefinition(std::string_view tenant, std::string_view definition_key) {
  return db_.Read([&](Tx& tx) -> core::Result<DefinitionInfo> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kDefinitionCols) +
                                                  "WHERE tenant_id = $1 AND definition_key = $2",
                                              {tenant, definition_key}));
    if (!row) return core::NotFound(fmt::format("no definition {}", definition_key));
    return DefinitionFromRow(*row);
  });
}

core::Result<std::string> Engine::DefinitionResource(std::string_view tenant, std::string_view definition_key) {
  return db_.Read([&](Tx& tx) -> core::Result<std::string> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(
        "SELECT r.content FROM engine_definitions d JOIN engine_resources r "
        "ON r.tenant_id = d.tenant_id AND r.deployment_id = d.deployment_id AND r.name = d.resource_name "
        "WHERE d.tenant_id = $1 AND d.definition_key = $2",
        {tenant, definition_key}));
    if (!row) return core::NotFound(fmt::format("no definition {}", definition_key));
    return row->Text(0);
  });
}

core::Result<InstancePage> Engine::ListInstances(std::string_view tenant, const InstanceFilter& filter) {
  AW_TRY(CheckLimit(filter.limit));
  return db_.Read([&](Tx& tx) -> core::Result<InstancePage> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(
        "SELECT instance_id, process_id, version, definition_key, state, parent_instance_id, started_at, ended_at "
        "FROM engine_instances WHERE tenant_id = $1 AND instance_id > $2 AND ($3 = '' OR process_id = $3) "
        "AND ($4 = '' OR state = $4) ORDER BY instance_id LIMIT $5",
        {tenant, filter.after, filter.process_id, filter.state, filter.limit + 1}));
    InstancePage page;
    for (const Row& r : rows) {
      InstanceSummary i;
      i.instance_id = r.Text(0);
      i.process_id = r.Text(1);
      i.version = static_cast<int>(r.Int(2));
      i.definition_key = r.Text(3);
      i.state = r.Text(4);
      if (!r.IsNull(5)) i.parent_instance_id = r.Text(5);
      i.started = core::FromUnixMillis(r.Int(6));
      if (!r.IsNull(7)) i.ended = core::FromUnixMillis(r.Int(7));
      page.items.push_back(std::move(i));
    }
    page.next_after = TrimPage(page.items, filter.limit, [](const InstanceSummary& i) { return i.instance_id; });
    return page;
  });
}

core::Result<UserTaskPage> Engine::ListUserTasksPage(std::string_view tenant, const UserTaskFilter& filter) {
  AW_TRY(CheckLimit(filter.limit));
  return db_.Read([&](Tx& tx) -> core::Result<UserTaskPage> {
    std::string_view group_test = IsPg(tx)
        ? "candidate_groups::jsonb @> jsonb_build_array($4::text)"
        : "EXISTS (SELECT 1 FROM json_each(candidate_groups) WHERE value = $4)";
    std::string sql = fmt::format(
        "{}WHERE tenant_id = $1 AND task_id > $2 AND ($3 = '' OR assignee = $3) AND ($4 = '' OR {}) "
        "AND ($5 = '' OR instance_id = $5) ORDER BY task_id LIMIT $6",
        kUserTaskCols, group_test);
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {tenant, filter.after, filter.assignee, filter.candidate_group,
                                                  filter.instance_id, filter.limit + 1}));
    UserTaskPage page;
    for (const Row& r : rows) {
      AW_ASSIGN_OR_RETURN(UserTask t, UserTaskFromRow(r));
      page.items.push_back(std::move(t));
    }
    page.next_after = TrimPage(page.items, filter.limit, [](const UserTask& t) { return t.task_id; });
    return page;
  });
}

core::Result<UserTask> Engine::GetUserTask(std::string_view tenant, std::string_view task_id) {
  return db_.Read([&](Tx& tx) -> core::Result<UserTask> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kUserTaskCols) + "WHERE tenant_id = $1 AND task_id = $2",
                                              {tenant, task_id}));
    if (!row) return core::NotFound(fmt::format("no user task {}", task_id));
    return UserTaskFromRow(*row);
  });
}

core::Result<IncidentPage> Engine::ListIncidentsPage(std::string_view tenant, const IncidentFilter& filter) {
  AW_TRY(CheckLimit(filter.limit));
  return db_.Read([&](Tx& tx) -> core::Result<IncidentPage> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(
        "SELECT incident_id, instance_id, element_id, kind, message, job_id FROM engine_incidents "
        "WHERE tenant_id = $1 AND incident_id > $2 AND ($3 = '' OR instance_id = $3) ORDER BY incident_id LIMIT $4",
        {tenant, filter.after, filter.instance_id, filter.limit + 1}));
    IncidentPage page;
    for (const Row& r : rows) {
      Incident i{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), std::nullopt};
      if (!r.IsNull(5)) i.job_id = r.Text(5);
      page.items.push_back(std::move(i));
    }
    page.next_after = TrimPage(page.items, filter.limit, [](const Incident& i) { return i.incident_id; });
    return page;
  });
}

core::Result<std::vector<std::string>> Engine::TenantsWithAvailableJobs(const std::vector<std::string>& types) {
  int64_t now = core::ToUnixMillis(Now());
  return db_.Read([&](Tx& tx) -> core::Result<std::vector<std::string>> {
    // Deliberately across tenants: the scheduler serves every tenant's
    // in-process workers. The tenants come from the small definitions table,
    // then one probe per tenant and type on engine_jobs_activatable
    // (tenant_id, type, available_at): no scan of the jobs table every round.
    AW_ASSIGN_OR_RETURN(auto tenant_rows, tx.Query("SELECT DISTINCT tenant_id FROM engine_definitions"));
    std::vector<std::string> out;
    for (const Row& t : tenant_rows) {
      std::string tenant = t.Text(0);
      for (const std::string& type : types) {
        AW_ASSIGN_OR_RETURN(auto hit, tx.QueryOne("SELECT 1 FROM engine_jobs WHERE tenant_id = $1 AND type = $2 "
                                                  "AND available_at <= $3 AND state <> 'failed' LIMIT 1",
                                                  {tenant, type, now}));
        if (hit) {
          out.push_back(tenant);
          break;
        }
      }
    }
    // Tenants with jobs pushed to this process's workers (activated, so not found above).
    std::lock_guard lock(push_mu_);
    for (const auto& [tenant, jobs] : pushed_) {
      if (!jobs.empty() && std::find(out.begin(), out.end(), tenant) == out.end()) out.push_back(tenant);
    }
    return out;
  });
}

std::vector<std::string> Engine::WorkerTypes() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [type, handler] : workers_) out.push_back(type);
  return out;
}

void Engine::StartInstanceAsync(std::string tenant, std::string process_id, Json variables, std::optional<int> version,
                                std::function<void(core::Result<std::string>)> done) {
  struct Out {
    std::string id;
    PushedJobs pushed;
  };
  auto out = std::make_shared<Out>();
  auto cmd = [this, tenant = std::move(tenant), process_id = std::move(process_id), variables = std::move(variables),
              version, out](Tx& tx) -> core::Status {
    return WithPushes(out->pushed, [&]() -> core::Status {
      AW_ASSIGN_OR_RETURN(out->id, StartInTx(tx, tenant, process_id, variables, version));
      return core::OkStatus();
    });
  };
  db_.writer().Submit(std::move(cmd), [this, out, done = std::move(done)](core::Status s) {
    if (s.ok()) {
      QueuePushed(out->pushed);
      done(std::move(out->id));
    } else {
      done(std::move(s).error());
    }
  });
}

void Engine::CompleteUserTaskAsync(std::string tenant, std::string task_id, Json variables,
                                   std::function<void(core::Status)> done) {
  if (auto s = CheckVariables(variables); !s.ok()) return done(std::move(s));
  auto pushed = std::make_shared<PushedJobs>();
  db_.writer().Submit(
      [this, tenant = std::move(tenant), task_id = std::move(task_id), variables = std::move(variables),
       pushed](Tx& tx) { return WithPushes(*pushed, [&] { return CompleteUserTaskInTx(tx, tenant, task_id, variables); }); },
      [this, pushed, done = std::move(done)](core::Status s) {
        if (s.ok()) QueuePushed(*pushed);
        done(std::move(s));
      });
}

void Engine::PublishMessageAsync(std::string tenant, std::string name, std::string correlation_key, Json variables,
                                 std::chrono::milliseconds ttl,
                                 std::function<void(core::Result<PublishResult>)> done) {
  if (auto s = CheckVariables(variables); !s.ok()) return done(std::move(s).error());
  if (name.empty()) return done(core::InvalidArgument("message name must not be empty"));
  auto out = std::make_shared<PublishResult>();
  auto cmd = [this, tenant = std::move(tenant), name = std::move(name), key = std::move(correlation_key),
              variables = std::move(variables), ttl, out](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(*out, PublishInTx(tx, tenant, name, key, variables, ttl));
    return core::OkStatus();
  };
  db_.writer().Submit(std::move(cmd), [out, done = std::move(done)](core::Status s) {
    if (s.ok()) {
      done(std::move(*out));
    } else {
      done(std::move(s).error());
    }
  });
}

// --- Start events ----------------------------------------------------------------

namespace {

// The definition keys of every version of process `process_id` ($1 tenant, $2 process id).
constexpr std::string_view kVersionsOf =
    "SELECT definition_key FROM engine_definitions WHERE tenant_id = $1 AND kind = 'process' AND definition_id = $2";

}  // namespace

core::Status Engine::RegisterStartEvents(Tx& tx, const std::string& tenant, const CompiledProcess& cp,
                                         core::Timestamp now) {
  // The latest version alone starts on messages and timers (as Zeebe).
  AW_TRY(tx.Exec(fmt::format("DELETE FROM engine_subscriptions WHERE tenant_id = $1 AND kind = 'message_start' "
                             "AND definition_key IN ({})", kVersionsOf),
                 {tenant, cp.process_id()}));
  AW_TRY(tx.Exec(fmt::format("DELETE FROM engine_timers WHERE tenant_id = $1 AND instance_id = '' "
                             "AND definition_key IN ({})", kVersionsOf),
                 {tenant, cp.process_id()}));
  std::set<std::string> names;
  for (bpmn::Index node : cp.event_starts()) {
    const bpmn::FlowNode& n = cp.node(node);
    const NodeInfo& info = cp.info(node);
    auto refuse = [&](const std::string& why) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         fmt::format("process '{}': {}: {}", cp.process_id(), n.id, why), {{n.id, why}});
    };
    if (info.trigger == Trigger::kMessage) {
      // Evaluated once, without variables: a start event has no instance yet.
      auto name = EvaluateText(info.message_name, Json::object());
      if (!name.ok()) return refuse("message name: " + name.error().message());
      if (!names.insert(*name).second) return refuse("two message start events wait for message '" + *name + "'");
      AW_TRY(tx.Exec("INSERT INTO engine_subscriptions (tenant_id, subscription_id, kind, name, correlation_key, "
                     "instance_id, element_key, element_index, element_id, definition_key) "
                     "VALUES ($1, $2, 'message_start', $3, '', '', 0, $4, $5, $6)",
                     {tenant, core::NewId(), *name, node, n.id, cp.definition_key()}));
      continue;
    }
    auto text = EvaluateText(info.timer, Json::object());
    if (!text.ok()) return refuse("timer: " + text.error().message());
    core::Result<TimerSchedule> sched = core::InvalidArgument("timer without a definition");
    switch (info.timer_kind) {
      case bpmn::TimerKind::kDate: sched = ParseTimerDate(*text); break;
      case bpmn::TimerKind::kDuration: sched = ParseTimerDuration(*text, now); break;
      case bpmn::TimerKind::kCycle: sched = ParseTimerCycle(*text, now); break;
      case bpmn::TimerKind::kNone: break;
    }
    if (!sched.ok()) return refuse("timer: " + sched.error().message());
    AW_TRY(tx.Exec("INSERT INTO engine_timers (tenant_id, timer_id, instance_id, element_key, element_index, element_id, "
                   "definition_key, due_at, repetitions, cycle) VALUES ($1, $2, '', 0, $3, $4, $5, $6, $7, $8)",
                   {tenant, core::NewId(), node, n.id, cp.definition_key(), core::ToUnixMillis(sched->due),
                    sched->repetitions,
                    info.timer_kind == bpmn::TimerKind::kCycle ? FormatIsoDuration(sched->interval) : std::string()}));
  }
  return core::OkStatus();
}

core::Status Engine::StartByMessage(Tx& tx, const std::string& tenant, const CompiledProcess& cp, bpmn::Index node,
                                    const std::string& name, const std::string& key, const Json& vars,
                                    const std::string& message_id, bool buffered,
                                    std::optional<std::string>* started) {
  std::string instance_id = core::NewId();
  if (!key.empty()) {
    // One active instance per process and correlation key (as Zeebe).
    AW_ASSIGN_OR_RETURN(auto holder, tx.QueryOne("SELECT k.instance_id, i.state FROM engine_message_start_keys k "
                                                 "LEFT JOIN engine_instances i ON i.tenant_id = k.tenant_id AND "
                                                 "i.instance_id = k.instance_id WHERE k.tenant_id = $1 AND "
                                                 "k.process_id = $2 AND k.correlation_key = $3",
                                                 {tenant, cp.process_id(), key}));
    if (holder && !holder->IsNull(1) && holder->Text(1) == "active") return core::OkStatus();
    if (holder) {
      AW_TRY(tx.Exec("DELETE FROM engine_message_start_keys WHERE tenant_id = $1 AND process_id = $2 AND "
                     "correlation_key = $3",
                     {tenant, cp.process_id(), key}));
    }
    // Another node may take the key at the same moment: the primary key decides.
    AW_ASSIGN_OR_RETURN(int64_t taken, tx.Exec("INSERT INTO engine_message_start_keys (tenant_id, process_id, "
                                               "correlation_key, instance_id) VALUES ($1, $2, $3, $4) "
                                               "ON CONFLICT DO NOTHING",
                                               {tenant, cp.process_id(), key, instance_id}));
    if (taken == 0) return core::OkStatus();
  }
  auto st = InstanceState::Create(tenant, instance_id, cp, Now());
  BpmnProcessor proc(tx, *st, cp, this);
  AW_TRY(proc.StartAt(node, vars,
                      Json{{"trigger", "message"}, {"elementId", cp.node(node).id}, {"messageId", message_id},
                           {"name", name}, {"correlationKey", key}, {"buffered", buffered}}));
  AW_TRY(st->Flush(tx));
  if (!key.empty() && !st->active()) {
    AW_TRY(tx.Exec("DELETE FROM engine_message_start_keys WHERE tenant_id = $1 AND process_id = $2 AND "
                   "correlation_key = $3",
                   {tenant, cp.process_id(), key}));
  }
  *started = instance_id;
  return core::OkStatus();
}

core::Status Engine::ReleaseStartKey(Tx& tx, const InstanceState& st) {
  if (st.active()) return core::OkStatus();
  AW_ASSIGN_OR_RETURN(auto cp, Process(tx, st.tenant(), st.definition_key()));
  bool message_start = false;
  for (bpmn::Index n : cp->event_starts()) message_start = message_start || cp->info(n).trigger == Trigger::kMessage;
  if (!message_start) return core::OkStatus();
  AW_ASSIGN_OR_RETURN(auto freed, tx.Query("DELETE FROM engine_message_start_keys WHERE tenant_id = $1 AND "
                                           "instance_id = $2 RETURNING process_id, correlation_key",
                                           {st.tenant(), st.instance_id()}));
  for (const Row& f : freed) {
    std::string process_id = f.Text(0), key = f.Text(1);
    // A message buffered while the key was held starts the next instance (as
    // Zeebe), now with the latest version; one that completes at once frees
    // the key again for the next buffered message.
    for (int i = 0; i < 1000; ++i) {
      auto latest = FindProcess(tx, st.tenant(), process_id, std::nullopt);
      if (!latest.ok()) break;
      std::string_view sql = IsPg(tx)
          ? "SELECT m.message_id, m.name, m.variables, s.element_index FROM engine_messages m JOIN "
            "engine_subscriptions s ON s.tenant_id = m.tenant_id AND s.kind = 'message_start' AND s.name = m.name "
            "WHERE m.tenant_id = $1 AND m.correlation_key = $2 AND m.expires_at > $3 AND s.definition_key = $4 "
            "ORDER BY m.published_at, m.message_id LIMIT 1 FOR UPDATE OF m SKIP LOCKED"
          : "SELECT m.message_id, m.name, m.variables, s.element_index FROM engine_messages m JOIN "
            "engine_subscriptions s ON s.tenant_id = m.tenant_id AND s.kind = 'message_start' AND s.name = m.name "
            "WHERE m.tenant_id = $1 AND m.correlation_key = $2 AND m.expires_at > $3 AND s.definition_key = $4 "
            "ORDER BY m.published_at, m.message_id LIMIT 1";
      AW_ASSIGN_OR_RETURN(auto msg, tx.QueryOne(sql, {st.tenant(), key, core::ToUnixMillis(st.now()),
                                                      (*latest)->definition_key()}));
      if (!msg) break;
      AW_TRY(tx.Exec("DELETE FROM engine_messages WHERE tenant_id = $1 AND message_id = $2", {st.tenant(), msg->Text(0)}));
      AW_ASSIGN_OR_RETURN(Json vars, ParseStoredJson(msg->Text(2)));
      std::optional<std::string> started;
      AW_TRY(StartByMessage(tx, st.tenant(), **latest, static_cast<bpmn::Index>(msg->Int(3)), msg->Text(1), key, vars,
                            msg->Text(0), true, &started));
      AW_ASSIGN_OR_RETURN(auto held, tx.QueryOne("SELECT instance_id FROM engine_message_start_keys WHERE "
                                                 "tenant_id = $1 AND process_id = $2 AND correlation_key = $3",
                                                 {st.tenant(), process_id, key}));
      if (held) break;
    }
  }
  return core::OkStatus();
}

core::Status Engine::FireStartTimer(Tx& tx, const std::string& tenant, const std::string& timer_id,
                                    const Row& timer, core::Timestamp now) {
  auto node = static_cast<bpmn::Index>(timer.Int(2));
  int64_t repetitions = timer.Int(3);
  std::string cycle = timer.Text(4);
  AW_ASSIGN_OR_RETURN(auto def, tx.QueryOne("SELECT definition_key FROM engine_timers WHERE tenant_id = $1 AND "
                                            "timer_id = $2",
                                            {tenant, timer_id}));
  if (!def) return core::OkStatus();
  if (!cycle.empty() && repetitions != 0) {
    // The next due time follows the previous one, so every due time fires once.
    AW_ASSIGN_OR_RETURN(IsoDuration every, ParseIsoDuration(cycle));
    core::Timestamp next = AddDuration(core::FromUnixMillis(timer.Int(5)), every);
    AW_TRY(tx.Exec("UPDATE engine_timers SET due_at = $3, repetitions = $4 WHERE tenant_id = $1 AND timer_id = $2",
                   {tenant, timer_id, core::ToUnixMillis(next), repetitions > 0 ? repetitions - 1 : repetitions}));
  } else {
    AW_TRY(tx.Exec("DELETE FROM engine_timers WHERE tenant_id = $1 AND timer_id = $2", {tenant, timer_id}));
  }
  AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, def->Text(0)));
  auto st = InstanceState::Create(tenant, core::NewId(), *cp, now);
  BpmnProcessor proc(tx, *st, *cp, this);
  AW_TRY(proc.StartAt(node, Json::object(),
                      Json{{"trigger", "timer"}, {"elementId", cp->node(node).id}, {"timerId", timer_id},
                           {"dueAt", core::FormatIso8601(core::FromUnixMillis(timer.Int(5)))}}));
  return st->Flush(tx);
}

// --- Decisions -------------------------------------------------------------------

namespace {

// Camunda 7's rule results of decision `d` from its DMN value: one object
// (output name -> value) per matched rule; a non-table decision gives one
// entry named after the decision.
Json RuleResults(const dmn::Decision* d, const Json& value) {
  Json rows = Json::array();
  if (value.is_null()) return rows;
  if (d == nullptr || !d->expression || d->expression->kind != dmn::ExpressionKind::kDecisionTable) {
    rows.push_back(Json{{d != nullptr ? d->name : std::string("result"), value}});
    return rows;
  }
  const dmn::DecisionTable& t = d->expression->table;
  std::string single = t.outputs.size() == 1 && !t.outputs[0].name.empty() ? t.outputs[0].name : d->name;
  auto row = [&](const Json& v) { return t.outputs.size() > 1 && v.is_object() ? v : Json{{single, v}}; };
  bool list = t.hit_policy == dmn::HitPolicy::kRuleOrder || t.hit_policy == dmn::HitPolicy::kOutputOrder ||
              (t.hit_policy == dmn::HitPolicy::kCollect && t.aggregation == dmn::Aggregation::kNone);
  if (list && value.is_array()) {
    for (const Json& v : value) rows.push_back(row(v));
  } else {
    rows.push_back(row(value));
  }
  return rows;
}

}  // namespace

core::Result<DecisionOutcome> Engine::EvaluateDecision(Tx& tx, const std::string& tenant,
                                                       const std::string& decision_id, const Json& vars) {
  AW_ASSIGN_OR_RETURN(auto def, tx.QueryOne("SELECT definition_key, version, deployment_id, resource_name FROM "
                                            "engine_definitions WHERE tenant_id = $1 AND kind = 'decision' AND "
                                            "definition_id = $2 ORDER BY version DESC LIMIT 1",
                                            {tenant, decision_id}));
  if (!def) return core::NotFound(fmt::format("no decision '{}' deployed", decision_id));
  DecisionOutcome out;
  out.decision_id = decision_id;
  out.version = static_cast<int>(def->Int(1));
  out.definition_key = def->Text(0);
  std::string cache_key = fmt::format("{}/{}", tenant, out.definition_key);
  std::shared_ptr<const dmn::Engine> model;
  {
    std::lock_guard lock(mu_);
    auto it = decisions_.find(cache_key);
    if (it != decisions_.end()) model = it->second;
  }
  if (!model) {
    // The other DMN files of the deployment serve the model's <import>s.
    AW_ASSIGN_OR_RETURN(auto files, tx.Query("SELECT name, content FROM engine_resources WHERE tenant_id = $1 AND "
                                             "deployment_id = $2 AND kind = 'dmn' ORDER BY name",
                                             {tenant, def->Text(2)}));
    std::string main;
    std::vector<std::string> imported;
    for (const Row& f : files) {
      if (f.Text(0) == def->Text(3)) {
        main = f.Text(1);
      } else {
        imported.push_back(f.Text(1));
      }
    }
    auto compiled = dmn::ImportDmn(main, imported);
    if (!compiled.ok()) {
      out.ok = false;
      out.failure = compiled.error().message();
      return out;
    }
    model = std::shared_ptr<const dmn::Engine>(std::move(*compiled));
    std::lock_guard lock(mu_);
    decisions_.emplace(cache_key, model);
  }
  auto inputs = feel::JsonToContext(vars, [&model](const std::string& name) { return model->InputType(name); });
  if (!inputs.ok()) {
    out.ok = false;
    out.failure = "input: " + inputs.error().message();
    return out;
  }
  dmn::EvalResult r = model->EvaluateDecisionWithVariables(decision_id, *inputs);
  std::string messages;
  for (const std::string& m : r.messages) messages += (messages.empty() ? "" : "; ") + m;
  // As the engine's FEEL: null with a warning is a failure, not a result.
  if (!r.ok || (r.value.is_null() && !r.messages.empty())) {
    out.ok = false;
    out.failure = messages.empty() ? "evaluation failed" : messages;
    return out;
  }
  out.value = feel::ValueToJson(r.value);
  const dmn::Decision* decision = nullptr;
  for (const dmn::Decision& d : model->main().decisions) {
    if (d.id == decision_id) decision = &d;
  }
  out.rule_results = RuleResults(decision, out.value);
  return out;
}

// --- For other layers' write commands -------------------------------------------

core::Result<std::string> Engine::StartInstanceInTx(Tx& tx, std::string_view tenant, std::string_view process_id,
                                                    const Json& variables, std::optional<int> version) {
  return StartInTx(tx, std::string(tenant), std::string(process_id), variables, version);
}

core::Result<Json> Engine::EvaluateDecisionInTx(Tx& tx, std::string_view tenant, std::string_view decision_id,
                                                const Json& input) {
  // The same lookup, cache and evaluation as a business rule task.
  AW_ASSIGN_OR_RETURN(DecisionOutcome out,
                      EvaluateDecision(tx, std::string(tenant), std::string(decision_id), input));
  Json messages = Json::array();
  if (!out.ok) messages.push_back(out.failure);
  return Json{{"result", out.ok ? out.value : Json()}, {"messages", std::move(messages)}};
}

}  // namespace amtsweg::engine
