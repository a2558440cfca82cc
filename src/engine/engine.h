// Engine: the BPMN runtime's C++ interface — deployments, process instances,
// jobs, user tasks, messages, timers, incidents, cancellation and history.
//
// Every mutating call is ONE command of the store's group-commit writer (in a
// shared transaction; re-runnable, see store::Writer): it reads the state it needs, runs the
// tokens to their next wait states and writes state and history. An OK answer
// means the command is durable; after a crash every instance continues from
// its last acknowledged command. Commands of concurrent callers are batched,
// so throughput grows with concurrency.
//
// Deployed models are compiled once (bpmn Definitions + FEEL closures) and
// cached by definition key; commands never parse XML or FEEL.
//
// Several processes may share one PostgreSQL database: an instance's row is
// locked while a command works on it, jobs are activated and due timers taken
// with FOR UPDATE SKIP LOCKED, and a timer fires in the command that deletes
// its row, so it fires once.
//
// Time comes from the injected core::Clock (ManualClock in tests).
//
// Thread-safety: every method is thread-safe. The database's writer must be
// started (store::Writer::Start) before mutating calls.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/bpmn_processor.h"
#include "engine/model.h"
#include "dmn/engine.h"
#include "store/database.h"

namespace amtsweg::dmn {
class Engine;
}  // namespace amtsweg::dmn

