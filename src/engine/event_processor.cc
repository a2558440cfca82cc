// BpmnProcessor, part two: event semantics — event sub-processes, signals,
// escalations, link events and event-based gateways. The token machinery
// itself is in bpmn_processor.cc; this file adds behaviour per element and
// the catch search for escalations.
#include <algorithm>

#include <fmt/format.h>

#include "core/id.h"
#include "engine/bpmn_processor.h"
#include "feel/json_value.h"

namespace amtsweg::engine {

using bpmn::Index;
using bpmn::NodeKind;
using core::Json;

Index BpmnProcessor::BpmnScopeOf(int64_t scope_key) {
  if (scope_key == 0) return 0;
  ElementInstance* s = st_.Element(scope_key);
  if (s == nullptr || IsBody(*s)) return bpmn::kNoIndex;
  return p_.node(s->node).inner_scope;
}

Index BpmnProcessor::FindEventSubProcessStart(Index scope, Trigger trigger, const std::string& code) {
  if (scope == bpmn::kNoIndex) return bpmn::kNoIndex;
  Index catch_all = bpmn::kNoIndex;
  for (Index esp : p_.process().scopes[static_cast<size_t>(scope)].event_subprocesses) {
    Index start = p_.info(esp).esp_start;
    if (start == bpmn::kNoIndex || p_.info(start).trigger != trigger) continue;
    const std::string& own = trigger == Trigger::kError ? p_.info(start).error_code : p_.info(start).escalation_code;
    if (own == code) return start;  // a catch of this very code wins over a catch-all
    if (own.empty() && catch_all == bpmn::kNoIndex) catch_all = start;
  }
  return catch_all;
}

core::Status BpmnProcessor::StartAtEvent(Index start, const Json& vars) {
  st_.ApplyInstanceStarted(p_);
  if (vars.is_object()) {
    for (const auto& [name, value] : vars.items()) st_.ApplyVariableSet(0, name, value);
  }
  bool failed = false;
  AW_TRY(OpenEventSubProcessStarts(0, &failed));
  pending_[0]++;
  queue_.push_back({Work::Kind::kActivate, start, 0, bpmn::kNoIndex, 0, {}});
  return Run();
}

// --- Event sub-processes ---------------------------------------------------------

core::Status BpmnProcessor::OpenEventSubProcessStarts(int64_t owner, bool* failed) {
  Index scope = BpmnScopeOf(owner);
  if (scope == bpmn::kNoIndex) return core::OkStatus();
  const auto& esps = p_.process().scopes[static_cast<size_t>(scope)].event_subprocesses;
  if (esps.empty()) return core::OkStatus();
  // The process scope has no element instance: its rows carry element_key 0
  // and are found by instance when they close.
  ElementInstance process_scope;
  ElementInstance* e = owner == 0 ? &process_scope : st_.Element(owner);
  if (e == nullptr) return core::OkStatus();
  for (Index esp : esps) {
    Index start = p_.info(esp).esp_start;
    if (start == bpmn::kNoIndex) continue;
    Trigger t = p_.info(start).trigger;
    if (t == Trigger::kTimer) {
      AW_TRY(CreateTimer(*e, start, failed));
    } else if (t == Trigger::kMessage) {
      bool correlated = false;
      Json vars;
      AW_TRY(OpenSubscription(*e, start, failed, &correlated, &vars));
      if (correlated) queue_.push_back({Work::Kind::kTrigger, start, 0, bpmn::kNoIndex, owner, std::move(vars)});
    } else if (t == Trigger::kSignal) {
      AW_TRY(OpenSignalSubscription(*e, start, failed));
    }
    if (!*failed) continue;
    if (owner != 0) return core::OkStatus();  // the incident sits on the sub-process
    // No element to hold an incident: the start itself fails, leaving nothing behind.
    std::string message = "cannot be evaluated";
    if (process_scope.data.contains("incident")) {
      std::string id = process_scope.data["incident"].get<std::string>();
      AW_ASSIGN_OR_RETURN(auto row, tx_.QueryOne("SELECT message FROM engine_incidents WHERE tenant_id = $1 AND "
                                                 "incident_id = $2", {st_.tenant(), id}));
      if (row) message = row->Text(0);
      AW_TRY(tx_.Exec("DELETE FROM engine_incidents WHERE tenant_id = $1 AND incident_id = $2", {st_.tenant(), id}));
    }
    AW_TRY(CloseEventSubProcessStarts(0));
    return core::FailedPrecondition(
        fmt::format("event sub-process start {}: {}", p_.node(start).id, message));
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::CloseEventSubProcessStarts(int64_t owner) {
  Index scope = BpmnScopeOf(owner);
  if (scope == bpmn::kNoIndex || p_.process().scopes[static_cast<size_t>(scope)].event_subprocesses.empty()) {
    return core::OkStatus();
  }
  ElementInstance* e = owner == 0 ? nullptr : st_.Element(owner);
  if (owner != 0 && e == nullptr) return core::OkStatus();
  auto is_start = [&](int64_t index) {
    auto node = static_cast<Index>(index);
    return p_.IsEventSubProcessStart(node) && p_.node(node).scope != bpmn::kNoIndex &&
           p_.process().scopes[static_cast<size_t>(p_.node(node).scope)].parent == scope;
  };
  struct Table {
    const char* select;
    const char* remove;
    const char* data_key;
  };
  for (const Table& t : {Table{"SELECT timer_id, element_index FROM engine_timers WHERE tenant_id = $1 AND "
                               "instance_id = $2 AND element_key = $3",
                               "DELETE FROM engine_timers WHERE tenant_id = $1 AND timer_id = $2", "timers"},
                         Table{"SELECT subscription_id, element_index FROM engine_subscriptions WHERE tenant_id = $1 "
                               "AND instance_id = $2 AND element_key = $3",
                               "DELETE FROM engine_subscriptions WHERE tenant_id = $1 AND subscription_id = $2",
                               "subs"}}) {
    AW_ASSIGN_OR_RETURN(auto rows, tx_.Query(t.select, {st_.tenant(), st_.instance_id(), owner}));
    for (const store::Row& r : rows) {
      if (!is_start(r.Int(1))) continue;  // a boundary event of the sub-process stays
      std::string id = r.Text(0);
      AW_TRY(tx_.Exec(t.remove, {st_.tenant(), id}));
      if (e != nullptr && e->data.contains(t.data_key)) {
        Json& ids = e->data[t.data_key];
        ids.erase(std::remove(ids.begin(), ids.end(), Json(id)), ids.end());
        e->dirty = true;
      }
    }
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::TerminateScopeContent(int64_t scope) {
  for (int64_t c : st_.Children(scope)) AW_TRY(Terminate(c));
  ClearJoins(scope);
  pending_[scope] = 0;
  std::erase_if(queue_, [&](const Work& w) { return w.kind == Work::Kind::kActivate && w.scope == scope; });
  return core::OkStatus();
}

core::Status BpmnProcessor::TriggerEventSubProcess(int64_t owner, Index start, const Json& vars) {
  if (owner == 0 ? !st_.active() : (st_.Element(owner) == nullptr || st_.Element(owner)->state != "active")) {
    return core::OkStatus();
  }
  const bpmn::FlowNode& s = p_.node(start);
  Index esp = p_.process().scopes[static_cast<size_t>(s.scope)].node;
  // Error starts always interrupt (BPMN 2.0, 10.5.6).
  bool interrupting = s.interrupting || p_.info(start).trigger == Trigger::kError;
  st_.Record("event_subprocess_triggered", p_.node(esp).id, owner,
             Json{{"startEvent", s.id}, {"interrupting", interrupting}});
  if (interrupting) {
    // Every other element of the scope ends first, and no other start of the
    // scope can fire any more; boundary events of the sub-process stay.
    AW_TRY(CloseEventSubProcessStarts(owner));
    AW_TRY(TerminateScopeContent(owner));
  }
  if (vars.is_object() && !vars.empty()) st_.ApplyVariablesPropagated(owner, vars);
  return ActivateElement(esp, owner, nullptr);
}

// --- Signals -----------------------------------------------------------------------

core::Status BpmnProcessor::OpenSignalSubscription(ElementInstance& e, Index event_node, bool* failed) {
  const bpmn::FlowNode& ev = p_.node(event_node);
  Eval name = Evaluate(p_.info(event_node).signal_name, e.key);
  if (!name.error.empty() || !name.value.is_string() || name.value.as_string().empty()) {
    *failed = true;
    return RaiseIncident(e, "expression", "signal name: " + (name.error.empty() ? "not a non-empty text" : name.error),
                         "execute");
  }
  std::string sub_id = core::NewId();
  std::string text(name.value.as_string());
  AW_TRY(tx_.Exec("INSERT INTO engine_subscriptions (tenant_id, subscription_id, kind, name, correlation_key, "
                  "instance_id, element_key, element_index, element_id, definition_key) "
                  "VALUES ($1, $2, 'signal', $3, '', $4, $5, $6, $7, $8)",
                  {st_.tenant(), sub_id, text, st_.instance_id(), e.key, event_node, ev.id, st_.definition_key()}));
  e.data["subs"].push_back(sub_id);
  e.dirty = true;
  st_.Record("signal_subscription_opened", ev.id, e.key, Json{{"subscriptionId", sub_id}, {"name", text}});
  return core::OkStatus();
}

// --- Escalations -------------------------------------------------------------------

core::Status BpmnProcessor::ThrowEscalation(int64_t thrower, const std::string& code, bool* interrupted) {
  *interrupted = false;
  int64_t k = thrower;
  while (k != 0) {
    ElementInstance* e = st_.Element(k);
    AW_ASSERT(e != nullptr, "escalation scope chain broken");
    const bpmn::FlowNode& n = p_.node(e->node);
    if (!e->data.contains("loop")) {  // an inner instance's boundary events belong to the body
      for (Index b : n.boundary_events) {
        const NodeInfo& bi = p_.info(b);
        if (bi.trigger != Trigger::kEscalation || (!bi.escalation_code.empty() && bi.escalation_code != code)) continue;
        int64_t scope = e->scope_key;
        st_.Record("escalation_caught", p_.node(b).id, k, Json{{"escalationCode", code}});
        if (p_.node(b).interrupting) {
          AW_TRY(Terminate(k));
          *interrupted = true;
        }
        return ActivateElement(b, scope, nullptr);
      }
    }
    // An event sub-process of the scope around `e` (not a sibling event
    // sub-process catching what another one threw).
    if (!n.triggered_by_event) {
      Index start = FindEventSubProcessStart(BpmnScopeOf(e->scope_key), Trigger::kEscalation, code);
      if (start != bpmn::kNoIndex) {
        st_.Record("escalation_caught", p_.node(start).id, e->scope_key, Json{{"escalationCode", code}});
        *interrupted = p_.node(start).interrupting;
        return TriggerEventSubProcess(e->scope_key, start, Json::object());
      }
    }
    k = e->scope_key;
  }
  if (!st_.parent_instance_id().empty()) {
    // Handed to the call activity in the parent instance (Engine::Finish), as Zeebe.
    st_.Record("escalation_propagated", NodeId(st_.Element(thrower)->node), thrower, Json{{"escalationCode", code}});
    uncaught_escalations_.push_back(code);
    return core::OkStatus();
  }
  st_.Record("escalation_not_caught", NodeId(st_.Element(thrower)->node), thrower, Json{{"escalationCode", code}});
  return core::OkStatus();
}

core::Status BpmnProcessor::ChildEscalated(int64_t key, const std::string& code) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr || e->state != "active" || p_.node(e->node).kind != NodeKind::kCallActivity) return core::OkStatus();
  bool interrupted = false;
  AW_TRY(ThrowEscalation(key, code, &interrupted));
  return Run();
}

// --- Per element -------------------------------------------------------------------

core::Status BpmnProcessor::ExecuteEvent(int64_t key, bool* handled) {
  *handled = false;
  ElementInstance* e = st_.Element(key);
  const bpmn::FlowNode& n = p_.node(e->node);
  const NodeInfo& info = p_.info(e->node);
  bool throwing = n.kind == NodeKind::kIntermediateThrowEvent || n.kind == NodeKind::kEndEvent;
  auto complete_now = [&] {
    queue_.push_back({Work::Kind::kComplete, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
    return core::OkStatus();
  };
  if (throwing && info.trigger == Trigger::kSignal) {
    *handled = true;
    Eval name = Evaluate(info.signal_name, key);
    if (!name.error.empty() || !name.value.is_string() || name.value.as_string().empty()) {
      return RaiseIncident(*e, "expression",
                           "signal name: " + (name.error.empty() ? "not a non-empty text" : name.error), "execute");
    }
    // As Zeebe: the signal carries the throw event's local variables (its input mappings).
    std::string text(name.value.as_string());
    thrown_signals_.push_back({text, st_.LocalVariables(key)});
    st_.Record("signal_broadcast", n.id, key, Json{{"name", text}});
    return complete_now();
  }
  if (throwing && info.trigger == Trigger::kEscalation) {
    *handled = true;
    st_.Record("escalation_thrown", n.id, key, Json{{"escalationCode", info.escalation_code}});
    bool interrupted = false;
    AW_TRY(ThrowEscalation(key, info.escalation_code, &interrupted));
    if (interrupted || st_.Element(key) == nullptr) return core::OkStatus();
    return complete_now();
  }
  if (n.kind == NodeKind::kIntermediateThrowEvent && info.trigger == Trigger::kLink) {
    *handled = true;
    int64_t scope = e->scope_key;
    st_.Record("link_thrown", n.id, key, Json{{"target", NodeId(info.link_target)}});
    pending_[scope]++;  // the token moves on before the throw completes, so the scope stays open
    queue_.push_back({Work::Kind::kActivate, info.link_target, scope, bpmn::kNoIndex, 0, {}});
    st_.ApplyElementCompleted(key, n.id);
    return core::OkStatus();
  }
  if (n.kind == NodeKind::kIntermediateCatchEvent && info.trigger == Trigger::kLink) {
    *handled = true;
    return complete_now();
  }
  if (n.kind == NodeKind::kIntermediateCatchEvent && info.trigger == Trigger::kSignal) {
    *handled = true;
    bool failed = false;
    return OpenSignalSubscription(*e, e->node, &failed);
  }
  if (n.kind == NodeKind::kEventBasedGateway) {
    *handled = true;
    // The gateway waits and owns one timer or subscription per following
    // event; the first to occur wins (TriggerEventGateway).
    bool failed = false;
    for (Index f : n.outgoing) {
      Index target = p_.flow(f).target;
      Trigger t = p_.info(target).trigger;
      if (t == Trigger::kTimer) {
        AW_TRY(CreateTimer(*e, target, &failed));
      } else if (t == Trigger::kMessage) {
        bool correlated = false;
        Json vars;
        AW_TRY(OpenSubscription(*e, target, &failed, &correlated, &vars));
        if (correlated) {
          queue_.push_back({Work::Kind::kTrigger, target, 0, bpmn::kNoIndex, key, std::move(vars)});
          return core::OkStatus();  // a buffered message decides at once
        }
      } else if (t == Trigger::kSignal) {
        AW_TRY(OpenSignalSubscription(*e, target, &failed));
      } else {
        return RaiseIncident(*e, "model", fmt::format("event-based gateway leads to {}, not a catch event", NodeId(target)),
                             "execute");
      }
      if (failed) return core::OkStatus();
    }
    return core::OkStatus();
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::TriggerEventGateway(int64_t key, Index event_node, const Json& vars) {
  ElementInstance* g = st_.Element(key);
  const bpmn::FlowNode& n = p_.node(g->node);
  Index via = bpmn::kNoIndex;
  for (Index f : n.outgoing) {
    if (p_.flow(f).target == event_node) via = f;
  }
  if (via == bpmn::kNoIndex) return core::Internal("event-based gateway " + n.id + " has no flow to " + NodeId(event_node));
  int64_t scope = g->scope_key;
  // Every other subscription and timer of the gateway goes in this command.
  AW_TRY(ReleaseOwned(*g));
  st_.ApplyElementCompleted(key, n.id);
  // The event that occurred completes at once with the payload; it does not wait again.
  ElementInstance& ev = st_.ApplyElementActivated(event_node, NodeId(event_node), scope);
  st_.Record("event_triggered", NodeId(event_node), ev.key, Json{{"gateway", n.id}});
  SetResultVariables(ev, vars);
  queue_.push_back({Work::Kind::kComplete, event_node, scope, bpmn::kNoIndex, ev.key, {}});
  return core::OkStatus();
}

}  // namespace amtsweg::engine
