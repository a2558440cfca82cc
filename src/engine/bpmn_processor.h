// BpmnProcessor: the token machinery. Given one instance's working set, it
// moves tokens through the model until every path waits (job, user task,
// timer, message, join) or ends, and raises incidents where the model cannot go
// on (expression errors, no outgoing flow, unhandled error). It decides; the
// appliers of InstanceState and the row appliers here change state and append
// history.
//
// Not thread-safe: one per command and instance, inside a writer transaction.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "engine/instance_state.h"
#include "engine/model.h"
#include "feel/value.h"
#include "store/tx.h"

namespace amtsweg::engine {

// A signal thrown by an intermediate throw or end event: the engine broadcasts
// it to the tenant after the thrower's step is written, in the same command.
struct ThrownSignal {
  std::string name;
  core::Json variables = core::Json::object();
};

// How a child instance started by a call activity stands after its first run.
struct ChildOutcome {
  enum class Kind { kWaiting, kCompleted, kError };
  std::string instance_id;
  Kind kind = Kind::kWaiting;
  core::Json variables = core::Json::object();  // kCompleted: its process variables; kError: the error's
  std::string error_code;                         // kError
  std::string error_message;
  std::vector<ThrownSignal> signals;       // thrown by the child in its first run
  std::vector<std::string> escalations;    // escalation codes the child did not catch
};

// An error that no boundary of a child instance caught: it leaves the child
// through its call activity (the child is terminated).
struct Escalation {
  std::string code;
  std::string message;
  core::Json variables = core::Json::object();
};

// A DMN decision evaluated for a business rule task.
struct DecisionOutcome {
  std::string decision_id;
  int version = 0;
  std::string definition_key;
  bool ok = true;       // false: evaluation failed, `failure` says why
  std::string failure;
  core::Json value;     // the decision's value as DMN defines it (Zeebe's result)
  // Camunda 7's rule results: a list of objects, output name -> value, one per
  // matched rule (or one for a non-table decision), for camunda:mapDecisionResult.
  core::Json rule_results = core::Json::array();
};

// What a processor needs to work on other instances in the same command
// (call activities). Implemented by Engine; used on the writer thread only.
class CallContext {
 public:
  virtual ~CallContext() = default;
  // Starts the latest version of `process_id` (tenant of `parent`) as child of
  // element `parent_key` with `vars`, runs it to its first wait states and
  // writes it. kNotFound: no such process; kFailedPrecondition: calls nest too deep.
  virtual core::Result<ChildOutcome> StartChild(store::Tx& tx, const InstanceState& parent, int64_t parent_key,
                                                const std::string& process_id, const core::Json& vars) = 0;
  // Cancels child instance `instance_id` (and its children) if still active.
  virtual core::Status CancelChild(store::Tx& tx, const std::string& tenant, const std::string& instance_id) = 0;
  // Evaluates the latest deployed DMN decision `decision_id` of `tenant` with
  // `vars` as its input. kNotFound: no such decision.
  virtual core::Result<DecisionOutcome> EvaluateDecision(store::Tx& tx, const std::string& tenant,
                                                         const std::string& decision_id, const core::Json& vars) {
    (void)tx, (void)tenant, (void)vars;
    return core::Unimplemented("no decision engine to evaluate " + decision_id);
  }
  // Job push (as Zeebe's job streaming): when the running command hands the
  // jobs it creates to an in-process worker of `type`, the lock deadline of
  // such a job (it is then created activated, locked for that worker); else
  // nullopt and the job is created activatable.
  virtual std::optional<core::Timestamp> PushDeadline(std::string_view type, core::Timestamp now) {
    (void)type, (void)now;
    return std::nullopt;
  }
  // A job created activated after PushDeadline: handed to the worker once the
  // command has committed. `variables`: those visible at the job's element.
  virtual void JobPushed(const std::string& tenant, const std::string& job_id, const std::string& type,
                         const std::string& instance_id, const std::string& element_id, int64_t element_key,
                         int64_t retries, core::Timestamp deadline, core::Json variables, core::Json headers) {
    (void)tenant, (void)job_id, (void)type, (void)instance_id, (void)element_id, (void)element_key, (void)retries,
        (void)deadline, (void)variables, (void)headers;
  }
  // The job row `job_id` was deleted in this command (its element left): a
  // job pushed earlier in the same command is not handed out.
  virtual void JobDeleted(const std::string& job_id) { (void)job_id; }
};

class BpmnProcessor {
 public:
  // `calls` is borrowed; null only for models without call activities.
  BpmnProcessor(store::Tx& tx, InstanceState& state, const CompiledProcess& process, CallContext* calls = nullptr)
      : tx_(tx), st_(state), p_(process), calls_(calls), clock_(state.now().time_since_epoch().count()) {}