namespace amtsweg::engine {

// One file of a deployment; its kind comes from the name: *.bpmn, *.dmn, *.form.
struct Resource {
  std::string name;
  std::string content;
};

struct DeployedDefinition {
  std::string kind;  // process | decision | form
  std::string id;    // BPMN process id, DMN decision id, form id
  int version = 0;
  std::string definition_key;
  bool is_new = true;  // false: the same file was deployed before, its version is reused
};

struct Deployment {
  std::string deployment_id;
  std::vector<DeployedDefinition> definitions;
};

struct ActivatedJob {
  std::string job_id;
  std::string type;
  std::string instance_id;
  std::string element_id;
  int64_t element_key = 0;
  int64_t retries = 0;
  core::Timestamp deadline;
  core::Json variables;  // visible at the job's element
  core::Json headers;
};

struct UserTask {
  std::string task_id;
  std::string instance_id;
  std::string element_id;
  std::string name;
  std::optional<std::string> assignee;
  std::vector<std::string> candidate_groups;
  std::vector<std::string> candidate_users;
  std::optional<core::Timestamp> due;
  std::optional<core::Timestamp> follow_up;
  std::string form_key;
  core::Timestamp created;
};

struct Incident {
  std::string incident_id;
  std::string instance_id;
  std::string element_id;
  std::string kind;  // job_no_retries | expression | no_outgoing_flow | unhandled_error | called_element | model | decision
  std::string message;
  std::optional<std::string> job_id;
};

struct InstanceInfo {
  std::string instance_id;
  std::string process_id;
  int version = 0;
  std::string state;          // active | completed | terminated
  core::Json variables;       // of the process scope
  std::vector<std::string> active_elements;  // element ids, in activation order
};

struct HistoryEvent {
  int64_t seq = 0;
  core::Timestamp at;
  std::string event;  // instance_started, element_activated, job_created, ...
  std::string element_id;
  int64_t element_key = 0;
  core::Json data;
};

struct PublishResult {
  int correlated = 0;     // waiting subscriptions the message completed
  bool buffered = false;  // kept for later subscriptions until its TTL
  std::string message_id;
  // Instances the message started at message start events (one per process).
  std::vector<std::string> started_instances;
};

// What a signal broadcast reached.
struct SignalResult {
  int triggered_catch_events = 0;  // catch events, boundary events, event sub-process starts
  int started_instances = 0;       // new instances of processes with a matching signal start event
};

// What an in-process job handler decides.
struct JobResult {
  enum class Kind { kComplete, kFail, kError } kind = Kind::kComplete;
  core::Json variables = core::Json::object();
  std::string error_code;  // kError
  std::string message;     // kFail / kError
  std::chrono::milliseconds retry_backoff{0};
};
using JobHandler = std::function<JobResult(const ActivatedJob&)>;

// Listing for the REST API. Pages are ordered by id (UUIDv7, so by creation
// time); `after` is the last id of the previous page ("" for the first page)
// and `next_after` is empty on the last page.
struct DefinitionInfo {
  std::string kind;  // process | decision | form
  std::string id;
  int version = 0;
  std::string definition_key;
  std::string deployment_id;
  std::string resource_name;
  core::Timestamp created;
};

struct DefinitionFilter {
  std::string kind = "process";  // "" : every kind
  std::string id;            // "" : every id
  bool latest_only = false;  // only the highest version of each id
};

struct InstanceSummary {
  std::string instance_id;
  std::string process_id;
  int version = 0;
  std::string definition_key;
  std::string state;  // active | completed | terminated
  std::string parent_instance_id;
  core::Timestamp started;
  std::optional<core::Timestamp> ended;
};

struct InstanceFilter {
  std::string process_id;  // "" : any
  std::string state;       // "" : any
  std::string after;
  int limit = 100;         // 1..1000
};

struct InstancePage {
  std::vector<InstanceSummary> items;
  std::string next_after;
};

struct UserTaskFilter {
  std::string assignee;         // "" : any
  std::string candidate_group;  // "" : any
  std::string instance_id;      // "" : any
  std::string after;
  int limit = 100;
};

struct UserTaskPage {
  std::vector<UserTask> items;
  std::string next_after;
};

struct IncidentFilter {
  std::string instance_id;
  std::string after;
  int limit = 100;
};

struct IncidentPage {
  std::vector<Incident> items;
  std::string next_after;
};

struct EngineOptions {
  core::Clock* clock = nullptr;  // borrowed; null: the system clock
};

class Engine : private CallContext {
 public:
  // `db` is borrowed and must outlive the Engine; it must be migrated.
  explicit Engine(store::Database& db, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Deploys `resources` for `tenant` as one deployment: every executable BPMN
  // process, DMN decision and form gets version n+1 of its id, unless the very
  // same file was deployed last (then its version is reused, is_new=false).
  // kInvalidArgument: unknown file kind, malformed XML/JSON, modelling errors,
  // FEEL syntax errors (details name the element). kUnimplemented: an element
  // this engine does not execute yet (details name each element). Nothing is
  // stored on error.
  core::Result<Deployment> Deploy(std::string_view tenant, const std::vector<Resource>& resources);
  // Deploy inside the caller's write command (store::Writer), so that the
  // deployment commits or rolls back with the caller's other writes (packages:
  // deployment, forms and catalogue service in one transaction). Writer thread
  // only; errors as Deploy. Compiled processes are cached on first use.
  core::Result<Deployment> DeployInTx(store::Tx& tx, std::string_view tenant, const std::vector<Resource>& resources);

  // Starts the latest (or the given) version of `process_id` with `variables`
  // (a JSON object) and runs it to its first wait states. Returns the instance id.
  // kNotFound: no such process (version). kInvalidArgument: variables not an object.
  core::Result<std::string> StartInstance(std::string_view tenant, std::string_view process_id,
                                          const core::Json& variables = core::Json::object(),
                                          std::optional<int> version = std::nullopt);
  // The same without blocking: `done` runs on the writer thread after the
  // commit (quick, no blocking calls of this Engine inside).
  void StartInstanceAsync(std::string tenant, std::string process_id, core::Json variables,
                          std::function<void(core::Result<std::string>)> done);

  // Sets `variables` in the process scope of an active instance (e.g. to fix
  // the input of an incident before resolving it). kNotFound; kFailedPrecondition
  // when it is not active.
  core::Status SetVariables(std::string_view tenant, std::string_view instance_id, const core::Json& variables);

  // Cancels an active instance: every element is terminated, its jobs, timers,
  // subscriptions and user tasks are removed, child instances of its call
  // activities are cancelled. kNotFound; kFailedPrecondition when it is not
  // active or was started by a call activity (cancel its root instance).
  core::Status CancelInstance(std::string_view tenant, std::string_view instance_id);

  // Locks up to `max_jobs` activatable jobs of `type` for `worker` until now +
  // `lock_timeout`; a job whose lock expired is activatable again. On
  // PostgreSQL several nodes never get the same job (SKIP LOCKED).
  core::Result<std::vector<ActivatedJob>> ActivateJobs(std::string_view tenant, std::string_view type,
                                                       std::string_view worker, int max_jobs,
                                                       std::chrono::milliseconds lock_timeout);
  // Completes an activated job; `variables` propagate to the instance (or are
  // local to the task when it has output mappings). kNotFound: no such job.
  // kFailedPrecondition: the job is not activated.
  core::Status CompleteJob(std::string_view tenant, std::string_view job_id,
                           const core::Json& variables = core::Json::object());
  void CompleteJobAsync(std::string tenant, std::string job_id, core::Json variables,
                        std::function<void(core::Status)> done);
  // Fails an activated job: with `retries` > 0 it becomes activatable again
  // after `backoff`; with 0 an incident is raised. kNotFound / kFailedPrecondition as CompleteJob.
  core::Status FailJob(std::string_view tenant, std::string_view job_id, int retries, std::string_view message,
                       std::chrono::milliseconds backoff = std::chrono::milliseconds(0));
  // Throws BPMN error `error_code` at the job's element: the nearest error
  // boundary event (catch-all or same code) up the scopes takes it, else an
  // incident is raised. kNotFound / kFailedPrecondition as CompleteJob.
  core::Status ThrowJobError(std::string_view tenant, std::string_view job_id, std::string_view error_code,
                             std::string_view message = {}, const core::Json& variables = core::Json::object());
  // Sets the retries of a job (for resolving a job_no_retries incident). kNotFound.
  core::Status UpdateJobRetries(std::string_view tenant, std::string_view job_id, int retries);

  // In-process workers for built-in connectors: RunWorkers activates jobs of
  // every registered type (up to `max_jobs` each), runs the handlers on the
  // calling thread and completes/fails/throws each job as its handler says.
  // Returns how many jobs it handled.
  //
  // Jobs of a registered type are pushed (as Zeebe's job streaming): a
  // command that starts an instance or completes a job or user task creates
  // them activated, locked for worker "in-process" for `push_lock_timeout`
  // (0: no push), and queues them here once it has committed; RunWorkers and
  // TakePushedJobs take them from that queue without an ActivateJobs command.
  // If nobody completes such a job, its lock runs out as after ActivateJobs.
  void RegisterWorker(std::string type, JobHandler handler,
                      std::chrono::milliseconds push_lock_timeout = std::chrono::seconds(60));
  // Up to `max_jobs` jobs pushed for `tenant` whose lock has not run out,
  // waiting up to `wait` for the first one.
  std::vector<ActivatedJob> TakePushedJobs(std::string_view tenant, int max_jobs, std::chrono::milliseconds wait);
  core::Result<int> RunWorkers(std::string_view tenant, int max_jobs,
                               std::chrono::milliseconds lock_timeout = std::chrono::seconds(30));

  // User tasks. Claim: kFailedPrecondition when someone else holds it.
  core::Status ClaimUserTask(std::string_view tenant, std::string_view task_id, std::string_view assignee);
  core::Status UnclaimUserTask(std::string_view tenant, std::string_view task_id);
  // Completes the task with `variables` (propagated like job variables). kNotFound.
  core::Status CompleteUserTask(std::string_view tenant, std::string_view task_id,
                                const core::Json& variables = core::Json::object());

  // Publishes message `name` with `correlation_key`: every waiting subscription
  // (one per instance) completes with `variables`; if none waits and `ttl` > 0
  // the message is buffered and taken by the first subscription that opens
  // before it expires.
  core::Result<PublishResult> PublishMessage(std::string_view tenant, std::string_view name,
                                             std::string_view correlation_key,
                                             const core::Json& variables = core::Json::object(),
                                             std::chrono::milliseconds ttl = std::chrono::milliseconds(0));

  // Broadcasts signal `name` to the tenant in one command: every waiting signal
  // catch (intermediate, boundary, event sub-process start, event-based gateway)
  // is triggered with `variables`, and the latest version of every process with a
  // signal start event of that name starts a new instance with them. Signals
  // thrown by the instances it reaches are broadcast in the same command.
  // kInvalidArgument: empty name, variables not an object.
  core::Result<SignalResult> BroadcastSignal(std::string_view tenant, std::string_view name,
                                             const core::Json& variables = core::Json::object());

  // Fires timers due at the clock's now (all tenants), each in its own command
  // that deletes (or reschedules) its row, so a timer fires exactly once even
  // with several nodes. Also removes expired buffered messages. Returns how many fired.
  core::Result<int> FireDueTimers(int max_timers = 1000);

  // Resolves an incident: expression incidents retry the failed step, job
  // incidents make the job activatable again (set its retries first:
  // kFailedPrecondition otherwise). kNotFound.
  core::Status ResolveIncident(std::string_view tenant, std::string_view incident_id);

  // Reads (a snapshot; never block the writer).
  core::Result<InstanceInfo> GetInstance(std::string_view tenant, std::string_view instance_id);
  core::Result<std::vector<UserTask>> ListUserTasks(std::string_view tenant, std::string_view instance_id = {});
  core::Result<std::vector<Incident>> ListIncidents(std::string_view tenant, std::string_view instance_id = {});
  core::Result<std::vector<HistoryEvent>> History(std::string_view tenant, std::string_view instance_id);

  // Definitions of `filter.kind`, ordered by id and version.
  core::Result<std::vector<DefinitionInfo>> ListDefinitions(std::string_view tenant, const DefinitionFilter& filter);
  // One definition by key (any kind). kNotFound.
  core::Result<DefinitionInfo> GetDefinition(std::string_view tenant, std::string_view definition_key);
  // The file the definition was deployed from, byte for byte. kNotFound.
  core::Result<std::string> DefinitionResource(std::string_view tenant, std::string_view definition_key);
  // Instances of the tenant (root and child instances). kInvalidArgument: limit out of 1..1000.
  core::Result<InstancePage> ListInstances(std::string_view tenant, const InstanceFilter& filter);
  // Open user tasks matching every non-empty field of `filter`.
  core::Result<UserTaskPage> ListUserTasksPage(std::string_view tenant, const UserTaskFilter& filter);
  // One open user task. kNotFound (also once it is completed).
  core::Result<UserTask> GetUserTask(std::string_view tenant, std::string_view task_id);
  core::Result<IncidentPage> ListIncidentsPage(std::string_view tenant, const IncidentFilter& filter);
  // Tenants that have jobs of one of `types` available now (all tenants: for
  // the scheduler that runs the in-process workers).
  core::Result<std::vector<std::string>> TenantsWithAvailableJobs(const std::vector<std::string>& types);
  // Types registered with RegisterWorker.
  std::vector<std::string> WorkerTypes();

  // Non-blocking variants for the HTTP API: `done` runs on the writer thread
  // after the commit (quick, no blocking calls of this Engine inside).
  void StartInstanceAsync(std::string tenant, std::string process_id, core::Json variables,
                          std::optional<int> version, std::function<void(core::Result<std::string>)> done);
  void CompleteUserTaskAsync(std::string tenant, std::string task_id, core::Json variables,
                             std::function<void(core::Status)> done);
  void PublishMessageAsync(std::string tenant, std::string name, std::string correlation_key, core::Json variables,
                           std::chrono::milliseconds ttl, std::function<void(core::Result<PublishResult>)> done);

  // The compiled model of `definition_key` (cached). kNotFound.
  core::Result<std::shared_ptr<const CompiledProcess>> Process(store::Tx& tx, std::string_view tenant,
                                                                std::string_view definition_key);

  // StartInstance inside the caller's write command (store::Writer), so that
  // the instance commits or rolls back with the caller's other writes (intake:
  // case, form data and process start in one transaction). Writer thread only.
  // Errors as StartInstance.
  core::Result<std::string> StartInstanceInTx(store::Tx& tx, std::string_view tenant, std::string_view process_id,
                                              const core::Json& variables,
                                              std::optional<int> version = std::nullopt);
  // Evaluates the latest deployed version of DMN decision `decision_id` of
  // `tenant` with `input` (a JSON object of input data by name):
  // {"result": <json>, "messages": [...]} as dmn::EvaluateDecisionJson. Works in
  // any transaction (read or write). The compiled DMN is cached per definition.
  // kNotFound: no such decision; kInvalidArgument: input not convertible.
  core::Result<core::Json> EvaluateDecisionInTx(store::Tx& tx, std::string_view tenant, std::string_view decision_id,
                                                const core::Json& input);
  // CompleteJob plus `also(tx)` in the same command, i.e. the same
  // transaction: a worker records what it did (say, a row counting the
  // execution) so that "executed" and "completed" cannot diverge. `also` runs
  // after the completion; its error fails the whole command (nothing of it is
  // kept). It may run more than once (store::Writer replays), only the last
  // run counts; it runs on the writer thread and must be quick.
  // PublishMessage inside the caller's write command (postfach: a citizen's
  // reply and the message it correlates commit together). Writer thread only.
  core::Result<PublishResult> PublishMessageInTx(store::Tx& tx, std::string_view tenant, std::string_view name,
                                                 std::string_view correlation_key, const core::Json& variables,
                                                 std::chrono::milliseconds ttl = std::chrono::milliseconds(0)) {
    return PublishInTx(tx, std::string(tenant), std::string(name), std::string(correlation_key), variables, ttl);
  }
  using TxStep = std::function<core::Status(store::Tx&)>;
  core::Status CompleteJobWith(std::string_view tenant, std::string_view job_id, const core::Json& variables,
                               TxStep also);
  void CompleteJobWithAsync(std::string tenant, std::string job_id, core::Json variables, TxStep also,
                            std::function<void(core::Status)> done);

  // --- Inside a caller's command (user_task_tx.cc; for cases/): user tasks
  // read and changed in the caller's write transaction, so that the caller's
  // own rows and audit entries commit with them. Writer thread only.
  // One open task. kNotFound.
  core::Result<UserTask> GetUserTaskInTx(store::Tx& tx, std::string_view tenant, std::string_view task_id);
  // Open tasks of these instances, in creation order.
  core::Result<std::vector<UserTask>> UserTasksOfInstancesInTx(store::Tx& tx, std::string_view tenant,
                                                               const std::vector<std::string>& instance_ids);
  // Sets (or with nullopt removes) the assignee; history as Claim/Unclaim. A task
  // held by someone else: kFailedPrecondition unless `take_over`. No change: no history.
  core::Status AssignUserTaskInTx(store::Tx& tx, std::string_view tenant, std::string_view task_id,
                                  std::optional<std::string> assignee, bool take_over);
  // CompleteUserTask in the caller's transaction. kNotFound; kInvalidArgument: variables not an object.
  core::Status CompleteUserTaskWithinTx(store::Tx& tx, std::string_view tenant, std::string_view task_id,
                                        const core::Json& variables);
  // Hands the open user tasks of the instance whose candidate groups hold
  // `from_group` to `to_group` (replaced; the assignee is cleared) and sets
  // `process_variables` (an object) in the process scope, in one load/flush.
  // History: user_task_candidate_groups_changed (+ user_task_unassigned).
  // Returns how many tasks moved. kNotFound: no such instance.
  core::Result<int> HandOverTasksInTx(store::Tx& tx, std::string_view tenant, std::string_view instance_id,
                                      std::string_view from_group, std::string_view to_group,
                                      const core::Json& process_variables);
  // active | completed | terminated. kNotFound.
  core::Result<std::string> InstanceStateInTx(store::Tx& tx, std::string_view tenant, std::string_view instance_id);

 private:
  core::Timestamp Now() const { return clock_->Now(); }
  core::Result<std::string> StartInTx(store::Tx& tx, const std::string& tenant, const std::string& process_id,
                                      const core::Json& variables, std::optional<int> version);
  core::Status CompleteJobInTx(store::Tx& tx, const std::string& tenant, const std::string& job_id,
                               const core::Json& variables);
  core::Result<std::shared_ptr<const CompiledProcess>> FindProcess(store::Tx& tx, const std::string& tenant,
                                                                   const std::string& process_id,
                                                                   std::optional<int> version);
  core::Status CompleteUserTaskInTx(store::Tx& tx, const std::string& tenant, const std::string& task_id,
                                    const core::Json& variables);
  core::Result<PublishResult> PublishInTx(store::Tx& tx, const std::string& tenant, const std::string& name,
                                          const std::string& key, const core::Json& variables,
                                          std::chrono::milliseconds ttl);
  // Writes `st` after `proc` ran on it; when that ended a child instance, its
  // call activity in the parent continues (recursively) in the same command.
  core::Status Finish(store::Tx& tx, InstanceState& st, const BpmnProcessor& proc);
  // CallContext (writer thread only).
  core::Result<ChildOutcome> StartChild(store::Tx& tx, const InstanceState& parent, int64_t parent_key,
                                        const std::string& process_id, const core::Json& vars) override;
  core::Status CancelChild(store::Tx& tx, const std::string& tenant, const std::string& instance_id) override;
  // Signals (engine_signals.cc). Broadcast inside the command's transaction;
  // instances are locked in instance id order.
  core::Status BroadcastInTx(store::Tx& tx, const std::string& tenant, const std::string& name,
                             const core::Json& variables, SignalResult* result);
  core::Status BroadcastThrown(store::Tx& tx, const std::string& tenant, const std::vector<ThrownSignal>& signals);
  // Registers the signal start events of a newly deployed process version,
  // replacing those of its earlier versions.
  core::Status RegisterSignalStarts(store::Tx& tx, const std::string& tenant, const CompiledProcess& process);
  core::Result<DecisionOutcome> EvaluateDecision(store::Tx& tx, const std::string& tenant,
                                                 const std::string& decision_id, const core::Json& vars) override;
  // Start events (engine.cc, "Start events"). Registers the message and timer
  // start events of a newly deployed (latest) version, replacing older ones.
  core::Status RegisterStartEvents(store::Tx& tx, const std::string& tenant, const CompiledProcess& cp,
                                   core::Timestamp now);
  // Starts an instance of `cp` at message start event `node` unless an active
  // instance of the process holds correlation key `key`; `*started` gets its id.
  core::Status StartByMessage(store::Tx& tx, const std::string& tenant, const CompiledProcess& cp, bpmn::Index node,
                              const std::string& name, const std::string& key, const core::Json& vars,
                              const std::string& message_id, bool buffered, std::optional<std::string>* started);
  core::Status FireStartTimer(store::Tx& tx, const std::string& tenant, const std::string& timer_id,
                              const store::Row& timer, core::Timestamp now);
  // After root instance `st` ended: frees its message correlation key and
  // starts the next instance from a message buffered for that key.
  core::Status ReleaseStartKey(store::Tx& tx, const InstanceState& st);

  // Job push (CallContext; writer thread). `push_sink_` collects the jobs the
  // running command pushed; null in commands that do not push.
  std::optional<core::Timestamp> PushDeadline(std::string_view type, core::Timestamp now) override;
  void JobPushed(const std::string& tenant, const std::string& job_id, const std::string& type,
                 const std::string& instance_id, const std::string& element_id, int64_t element_key, int64_t retries,
                 core::Timestamp deadline, core::Json variables, core::Json headers) override;
  void JobDeleted(const std::string& job_id) override;
  struct PushedJobs {
    std::string tenant;  // of the command
    std::vector<ActivatedJob> jobs;
  };
  // Runs `fn` with `sink` (cleared first: the writer may run a command twice) collecting pushed jobs.
  template <class F>
  auto WithPushes(PushedJobs& sink, F&& fn);
  // After the commit: queues the pushed jobs for the workers.
  void QueuePushed(PushedJobs& pushed);

  store::Database& db_;
  core::Clock* clock_;
  PushedJobs* push_sink_ = nullptr;  // writer thread only
  std::map<std::string, std::chrono::milliseconds, std::less<>> push_locks_;  // GUARDED_BY(mu_)
  std::mutex push_mu_;
  std::condition_variable push_cv_;
  std::map<std::string, std::deque<ActivatedJob>, std::less<>> pushed_;  // GUARDED_BY(push_mu_) by tenant
  int call_depth_ = 0;  // nesting of StartChild; touched by the writer thread only
  int signal_depth_ = 0;  // nesting of signal broadcasts; writer thread only
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const CompiledProcess>, std::less<>> cache_;  // GUARDED_BY(mu_)
  std::map<std::string, JobHandler, std::less<>> workers_;                          // GUARDED_BY(mu_)
  // Compiled DMN models by tenant/definition key of a decision.
  std::map<std::string, std::shared_ptr<const dmn::Engine>, std::less<>> decisions_;  // GUARDED_BY(mu_)
  // The latest version of each process by "tenant\nprocess id" (Zeebe keeps
  // it in memory too): saves a SELECT per start. Valid while the writer's
  // Tx::CacheEpoch and definitions_generation_ are what they were when it was
  // filled (FindProcess); never used on PostgreSQL.
  struct LatestProcess {
    std::shared_ptr<const CompiledProcess> process;
    uint64_t epoch = 0;
    uint64_t generation = 0;
  };
  std::map<std::string, LatestProcess, std::less<>> latest_;  // GUARDED_BY(mu_)
  // Bumped by every DeployInTx of any Engine of the process (several engines may share a database).
  static std::atomic<uint64_t> definitions_generation_;
};

}  // namespace amtsweg::engine
