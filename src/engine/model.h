// CompiledProcess: a deployed BPMN process prepared for execution — the
// immutable bpmn::Definitions plus every FEEL expression compiled once, so a
// command never parses XML or FEEL. Built at deployment (which refuses what the
// engine does not execute, naming the element) and cached by definition key.
//
// Thread-safety: immutable after Compile; shared by any number of threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bpmn/model.h"
#include "core/result.h"
#include "feel/evaluator.h"

namespace amtsweg::engine {

// An expression of the model: FEEL ("=..."), a literal, or absent.
struct Expr {
  enum class Kind { kAbsent, kLiteral, kFeel };
  Kind kind = Kind::kAbsent;
  std::string text;  // as written (FEEL without the leading '=')
  feel::CompiledExpression compiled;

  bool present() const { return kind != Kind::kAbsent; }
  bool is_feel() const { return kind == Kind::kFeel; }
};

struct CompiledMapping {
  Expr source;
  std::string target;
};

// camunda:in / camunda:out of a call activity, compiled.
struct CallMapping {
  bool all = false;      // variables="all"
  bool local = false;    // local="true"
  std::string variable;  // source="x" or sourceExpression="${x}": copy variable x
  Expr source;           // sourceExpression as FEEL ("=...") or a literal
  std::string target;
};

// What the engine does at a node: the event definition that matters, compiled.
enum class Trigger { kNone, kMessage, kTimer, kSignal, kError, kEscalation, kTerminate, kLink };

struct NodeInfo {
  Trigger trigger = Trigger::kNone;
  bpmn::TimerKind timer_kind = bpmn::TimerKind::kNone;
  Expr timer;
  Expr message_name;
  Expr correlation_key;
  std::string error_code;  // error events; empty on a boundary = catch all
  Expr task_type;
  Expr retries;
  Expr assignee;
  Expr candidate_groups;
  Expr candidate_users;
  Expr due_date;
  Expr follow_up_date;
  Expr script;
  std::string result_variable;
  Expr called_process;  // call activities: the process id to start (latest version)
  bool propagate_all_parent = true;
  bool propagate_all_child = true;
  std::vector<CompiledMapping> inputs;
  std::vector<CompiledMapping> outputs;
  // Multi-instance activities (bpmn::FlowNode::multi_instance set).
  Expr mi_input_collection;
  Expr mi_cardinality;
  Expr mi_output_element;
  Expr mi_completion;
  // Signal events: the signal's name (FEEL allowed, literal on start events).
  Expr signal_name;
  // Escalation events: the code; empty on a catch = catch all.
  std::string escalation_code;
  // Link throw events: the link catch event of the same name in the same scope.
  bpmn::Index link_target = bpmn::kNoIndex;
  // Event sub-processes: their one start event.
  bpmn::Index esp_start = bpmn::kNoIndex;
  // Business rule tasks calling a DMN decision (zeebe:calledDecision, camunda:decisionRef).
  Expr called_decision;
  // "" for Zeebe (the decision's value as DMN defines it); Camunda 7's
  // mapDecisionResult otherwise (resultList when not given).
  std::string decision_result_mapping;
  // Call activities: camunda:in / camunda:out (empty: Zeebe's propagation).
  std::vector<CallMapping> call_inputs;
  std::vector<CallMapping> call_outputs;
};

class CompiledProcess {
 public:
  // Compiles process `process_index` of `defs`. kUnimplemented with one detail
  // per element the engine does not execute yet (pointer = element id);
  // kInvalidArgument for FEEL syntax errors (pointer = element id).
  static core::Result<std::shared_ptr<const CompiledProcess>> Compile(
      std::shared_ptr<const bpmn::Definitions> defs, size_t process_index, std::string definition_key,
      int version);

  const bpmn::Process& process() const { return *process_; }
  const bpmn::Definitions& definitions() const { return *defs_; }
  const std::string& definition_key() const { return definition_key_; }
  const std::string& process_id() const { return process_->id; }
  int version() const { return version_; }
  const bpmn::FlowNode& node(bpmn::Index i) const { return process_->nodes[static_cast<size_t>(i)]; }
  const NodeInfo& info(bpmn::Index i) const { return nodes_[static_cast<size_t>(i)]; }
  const bpmn::SequenceFlow& flow(bpmn::Index i) const { return process_->flows[static_cast<size_t>(i)]; }
  const Expr& condition(bpmn::Index flow) const { return conditions_[static_cast<size_t>(flow)]; }
  // The none start event of `scope` (0 = the process), kNoIndex if it has none.
  bpmn::Index NoneStart(bpmn::Index scope) const { return none_start_[static_cast<size_t>(scope)]; }
  // Whether a token at `node` can still reach sequence flow `flow` (same scope,
  // through outgoing flows and boundary events). For inclusive joins.
  bool CanReach(bpmn::Index node, bpmn::Index flow) const;
  // Whether `node` is the start event of an event sub-process.
  bool IsEventSubProcessStart(bpmn::Index node) const;
  // The signal start events of the process scope.
  const std::vector<bpmn::Index>& SignalStarts() const { return signal_starts_; }
  // Message and timer start events of the process level, in document order.
  const std::vector<bpmn::Index>& event_starts() const { return event_starts_; }

 private:
  CompiledProcess() = default;

  std::shared_ptr<const bpmn::Definitions> defs_;
  const bpmn::Process* process_ = nullptr;
  std::string definition_key_;
  int version_ = 0;
  std::vector<NodeInfo> nodes_;
  std::vector<Expr> conditions_;
  std::vector<bpmn::Index> none_start_;
  size_t flow_count_ = 0;
  std::vector<bool> reach_;  // node * flow_count_ + flow
  std::vector<bpmn::Index> signal_starts_;
  std::vector<bpmn::Index> event_starts_;
};

// Compiles `text` as FEEL when it starts with '=' (or kind says FEEL), else a literal.
core::Result<Expr> CompileExpr(const bpmn::Expression& e);

}  // namespace amtsweg::engine