  // Starts the instance at the none start event with `vars` in the process scope.
  core::Status Start(const core::Json& vars);
  // Starts the instance at start event `start` (a message or timer start event)
  // with `vars` in the process scope; `trigger` is added to instance_started.
  core::Status StartAt(bpmn::Index start, const core::Json& vars, const core::Json& trigger);
  // A job or user task of element `key` completed with `vars`: they become
  // local to the element when it has output mappings, else propagate outward.
  core::Status CompleteWaitingTask(int64_t key, const core::Json& vars);
  // A message or timer arrived for `event_node`, owned by element `key` (the
  // catch event itself, or the activity `event_node` is attached to).
  core::Status TriggerEvent(int64_t key, bpmn::Index event_node, const core::Json& vars);
  // A BPMN error thrown by the job of element `key`.
  core::Status ThrowError(int64_t key, const std::string& code, const std::string& message,
                          const core::Json& vars);
  // Terminates every element and the instance.
  core::Status Cancel();
  // Retries the step of element `key` that raised an incident.
  core::Status RetryFailedElement(int64_t key);
  // The child instance of call activity `key` completed with its process
  // variables `vars`; the call activity completes. No-op when it was left.
  core::Status ChildCompleted(int64_t key, const core::Json& vars);
  // An error escaped the child instance of call activity `key`: it is thrown
  // at the call activity. No-op when it was left.
  core::Status ChildFailed(int64_t key, const Escalation& error);

  // Starts the instance at start event `start` (a signal start event) with `vars`.
  core::Status StartAtEvent(bpmn::Index start, const core::Json& vars);
  // The child instance of call activity `key` threw escalation `code` that it
  // did not catch: it is thrown at the call activity. No-op when it was left.
  core::Status ChildEscalated(int64_t key, const std::string& code);
  // Signals thrown in this command (broadcast by the engine after the flush),
  // escalations not caught in this instance (handed to the parent instance).
  const std::vector<ThrownSignal>& thrown_signals() const { return thrown_signals_; }
  const std::vector<std::string>& uncaught_escalations() const { return uncaught_escalations_; }

  // After a command: whether it completed the instance, and the error that
  // left it (instances started by a call activity only).
  bool instance_completed() const { return instance_completed_; }
  const std::optional<Escalation>& escalated() const { return escalated_; }

 private:
  struct Work {
    enum class Kind { kActivate, kInputs, kExecute, kComplete, kTrigger } kind;
    bpmn::Index node = bpmn::kNoIndex;
    int64_t scope = 0;
    bpmn::Index flow = bpmn::kNoIndex;
    int64_t key = 0;
    core::Json vars;
  };
  struct Eval {
    feel::Value value;
    std::string error;  // non-empty: the expression failed
  };

  core::Status Run();
  core::Status Activate(bpmn::Index node, int64_t scope, bpmn::Index via_flow);
  core::Status ActivateElement(bpmn::Index node, int64_t scope, int64_t* key_out);
  core::Status ApplyInputs(int64_t key);
  core::Status Execute(int64_t key);
  core::Status Complete(int64_t key);
  core::Status TriggerElement(int64_t key, bpmn::Index event_node, const core::Json& vars);
  core::Status Terminate(int64_t key);
  core::Status ScopeMaybeDone(int64_t scope);
  bool ScopeHasTokens(int64_t scope);
  void ClearJoins(int64_t scope);
  void ConsumeJoin(const std::string& join_key);
  core::Status CheckInclusiveJoins(bool* fired);
  core::Status CatchError(int64_t thrower, const std::string& code, const std::string& message,
                          const core::Json& vars);
  void SetResultVariables(ElementInstance& e, const core::Json& vars);
  core::Status StartCalledProcess(ElementInstance& e);
  // Multi-instance: the body element holds {"mi": {"items", "next"}}, each
  // inner instance {"loop": index} and is a child of the body.
  bool IsBody(const ElementInstance& e) const { return p_.node(e.node).multi_instance && !e.data.contains("loop"); }
  core::Status ExecuteBody(ElementInstance& body);
  core::Status ActivateInner(int64_t body_key, int64_t index);
  core::Status CompleteInner(int64_t key);
  core::Status SetChildResult(ElementInstance& e, const core::Json& vars);
  // Business rule task calling a DMN decision.
  core::Status EvaluateDecisionTask(ElementInstance& e);
  // camunda:out mappings of call activity `e` from the child's variables.
  core::Status ApplyCallOutputs(ElementInstance& e, const core::Json& child_vars);

