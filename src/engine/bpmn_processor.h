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
#include <string>

#include "core/json.h"
#include "core/result.h"
#include "engine/instance_state.h"
#include "engine/model.h"
#include "feel/value.h"
#include "store/tx.h"

namespace amtsweg::engine {

class BpmnProcessor {
 public:
  BpmnProcessor(store::Tx& tx, InstanceState& state, const CompiledProcess& process)
      : tx_(tx), st_(state), p_(process) {}

  // Starts the instance at the none start event with `vars` in the process scope.
  core::Status Start(const core::Json& vars);
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

  Eval Evaluate(const Expr& e, int64_t scope);
  std::string NodeId(bpmn::Index n) const { return p_.node(n).id; }

  store::Tx& tx_;
  InstanceState& st_;
  const CompiledProcess& p_;
  std::deque<Work> queue_;
  // Activations queued but not yet run, per scope: tokens on their way, so a
  // scope is not taken for done while one is in flight.
  std::map<int64_t, int64_t> pending_;
};

// FEEL value of a JSON variable document, and back (feel/json_value.h).
feel::Context ToFeelContext(const core::Json& vars);

}  // namespace amtsweg::engine
