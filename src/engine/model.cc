#include "engine/model.h"

#include <fmt/format.h>

namespace amtsweg::engine {

using bpmn::EventDefinitionKind;
using bpmn::Index;
using bpmn::NodeKind;

core::Result<Expr> CompileExpr(const bpmn::Expression& e) {
  Expr out;
  if (e.empty()) return out;
  if (e.is_feel()) {
    out.kind = Expr::Kind::kFeel;
    out.text = std::string(e.feel());
    feel::CompileOptions options;
    AW_ASSIGN_OR_RETURN(out.compiled, feel::CompileExpression(out.text, options));
    return out;
  }
  if (e.kind == bpmn::ExprKind::kStatic) {
    out.kind = Expr::Kind::kLiteral;
    out.text = e.text;
    return out;
  }
  return core::Unimplemented(fmt::format("expression language not supported: '{}'", e.text));
}

namespace {

Trigger TriggerOf(EventDefinitionKind k) {
  switch (k) {
    case EventDefinitionKind::kMessage: return Trigger::kMessage;
    case EventDefinitionKind::kTimer: return Trigger::kTimer;
    case EventDefinitionKind::kSignal: return Trigger::kSignal;
    case EventDefinitionKind::kError: return Trigger::kError;
    case EventDefinitionKind::kEscalation: return Trigger::kEscalation;
    case EventDefinitionKind::kTerminate: return Trigger::kTerminate;
    case EventDefinitionKind::kLink: return Trigger::kLink;
    default: return Trigger::kNone;
  }
}

// Message throw and end events run as a job (as Zeebe), so they need a job type.
std::string MessageThrowProblem(const bpmn::FlowNode& n) {
  if (!n.ext.task_type.empty()) return "";
  return "a message throw/end event needs a job type (zeebe:taskDefinition type) to send it";
}

// What Camunda 7's camunda:in / camunda:out this engine runs: source, a FEEL or
// literal sourceExpression, "${name}", variables="all", local.
std::string CallMappingProblem(const bpmn::Mapping& m, const char* what) {
  if (m.business_key) return fmt::format("camunda:{} businessKey is not supported (there is no business key)", what);
  if (m.all_variables) return "";
  if (m.target.empty()) return fmt::format("camunda:{} needs a target", what);
  if (m.source.kind == bpmn::ExprKind::kJuel && m.source.JuelVariable().empty()) {
    return fmt::format("camunda:{} sourceExpression '{}' is a JUEL expression; only a variable name ('${{name}}') "
                       "or FEEL ('=...') is executed",
                       what, m.source.text);
  }
  if (m.source.kind == bpmn::ExprKind::kOther || m.source.empty()) {
    return fmt::format("camunda:{} to '{}' needs a source or a sourceExpression", what, m.target);
  }
  return "";
}

// What this version of the engine executes. Everything else is refused at
// deployment with the element id, never ignored.
std::string Unsupported(const bpmn::FlowNode& n, Trigger t, const bpmn::Process& p) {
  if (n.multi_instance) {
    if (n.multi_instance->input_collection.empty() && n.multi_instance->loop_cardinality.empty()) {
      return "multi-instance needs an input collection or a loop cardinality";
    }
    if (!n.multi_instance->input_element.empty() && n.multi_instance->input_collection.empty()) {
      return "multi-instance input element without an input collection";
    }
    if (!n.multi_instance->output_element.empty() && n.multi_instance->output_collection.empty()) {
      return "multi-instance output element without an output collection";
    }
  }
  switch (n.kind) {
    case NodeKind::kStartEvent:
      if (n.scope != 0 && p.nodes[static_cast<size_t>(p.scopes[static_cast<size_t>(n.scope)].node)].triggered_by_event) {
        if (t == Trigger::kTimer || t == Trigger::kMessage || t == Trigger::kError || t == Trigger::kEscalation ||
            t == Trigger::kSignal) {
          return "";
        }
        return "this event sub-process start event definition is not executed";
      }
      if (t == Trigger::kNone) return "";
      if (n.scope == 0 && (t == Trigger::kMessage || t == Trigger::kTimer || t == Trigger::kSignal)) return "";
      if (n.scope != 0) return "a sub-process starts at a none start event only";
      return "start events with this event definition are not executed yet";
    case NodeKind::kEndEvent:
      if (t == Trigger::kMessage) return MessageThrowProblem(n);
      if (t == Trigger::kNone || t == Trigger::kTerminate || t == Trigger::kError) return "";
      if (t == Trigger::kSignal || t == Trigger::kEscalation) return "";
      return "this end event definition is not executed yet";
    case NodeKind::kIntermediateCatchEvent:
      if (t == Trigger::kTimer || t == Trigger::kMessage) return "";
      if (t == Trigger::kSignal || t == Trigger::kLink) return "";
      return "this intermediate catch event definition is not executed yet";
    case NodeKind::kIntermediateThrowEvent:
      if (t == Trigger::kMessage) return MessageThrowProblem(n);
      if (t == Trigger::kNone) return "";
      if (t == Trigger::kSignal || t == Trigger::kEscalation || t == Trigger::kLink) return "";
      return "this intermediate throw event definition is not executed yet";
    case NodeKind::kBoundaryEvent:
      if (t == Trigger::kTimer || t == Trigger::kMessage || t == Trigger::kError) return "";
      if (t == Trigger::kSignal || t == Trigger::kEscalation) return "";
      return "this boundary event definition is not executed yet";
    case NodeKind::kTask:
    case NodeKind::kManualTask:
    case NodeKind::kServiceTask:
    case NodeKind::kSendTask:
    case NodeKind::kUserTask:
    case NodeKind::kReceiveTask:
    case NodeKind::kScriptTask:
      return "";
    case NodeKind::kBusinessRuleTask:
      if (!n.ext.task_type.empty() || !n.ext.called_decision.empty()) return "";
      return "a business rule task needs a decision (zeebe:calledDecision, camunda:decisionRef) or a job type";
    case NodeKind::kSubProcess:
      return "";
    case NodeKind::kExclusiveGateway:
    case NodeKind::kParallelGateway:
    case NodeKind::kInclusiveGateway:
      return "";
    case NodeKind::kEventBasedGateway: return "";
    case NodeKind::kCallActivity:
      if (n.ext.called_process.empty()) return "a call activity needs a called process id";
      for (const bpmn::Mapping& m : n.ext.call_inputs) {
        if (std::string why = CallMappingProblem(m, "in"); !why.empty()) return why;
      }
      for (const bpmn::Mapping& m : n.ext.call_outputs) {
        if (std::string why = CallMappingProblem(m, "out"); !why.empty()) return why;
      }
      return "";
    default: return "not executed";
  }
}

}  // namespace

core::Result<std::shared_ptr<const CompiledProcess>> CompiledProcess::Compile(
    std::shared_ptr<const bpmn::Definitions> defs, size_t process_index, std::string definition_key,
    int version) {
  std::shared_ptr<CompiledProcess> cp(new CompiledProcess());
  cp->defs_ = std::move(defs);
  cp->process_ = &cp->defs_->processes[process_index];
  cp->definition_key_ = std::move(definition_key);
  cp->version_ = version;
  const bpmn::Process& p = *cp->process_;
  std::vector<core::FieldError> unsupported;
  std::vector<core::FieldError> invalid;
  auto compile = [&](const bpmn::Expression& e, const std::string& id, const char* what) -> Expr {
    auto r = CompileExpr(e);
    if (r.ok()) return std::move(*r);
    auto& list = r.error().code() == core::ErrorCode::kUnimplemented ? unsupported : invalid;
    list.push_back({id, fmt::format("{}: {}: {}", id, what, r.error().message())});
    return {};
  };
  cp->nodes_.resize(p.nodes.size());
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const bpmn::FlowNode& n = p.nodes[i];
    NodeInfo& info = cp->nodes_[i];
    const bpmn::EventDefinition* def = n.event_definitions.empty() ? nullptr : &n.event_definitions[0];
    if (def != nullptr) info.trigger = TriggerOf(def->kind);
    std::string why = Unsupported(n, info.trigger, p);
    if (n.event_definitions.size() > 1) why = "events with several definitions are not executed";
    if (!why.empty()) {
      unsupported.push_back({n.id, fmt::format("{} ({}): {}", n.id, bpmn::NodeKindName(n.kind), why)});
      continue;
    }
    if (def != nullptr) {
      if (info.trigger == Trigger::kTimer) {
        info.timer_kind = def->timer_kind;
        info.timer = compile(def->timer, n.id, "timer");
      }
      if (info.trigger == Trigger::kMessage && def->ref_index != bpmn::kNoIndex) {
        const bpmn::Message& m = cp->defs_->messages[static_cast<size_t>(def->ref_index)];
        info.message_name = compile(bpmn::Expression::Parse(m.name), n.id, "message name");
        info.correlation_key = compile(m.correlation_key, n.id, "correlation key");
      }
      if (info.trigger == Trigger::kError && def->ref_index != bpmn::kNoIndex) {
        info.error_code = cp->defs_->errors[static_cast<size_t>(def->ref_index)].error_code;
      }
      if (info.trigger == Trigger::kSignal && def->ref_index != bpmn::kNoIndex) {
        const bpmn::Signal& sig = cp->defs_->signals[static_cast<size_t>(def->ref_index)];
        info.signal_name = compile(bpmn::Expression::Parse(sig.name), n.id, "signal name");
        if (n.kind == NodeKind::kStartEvent && n.scope == 0 && info.signal_name.is_feel()) {
          invalid.push_back({n.id, fmt::format("{}: a signal start event needs a literal signal name", n.id)});
        }
      }
      if (info.trigger == Trigger::kSignal && !info.signal_name.present()) {
        invalid.push_back({n.id, fmt::format("{}: a signal event needs a signal (signalRef) with a name", n.id)});
      }
      if (info.trigger == Trigger::kEscalation && def->ref_index != bpmn::kNoIndex) {
        info.escalation_code = cp->defs_->escalations[static_cast<size_t>(def->ref_index)].escalation_code;
      }
    }
    if (n.kind == NodeKind::kReceiveTask && n.message_index != bpmn::kNoIndex) {
      const bpmn::Message& m = cp->defs_->messages[static_cast<size_t>(n.message_index)];
      info.trigger = Trigger::kMessage;
      info.message_name = compile(bpmn::Expression::Parse(m.name), n.id, "message name");
      info.correlation_key = compile(m.correlation_key, n.id, "correlation key");
    }
    if (info.trigger == Trigger::kMessage && n.kind == NodeKind::kStartEvent && !info.message_name.present()) {
      unsupported.push_back({n.id, fmt::format("{}: a message start event needs a message with a name", n.id)});
    }
    if (info.trigger == Trigger::kMessage && n.kind != NodeKind::kEndEvent &&
        n.kind != NodeKind::kIntermediateThrowEvent && n.kind != NodeKind::kStartEvent &&
        (!info.message_name.present() || !info.correlation_key.present())) {
      unsupported.push_back({n.id, fmt::format("{}: a message catch needs a message name and a correlation key", n.id)});
    }
    const bpmn::Extensions& x = n.ext;
    info.task_type = compile(x.task_type, n.id, "task type");
    info.retries = compile(x.retries, n.id, "retries");
    info.assignee = compile(x.assignee, n.id, "assignee");
    info.candidate_groups = compile(x.candidate_groups, n.id, "candidate groups");
    info.candidate_users = compile(x.candidate_users, n.id, "candidate users");
    info.due_date = compile(x.due_date, n.id, "due date");
    info.follow_up_date = compile(x.follow_up_date, n.id, "follow-up date");
    info.result_variable = x.result_variable;
    if (n.multi_instance) {
      const bpmn::MultiInstance& mi = *n.multi_instance;
      info.mi_input_collection = compile(mi.input_collection, n.id, "input collection");
      info.mi_cardinality = compile(mi.loop_cardinality, n.id, "loop cardinality");
      info.mi_output_element = compile(mi.output_element, n.id, "output element");
      info.mi_completion = compile(mi.completion_condition, n.id, "completion condition");
    }
    if (n.kind == NodeKind::kCallActivity) {
      info.called_process = compile(x.called_process, n.id, "called process");
      info.propagate_all_parent = x.propagate_all_parent_variables;
      info.propagate_all_child = x.propagate_all_child_variables;
    }
    if (n.kind == NodeKind::kScriptTask) {
      if (!x.script.empty()) {
        info.script = compile(x.script, n.id, "script");
      } else if (n.script_format == "feel" || n.script_format == "FEEL") {
        info.script = compile(bpmn::Expression::Parse("=" + n.script), n.id, "script");
      }
      if (!info.script.present() && !info.task_type.present()) {
        unsupported.push_back({n.id, fmt::format("{}: script task without a FEEL script or a job type", n.id)});
      }
    }
    if (n.kind == NodeKind::kBusinessRuleTask && !info.task_type.present()) {
      info.called_decision = compile(x.called_decision, n.id, "called decision");
      if (x.dialect == bpmn::Dialect::kCamunda7 || !x.map_decision_result.empty()) {
        info.decision_result_mapping = x.map_decision_result.empty() ? "resultList" : x.map_decision_result;
        const std::string& m = info.decision_result_mapping;
        if (m != "resultList" && m != "singleResult" && m != "singleEntry" && m != "collectEntries") {
          invalid.push_back({n.id, fmt::format("{}: camunda:mapDecisionResult '{}' is not one of singleEntry, "
                                               "singleResult, collectEntries, resultList", n.id, m)});
        }
      } else if (info.result_variable.empty()) {
        invalid.push_back({n.id, fmt::format("{}: zeebe:calledDecision needs a resultVariable", n.id)});
      }
    }
    if (n.kind == NodeKind::kCallActivity) {
      for (auto [from, to] : {std::pair{&x.call_inputs, &info.call_inputs}, std::pair{&x.call_outputs, &info.call_outputs}}) {
        for (const bpmn::Mapping& m : *from) {
          CallMapping cm;
          cm.all = m.all_variables;
          cm.local = m.local;
          cm.target = m.target;
          if (!cm.all) {
            if (m.source_is_variable) {
              cm.variable = m.source.text;
            } else if (std::string_view v = m.source.JuelVariable(); !v.empty()) {
              cm.variable = std::string(v);
            } else {
              cm.source = compile(m.source, n.id, "camunda:in/out sourceExpression");
            }
          }
          to->push_back(std::move(cm));
        }
      }
    }
    if ((n.kind == NodeKind::kServiceTask || n.kind == NodeKind::kSendTask ||
         n.kind == NodeKind::kBusinessRuleTask) && !info.task_type.present() && !info.called_decision.present()) {
      unsupported.push_back({n.id, fmt::format("{}: {} without a job type", n.id, bpmn::NodeKindName(n.kind))});
    }
    for (const bpmn::Mapping& m : x.inputs) info.inputs.push_back({compile(m.source, n.id, "input mapping"), m.target});
    for (const bpmn::Mapping& m : x.outputs) info.outputs.push_back({compile(m.source, n.id, "output mapping"), m.target});
  }
  cp->conditions_.resize(p.flows.size());
  for (size_t f = 0; f < p.flows.size(); ++f) {
    cp->conditions_[f] = compile(p.flows[f].condition, p.flows[f].id, "condition");
  }
  // Link events pair by name within one scope; event sub-processes know their start.
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const bpmn::FlowNode& n = p.nodes[i];
    if (n.kind == NodeKind::kSubProcess && n.triggered_by_event && n.inner_scope != bpmn::kNoIndex) {
      const auto& starts = p.scopes[static_cast<size_t>(n.inner_scope)].start_events;
      if (starts.size() == 1) {
        cp->nodes_[i].esp_start = starts[0];
      } else {
        invalid.push_back({n.id, fmt::format("{}: an event sub-process needs exactly one start event", n.id)});
      }
    }
    if (n.kind == NodeKind::kStartEvent && n.scope == 0 && cp->nodes_[i].trigger == Trigger::kSignal) {
      cp->signal_starts_.push_back(static_cast<Index>(i));
    }
    if (n.kind != NodeKind::kIntermediateThrowEvent || cp->nodes_[i].trigger != Trigger::kLink) continue;
    const std::string& name = n.event_definitions[0].link_name;
    for (Index c : p.scopes[static_cast<size_t>(n.scope)].nodes) {
      const bpmn::FlowNode& cn = p.nodes[static_cast<size_t>(c)];
      if (cn.kind == NodeKind::kIntermediateCatchEvent && cp->nodes_[static_cast<size_t>(c)].trigger == Trigger::kLink &&
          cn.event_definitions[0].link_name == name) {
        cp->nodes_[i].link_target = c;
      }
    }
    if (cp->nodes_[i].link_target == bpmn::kNoIndex) {
      invalid.push_back({n.id, fmt::format("{}: link throw event has no link catch event named '{}' in its scope",
                                           n.id, name)});
    }
  }
  if (!unsupported.empty()) {
    std::string msg = fmt::format("process '{}' uses elements this engine does not execute yet:", p.id);
    for (const auto& d : unsupported) msg += " " + d.message + ";";
    msg.pop_back();
    return core::Error(core::ErrorCode::kUnimplemented, msg, unsupported);
  }
  if (!invalid.empty()) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       fmt::format("process '{}': {}", p.id, invalid.front().message), invalid);
  }
  for (Index st : p.scopes[0].start_events) {
    Trigger t = cp->nodes_[static_cast<size_t>(st)].trigger;
    if (t == Trigger::kMessage || t == Trigger::kTimer) cp->event_starts_.push_back(st);
  }
  cp->none_start_.assign(p.scopes.size(), bpmn::kNoIndex);
  for (size_t s = 0; s < p.scopes.size(); ++s) {
    for (Index st : p.scopes[s].start_events) {
      if (p.nodes[static_cast<size_t>(st)].event_definitions.empty()) cp->none_start_[s] = st;
    }
  }
  // Reachability for inclusive joins: which flows a token at each node can still take.
  bool has_inclusive = false;
  for (const auto& n : p.nodes) has_inclusive |= n.kind == NodeKind::kInclusiveGateway && n.incoming.size() > 1;
  if (has_inclusive) {
    cp->flow_count_ = p.flows.size();
    cp->reach_.assign(p.nodes.size() * p.flows.size(), false);
    for (size_t start = 0; start < p.nodes.size(); ++start) {
      std::vector<Index> stack{static_cast<Index>(start)};
      std::vector<bool> seen(p.nodes.size(), false);
      seen[start] = true;
      while (!stack.empty()) {
        Index n = stack.back();
        stack.pop_back();
        const bpmn::FlowNode& node = p.nodes[static_cast<size_t>(n)];
        std::vector<Index> next;
        for (Index f : node.outgoing) {
          cp->reach_[start * cp->flow_count_ + static_cast<size_t>(f)] = true;
          next.push_back(p.flows[static_cast<size_t>(f)].target);
        }
        for (Index b : node.boundary_events) next.push_back(b);
        if (cp->nodes_[static_cast<size_t>(n)].link_target != bpmn::kNoIndex) {
          next.push_back(cp->nodes_[static_cast<size_t>(n)].link_target);
        }
        for (Index t : next) {
          if (!seen[static_cast<size_t>(t)]) {
            seen[static_cast<size_t>(t)] = true;
            stack.push_back(t);
          }
        }
      }
    }
  }
  return std::shared_ptr<const CompiledProcess>(std::move(cp));
}

bool CompiledProcess::IsEventSubProcessStart(Index node) const {
  const bpmn::FlowNode& n = process_->nodes[static_cast<size_t>(node)];
  if (n.kind != NodeKind::kStartEvent || n.scope == 0) return false;
  Index container = process_->scopes[static_cast<size_t>(n.scope)].node;
  return container != bpmn::kNoIndex && process_->nodes[static_cast<size_t>(container)].triggered_by_event;
}

bool CompiledProcess::CanReach(Index node, Index flow) const {
  if (reach_.empty()) return false;
  return reach_[static_cast<size_t>(node) * flow_count_ + static_cast<size_t>(flow)];
}

}  // namespace amtsweg::engine