  // Waiting states and what an element owns.
  core::Status CreateJob(ElementInstance& e);
  core::Status CreateUserTask(ElementInstance& e);
  core::Status CreateTimer(ElementInstance& e, bpmn::Index event_node, bool* failed);
  core::Status OpenSubscription(ElementInstance& e, bpmn::Index event_node, bool* failed, bool* correlated,
                                core::Json* message_vars);
  core::Status SubscribeBoundaries(ElementInstance& e, bool* failed);
  core::Status ReleaseOwned(ElementInstance& e);
  core::Status RaiseIncident(ElementInstance& e, const std::string& kind, const std::string& message,
                             const std::string& stage);

  // Event semantics (event_processor.cc).
  // Runs the event behaviour of element `key` when it has one (signal/escalation/link
  // throws, signal and link catches, event-based gateways); *handled says whether it did.
  core::Status ExecuteEvent(int64_t key, bool* handled);
  // Opens the timers and subscriptions of the event sub-process starts of the
  // scope `owner` opens (0 = the process scope, else a sub-process element).
  core::Status OpenEventSubProcessStarts(int64_t owner, bool* failed);
  // Closes them (all of them, or only those of the scope's event sub-process starts
  // for a sub-process element, whose boundary events stay).
  core::Status CloseEventSubProcessStarts(int64_t owner);
  core::Status OpenSignalSubscription(ElementInstance& e, bpmn::Index event_node, bool* failed);
  // An event sub-process start `start` of the scope `owner` opens was triggered.
  core::Status TriggerEventSubProcess(int64_t owner, bpmn::Index start, const core::Json& vars);
  // The event-based gateway `key` saw `event_node` occur.
  core::Status TriggerEventGateway(int64_t key, bpmn::Index event_node, const core::Json& vars);
  // The bpmn scope index of the element scope `scope_key` (kNoIndex: a multi-instance body).
  bpmn::Index BpmnScopeOf(int64_t scope_key);
  // The event sub-process start of bpmn scope `scope` matching `trigger` and `code` (errors, escalations).
  bpmn::Index FindEventSubProcessStart(bpmn::Index scope, Trigger trigger, const std::string& code);
  // Throws escalation `code` from element `thrower`; *interrupted: the thrower was terminated.
  core::Status ThrowEscalation(int64_t thrower, const std::string& code, bool* interrupted);
  // Drops every token of scope `scope` (interrupting event sub-process).
  core::Status TerminateScopeContent(int64_t scope);

  Eval Evaluate(const Expr& e, int64_t scope);
  std::string NodeId(bpmn::Index n) const { return p_.node(n).id; }

  store::Tx& tx_;
  InstanceState& st_;
  const CompiledProcess& p_;
  CallContext* calls_;
  // FEEL's now() and today() (also in called decisions) read the command's
  // time, i.e. the engine's injected clock, while this processor runs.
  feel::EvalClock clock_;
  bool instance_completed_ = false;
  std::optional<Escalation> escalated_;
  std::vector<ThrownSignal> thrown_signals_;
  std::vector<std::string> uncaught_escalations_;
  std::deque<Work> queue_;
  // Activations queued but not yet run, per scope: tokens on their way, so a
  // scope is not taken for done while one is in flight.
  std::map<int64_t, int64_t> pending_;
};

// FEEL value of a JSON variable document, and back (feel/json_value.h).
feel::Context ToFeelContext(const core::Json& vars);

// Evaluates `e` against `vars` (not the instance's scopes): camunda:in/out
// expressions, deployment-time start events, the look-ahead. Returns the
// error ("failed to evaluate ...") or "" when there is none.
std::string EvaluateWith(const Expr& e, const core::Json& vars, feel::Value* out);

// The text of `e` (a literal, or FEEL evaluated with `vars`) where the model
// expects text: timer values, message names. kInvalidArgument says why not.
core::Result<std::string> EvaluateText(const Expr& e, const core::Json& vars);

}  // namespace amtsweg::engine
