#include "engine/bpmn_processor.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/id.h"
#include "feel/json_value.h"
#include "engine/timer_spec.h"
#include "feel/temporal.h"

namespace amtsweg::engine {

using bpmn::Index;
using bpmn::NodeKind;
using core::Json;

feel::Context ToFeelContext(const Json& vars) {
  feel::Context ctx;
  for (const auto& [name, value] : vars.items()) {
    auto v = feel::JsonToValue(value);
    ctx.Put(name, v.ok() ? std::move(*v) : feel::Value());
  }
  return ctx;
}

namespace {

std::string JoinKey(int64_t scope, Index node) { return fmt::format("{}:{}", scope, node); }

// Text of a FEEL value where the model expects text (timers, dates, keys).
std::optional<std::string> AsText(const feel::Value& v) {
  switch (v.kind()) {
    case feel::Kind::kString: return v.as_string();
    case feel::Kind::kNumber: {
      Json j = feel::ValueToJson(v);
      return j.is_string() ? j.get<std::string>() : core::DumpJson(j);
    }
    case feel::Kind::kDateTime: return feel::FormatDateTime(v.as_date_time());
    case feel::Kind::kDate: return feel::FormatDate(v.as_date());
    case feel::Kind::kDtDuration: return feel::FormatDtDuration(v.as_dt());
    case feel::Kind::kYmDuration: return feel::FormatYmDuration(v.as_ym());
    default: return std::nullopt;
  }
}

std::vector<std::string> AsTextList(const feel::Value& v) {
  std::vector<std::string> out;
  if (v.is_list()) {
    for (const feel::Value& item : v.as_list()) {
      if (auto t = AsText(item)) out.push_back(*t);
    }
  } else if (v.is_string()) {
    std::string_view s = v.as_string();
    while (!s.empty()) {
      size_t comma = s.find(',');
      std::string_view part = s.substr(0, comma);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) out.emplace_back(part);
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::string EvaluateWith(const Expr& e, const Json& vars, feel::Value* out) {
  if (e.kind == Expr::Kind::kLiteral) {
    *out = feel::Value::String(e.text);
    return "";
  }
  if (!e.is_feel()) return "no expression";
  feel::EvalState es;
  *out = e.compiled.Evaluate(feel::ScopeOf(ToFeelContext(vars)), es);
  if (out->is_null() && !es.warnings().empty()) {
    return fmt::format("failed to evaluate '{}': {}", e.text, es.warnings().front());
  }
  return "";
}

core::Result<std::string> EvaluateText(const Expr& e, const Json& vars) {
  feel::Value v;
  std::string error = EvaluateWith(e, vars, &v);
  if (!error.empty()) return core::InvalidArgument(error);
  std::optional<std::string> text = AsText(v);
  if (!text) return core::InvalidArgument(fmt::format("'{}' is not a text: {}", e.text, v.DebugString()));
  return *text;
}

BpmnProcessor::Eval BpmnProcessor::Evaluate(const Expr& e, int64_t scope) {
  Eval out;
  // Literals need no variables: skip collecting the visible ones.
  out.error = EvaluateWith(e, e.is_feel() ? st_.VisibleVariables(scope) : Json(), &out.value);
  return out;
}

// --- Commands ----------------------------------------------------------------

core::Status BpmnProcessor::Start(const Json& vars) {
  st_.ApplyInstanceStarted(p_);
  if (vars.is_object()) {
    for (const auto& [name, value] : vars.items()) st_.ApplyVariableSet(0, name, value);
  }
  Index start = p_.NoneStart(0);
  if (start == bpmn::kNoIndex) return core::InvalidArgument("process '" + p_.process_id() + "' has no none start event");
  bool esp_failed = false;
  AW_TRY(OpenEventSubProcessStarts(0, &esp_failed));
  pending_[0]++;
  queue_.push_back({Work::Kind::kActivate, start, 0, bpmn::kNoIndex, 0, {}});
  return Run();
}

core::Status BpmnProcessor::StartAt(Index start, const Json& vars, const Json& trigger) {
  st_.ApplyInstanceStarted(p_, trigger);
  if (vars.is_object()) {
    for (const auto& [name, value] : vars.items()) st_.ApplyVariableSet(0, name, value);
  }
  pending_[0]++;
  queue_.push_back({Work::Kind::kActivate, start, 0, bpmn::kNoIndex, 0, {}});
  return Run();
}

core::Status BpmnProcessor::CompleteWaitingTask(int64_t key, const Json& vars) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr) return core::NotFound(fmt::format("element instance {} is not active", key));
  SetResultVariables(*e, vars);
  queue_.push_back({Work::Kind::kComplete, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
  return Run();
}

void BpmnProcessor::SetResultVariables(ElementInstance& e, const Json& vars) {
  if (!vars.is_object() || vars.empty()) return;
  if (!p_.info(e.node).outputs.empty()) {
    for (const auto& [name, value] : vars.items()) st_.ApplyVariableSet(e.key, name, value);
  } else {
    st_.ApplyVariablesPropagated(e.scope_key, vars);
  }
}

core::Status BpmnProcessor::TriggerEvent(int64_t key, Index event_node, const Json& vars) {
  queue_.push_back({Work::Kind::kTrigger, event_node, 0, bpmn::kNoIndex, key, vars});
  return Run();
}

core::Status BpmnProcessor::ThrowError(int64_t key, const std::string& code, const std::string& message,
                                       const Json& vars) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr) return core::NotFound(fmt::format("element instance {} is not active", key));
  AW_TRY(ReleaseOwned(*e));
  st_.Record("error_thrown", NodeId(e->node), key, Json{{"errorCode", code}, {"message", message}});
  AW_TRY(CatchError(key, code, message, vars));
  return Run();
}

core::Status BpmnProcessor::Cancel() {
  if (!st_.active()) return core::FailedPrecondition("process instance is not active");
  for (int64_t c : st_.Children(0)) AW_TRY(Terminate(c));
  AW_TRY(CloseEventSubProcessStarts(0));
  st_.JoinState() = Json::object();
  st_.MarkJoinsDirty();
  st_.ApplyInstanceTerminated();
  return core::OkStatus();
}

core::Status BpmnProcessor::RetryFailedElement(int64_t key) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr || e->state != "failed") {
    return core::FailedPrecondition(fmt::format("element instance {} has no incident", key));
  }
  std::string stage = e->data.value("stage", "execute");
  AW_TRY(ReleaseOwned(*e));  // resolves the incident, drops half-made subscriptions
  e->state = "active";
  e->data.erase("stage");
  e->dirty = true;
  if (e->data.contains("childResult")) {
    // camunda:out failed on a completed child: map its variables again.
    Json vars = std::move(e->data["childResult"]);
    e->data.erase("childResult");
    AW_TRY(SetChildResult(*e, vars));
    return Run();
  }
  if (stage == "activate") {
    queue_.push_back({Work::Kind::kInputs, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
  } else if (stage == "complete") {
    queue_.push_back({Work::Kind::kComplete, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
  } else {
    queue_.push_back({Work::Kind::kExecute, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
  }
  return Run();
}

core::Status BpmnProcessor::ChildCompleted(int64_t key, const Json& vars) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr || e->state != "active" || p_.node(e->node).kind != NodeKind::kCallActivity) return core::OkStatus();
  AW_TRY(SetChildResult(*e, vars));
  return Run();
}

core::Status BpmnProcessor::ChildFailed(int64_t key, const Escalation& error) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr || e->state != "active" || p_.node(e->node).kind != NodeKind::kCallActivity) return core::OkStatus();
  e->data.erase("child");  // it terminated itself
  e->dirty = true;
  AW_TRY(CatchError(key, error.code, error.message, error.variables));
  return Run();
}

// --- The loop ----------------------------------------------------------------

core::Status BpmnProcessor::Run() {
  for (;;) {
    while (!queue_.empty()) {
      Work w = std::move(queue_.front());
      queue_.pop_front();
      if (!st_.active()) {
        queue_.clear();
        break;
      }
      switch (w.kind) {
        case Work::Kind::kActivate:
          pending_[w.scope]--;
          AW_TRY(Activate(w.node, w.scope, w.flow));
          if (pending_[w.scope] == 0) AW_TRY(ScopeMaybeDone(w.scope));
          break;
        case Work::Kind::kInputs: AW_TRY(ApplyInputs(w.key)); break;
        case Work::Kind::kExecute: AW_TRY(Execute(w.key)); break;
        case Work::Kind::kComplete: AW_TRY(Complete(w.key)); break;
        case Work::Kind::kTrigger: AW_TRY(TriggerElement(w.key, w.node, w.vars)); break;
      }
    }
    if (!st_.active()) return core::OkStatus();
    bool fired = false;
    AW_TRY(CheckInclusiveJoins(&fired));
    if (!fired) return core::OkStatus();
  }
}

core::Status BpmnProcessor::Activate(Index node, int64_t scope, Index via_flow) {
  if (scope != 0 && st_.Element(scope) == nullptr) return core::OkStatus();  // the scope was left meanwhile
  const bpmn::FlowNode& n = p_.node(node);
  bool join = (n.kind == NodeKind::kParallelGateway || n.kind == NodeKind::kInclusiveGateway) &&
              n.incoming.size() > 1 && via_flow != bpmn::kNoIndex;
  if (join) {
    Json& joins = st_.JoinState();
    std::string jk = JoinKey(scope, node);
    if (!joins.contains(jk)) joins[jk] = Json(std::vector<int64_t>(n.incoming.size(), 0));
    Json& counts = joins[jk];
    auto pos = static_cast<size_t>(std::find(n.incoming.begin(), n.incoming.end(), via_flow) - n.incoming.begin());
    counts[pos] = counts[pos].get<int64_t>() + 1;
    st_.MarkJoinsDirty();
    st_.Record("join_token_arrived", n.id, 0, Json{{"flow", p_.flow(via_flow).id}, {"scope", scope}});
    bool complete = true;
    for (const Json& c : counts) complete = complete && c.get<int64_t>() > 0;
    if (!complete) return core::OkStatus();  // inclusive joins are checked once the queue is empty
    ConsumeJoin(jk);
  }
  return ActivateElement(node, scope, nullptr);
}

void BpmnProcessor::ConsumeJoin(const std::string& jk) {
  Json& joins = st_.JoinState();
  Json& counts = joins[jk];
  bool empty = true;
  for (Json& c : counts) {
    int64_t v = c.get<int64_t>();
    if (v > 0) c = v - 1;
    empty = empty && c.get<int64_t>() == 0;
  }
  if (empty) joins.erase(jk);
  st_.MarkJoinsDirty();
}

core::Status BpmnProcessor::ActivateElement(Index node, int64_t scope, int64_t* key_out) {
  ElementInstance& e = st_.ApplyElementActivated(node, NodeId(node), scope);
  if (key_out != nullptr) *key_out = e.key;
  return ApplyInputs(e.key);
}

core::Status BpmnProcessor::ApplyInputs(int64_t key) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr) return core::OkStatus();
  if (IsBody(*e)) return Execute(key);  // as Zeebe: input mappings apply to each inner instance
  for (const CompiledMapping& m : p_.info(e->node).inputs) {
    Eval ev = Evaluate(m.source, e->scope_key);
    if (!ev.error.empty()) return RaiseIncident(*e, "expression", "input mapping: " + ev.error, "activate");
    st_.ApplyVariableSet(e->key, m.target, feel::ValueToJson(ev.value));
  }
  return Execute(key);
}

core::Status BpmnProcessor::Execute(int64_t key) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr) return core::OkStatus();
  const bpmn::FlowNode& n = p_.node(e->node);
  const NodeInfo& info = p_.info(e->node);
  auto complete_now = [&] {
    queue_.push_back({Work::Kind::kComplete, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
    return core::OkStatus();
  };
  bool failed = false;
  if (IsBody(*e)) return ExecuteBody(*e);
  // Message throw and end events send through a job, like a send task (model.cc
  // refuses them without a job type).
  if (info.trigger == Trigger::kMessage &&
      (n.kind == NodeKind::kIntermediateThrowEvent || n.kind == NodeKind::kEndEvent)) {
    return CreateJob(*e);
  }
  if (n.kind == NodeKind::kBusinessRuleTask && info.called_decision.present()) {
    AW_TRY(SubscribeBoundaries(*e, &failed));
    if (failed) return core::OkStatus();
    return EvaluateDecisionTask(*e);
  }
  bool handled = false;
  AW_TRY(ExecuteEvent(key, &handled));
  if (handled) return core::OkStatus();
  switch (n.kind) {
    case NodeKind::kStartEvent:
    case NodeKind::kTask:
    case NodeKind::kManualTask:
    case NodeKind::kIntermediateThrowEvent:
    case NodeKind::kBoundaryEvent:
    case NodeKind::kExclusiveGateway:
    case NodeKind::kParallelGateway:
    case NodeKind::kInclusiveGateway:
      return complete_now();
    case NodeKind::kEndEvent:
      if (info.trigger == Trigger::kTerminate) {
        int64_t scope = e->scope_key;
        st_.ApplyElementCompleted(key, n.id);
        for (int64_t c : st_.Children(scope)) AW_TRY(Terminate(c));
        ClearJoins(scope);
        pending_[scope] = 0;
        std::erase_if(queue_, [&](const Work& w) { return w.kind == Work::Kind::kActivate && w.scope == scope; });
        return ScopeMaybeDone(scope);
      }
      if (info.trigger == Trigger::kError) {
        st_.Record("error_thrown", n.id, key, Json{{"errorCode", info.error_code}});
        return CatchError(key, info.error_code, "", Json::object());
      }
      return complete_now();
    case NodeKind::kServiceTask:
    case NodeKind::kSendTask:
    case NodeKind::kBusinessRuleTask:
      AW_TRY(SubscribeBoundaries(*e, &failed));
      if (failed) return core::OkStatus();
      return CreateJob(*e);
    case NodeKind::kScriptTask: {
      if (info.task_type.present()) {
        AW_TRY(SubscribeBoundaries(*e, &failed));
        if (failed) return core::OkStatus();
        return CreateJob(*e);
      }
      Eval ev = Evaluate(info.script, key);
      if (!ev.error.empty()) return RaiseIncident(*e, "expression", "script: " + ev.error, "execute");
      if (!info.result_variable.empty()) {
        SetResultVariables(*e, Json{{info.result_variable, feel::ValueToJson(ev.value)}});
      }
      return complete_now();
    }
    case NodeKind::kUserTask:
      AW_TRY(SubscribeBoundaries(*e, &failed));
      if (failed) return core::OkStatus();
      return CreateUserTask(*e);
    case NodeKind::kReceiveTask:
    case NodeKind::kIntermediateCatchEvent: {
      if (n.kind == NodeKind::kReceiveTask) {
        AW_TRY(SubscribeBoundaries(*e, &failed));
        if (failed) return core::OkStatus();
      }
      if (info.trigger == Trigger::kTimer) return CreateTimer(*e, e->node, &failed);
      bool correlated = false;
      Json vars;
      AW_TRY(OpenSubscription(*e, e->node, &failed, &correlated, &vars));
      if (correlated) queue_.push_back({Work::Kind::kTrigger, e->node, 0, bpmn::kNoIndex, key, std::move(vars)});
      return core::OkStatus();
    }
    case NodeKind::kCallActivity:
      AW_TRY(SubscribeBoundaries(*e, &failed));
      if (failed) return core::OkStatus();
      return StartCalledProcess(*e);
    case NodeKind::kSubProcess: {
      AW_TRY(SubscribeBoundaries(*e, &failed));
      if (failed) return core::OkStatus();
      AW_TRY(OpenEventSubProcessStarts(key, &failed));
      if (failed) return core::OkStatus();
      Index start = n.triggered_by_event ? info.esp_start : p_.NoneStart(n.inner_scope);
      if (start == bpmn::kNoIndex) {
        return RaiseIncident(*e, "model", "sub-process has no none start event", "execute");
      }
      pending_[key]++;
      queue_.push_back({Work::Kind::kActivate, start, key, bpmn::kNoIndex, 0, {}});
      return core::OkStatus();
    }
    default:
      // Deployment refuses every other kind (model.cc); reaching this is a bug.
      return core::Internal(fmt::format("element {} ({}) is not executable", n.id, bpmn::NodeKindName(n.kind)));
  }
}

core::Status BpmnProcessor::ExecuteBody(ElementInstance& body) {
  const bpmn::FlowNode& n = p_.node(body.node);
  const NodeInfo& info = p_.info(body.node);
  const bpmn::MultiInstance& mi = *n.multi_instance;
  int64_t key = body.key;
  bool failed = false;
  AW_TRY(SubscribeBoundaries(body, &failed));
  if (failed) return core::OkStatus();
  Json items = Json::array();
  if (info.mi_input_collection.present()) {
    Eval ev = Evaluate(info.mi_input_collection, key);
    if (!ev.error.empty()) return RaiseIncident(body, "expression", "input collection: " + ev.error, "execute");
    if (!ev.value.is_list()) {
      return RaiseIncident(body, "expression", "input collection is not a list: " + ev.value.DebugString(), "execute");
    }
    items = feel::ValueToJson(ev.value);
  } else {
    Eval ev = Evaluate(info.mi_cardinality, key);
    std::optional<std::string> text = ev.error.empty() ? AsText(ev.value) : std::nullopt;
    char* end = nullptr;
    long long count = text ? std::strtoll(text->c_str(), &end, 10) : -1;
    if (!text || end == text->c_str() || *end != '\0' || count < 0 || count > 100000) {
      return RaiseIncident(body, "expression",
                           "loop cardinality: " + (ev.error.empty() ? "not a whole number from 0 to 100000" : ev.error),
                           "execute");
    }
    items = Json(std::vector<Json>(static_cast<size_t>(count), Json(nullptr)));
  }
  auto count = static_cast<int64_t>(items.size());
  // The output collection and the count of completed instances live in the
  // body's data: a job or child instance handing back a stale copy of the
  // variable (it saw the collection when it started) must not undo results.
  body.data["mi"] = Json{{"items", items},
                         {"next", mi.sequential ? 1 : count},
                         {"done", 0},
                         {"out", Json(std::vector<Json>(items.size(), Json(nullptr)))}};
  body.dirty = true;
  st_.ApplyVariableSet(key, "numberOfInstances", count);
  st_.ApplyVariableSet(key, "numberOfActiveInstances", mi.sequential ? std::min<int64_t>(count, 1) : count);
  st_.ApplyVariableSet(key, "numberOfCompletedInstances", 0);
  st_.ApplyVariableSet(key, "numberOfTerminatedInstances", 0);
  if (!mi.output_collection.empty()) {
    st_.ApplyVariableSet(key, mi.output_collection, Json(std::vector<Json>(items.size(), Json(nullptr))));
  }
  if (count == 0) {
    queue_.push_back({Work::Kind::kComplete, body.node, body.scope_key, bpmn::kNoIndex, key, {}});
    return core::OkStatus();
  }
  int64_t started = mi.sequential ? 1 : count;
  for (int64_t i = 0; i < started; ++i) {
    // An inner instance may end the body at once (an error caught on it).
    ElementInstance* b = st_.Element(key);
    if (b == nullptr || b->state != "active") break;
    AW_TRY(ActivateInner(key, i));
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::ActivateInner(int64_t body_key, int64_t index) {
  ElementInstance* body = st_.Element(body_key);
  const bpmn::MultiInstance& mi = *p_.node(body->node).multi_instance;
  Json item = body->data["mi"]["items"][static_cast<size_t>(index)];
  ElementInstance& inner = st_.ApplyElementActivated(body->node, NodeId(body->node), body_key);
  inner.data["loop"] = index;
  st_.ApplyVariableSet(inner.key, "loopCounter", index + 1);
  if (!mi.input_element.empty()) st_.ApplyVariableSet(inner.key, mi.input_element, std::move(item));
  return ApplyInputs(inner.key);
}

core::Status BpmnProcessor::CompleteInner(int64_t key) {
  ElementInstance* e = st_.Element(key);
  const bpmn::FlowNode& n = p_.node(e->node);
  const NodeInfo& info = p_.info(e->node);
  const bpmn::MultiInstance& mi = *n.multi_instance;
  int64_t body_key = e->scope_key;
  auto index = static_cast<size_t>(e->data["loop"].get<int64_t>());
  Json outputs = Json::object();
  for (const CompiledMapping& m : info.outputs) {
    Eval ev = Evaluate(m.source, key);
    if (!ev.error.empty()) return RaiseIncident(*e, "expression", "output mapping: " + ev.error, "complete");
    outputs[m.target] = feel::ValueToJson(ev.value);
  }
  ElementInstance* body = st_.Element(body_key);
  Json& mi_data = body->data["mi"];
  Json out = mi_data.value("out", Json::array());
  int64_t done_count = mi_data.value("done", int64_t{0}) + 1;
  Json before = st_.LocalVariables(body_key);
  Json after = before;
  if (!mi.output_collection.empty()) {
    Json element = nullptr;
    if (info.mi_output_element.present()) {
      Eval ev = Evaluate(info.mi_output_element, key);
      if (!ev.error.empty()) return RaiseIncident(*e, "expression", "output element: " + ev.error, "complete");
      element = feel::ValueToJson(ev.value);
    }
    if (index < out.size()) out[index] = std::move(element);
    after[mi.output_collection] = out;
  }
  after["numberOfCompletedInstances"] = done_count;
  after["numberOfActiveInstances"] = static_cast<int64_t>(st_.Children(body_key).size()) - 1;
  for (const auto& [name, value] : after.items()) st_.ApplyVariableSet(body_key, name, value);
  bool done = false;
  if (info.mi_completion.present()) {
    // Evaluated where the inner instance's variables are still visible, after the counters moved.
    Eval ev = Evaluate(info.mi_completion, key);
    std::string why = !ev.error.empty() ? ev.error
                      : !ev.value.is_bool() ? "not a boolean: " + ev.value.DebugString() : "";
    if (!why.empty()) {
      for (const auto& [name, value] : before.items()) st_.ApplyVariableSet(body_key, name, value);
      return RaiseIncident(*e, "expression", "completion condition: " + why, "complete");
    }
    done = ev.value.as_bool();
  }
  mi_data["out"] = std::move(out);
  mi_data["done"] = done_count;
  body->dirty = true;
  AW_TRY(ReleaseOwned(*e));
  st_.ApplyElementCompleted(key, n.id);
  st_.ApplyVariablesPropagated(body_key, outputs);
  if (!mi.output_collection.empty()) {
    // Heals a stale copy that the propagation just wrote over the collection.
    st_.ApplyVariableSet(body_key, mi.output_collection, body->data["mi"]["out"]);
  }
  if (done) {
    int64_t terminated = 0;
    for (int64_t c : st_.Children(body_key)) {
      AW_TRY(Terminate(c));
      ++terminated;
    }
    st_.ApplyVariableSet(body_key, "numberOfTerminatedInstances", terminated);
    st_.ApplyVariableSet(body_key, "numberOfActiveInstances", 0);
  } else if (mi.sequential) {
    int64_t next = body->data["mi"]["next"].get<int64_t>();
    if (next < static_cast<int64_t>(body->data["mi"]["items"].size())) {
      body->data["mi"]["next"] = next + 1;
      body->dirty = true;
      st_.ApplyVariableSet(body_key, "numberOfActiveInstances", 1);
      return ActivateInner(body_key, next);
    }
  }
  if (!st_.HasChildren(body_key) && pending_[body_key] == 0) {
    queue_.push_back({Work::Kind::kComplete, body->node, body->scope_key, bpmn::kNoIndex, body_key, {}});
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::StartCalledProcess(ElementInstance& e) {
  const bpmn::FlowNode& n = p_.node(e.node);
  const NodeInfo& info = p_.info(e.node);
  int64_t key = e.key;
  Eval id = Evaluate(info.called_process, key);
  std::optional<std::string> process_id = id.error.empty() ? AsText(id.value) : std::nullopt;
  if (!process_id || process_id->empty()) {
    return RaiseIncident(e, "expression", "called process: " + (id.error.empty() ? "not a text" : id.error), "execute");
  }
  if (calls_ == nullptr) return core::Internal("call activity " + n.id + " run without a call context");
  // As Zeebe: the child gets every variable visible at the call activity
  // (with its input mappings), or only the input mappings' results.
  Json vars = info.propagate_all_parent ? st_.VisibleVariables(key) : st_.LocalVariables(key);
  if (!info.call_inputs.empty()) {
    // Camunda 7: only what camunda:in maps goes to the child.
    Json visible = st_.VisibleVariables(key);
    Json local = st_.LocalVariables(key);
    vars = Json::object();
    for (const CallMapping& m : info.call_inputs) {
      const Json& from = m.local ? local : visible;
      if (m.all) {
        for (const auto& [name, value] : from.items()) vars[name] = value;
      } else if (!m.variable.empty()) {
        vars[m.target] = from.contains(m.variable) ? from[m.variable] : Json(nullptr);
      } else {
        feel::Value v;
        std::string error = EvaluateWith(m.source, from, &v);
        if (!error.empty()) return RaiseIncident(e, "expression", "camunda:in to '" + m.target + "': " + error, "execute");
        vars[m.target] = feel::ValueToJson(v);
      }
    }
  }
  auto child = calls_->StartChild(tx_, st_, key, *process_id, vars);
  if (!child.ok()) {
    core::ErrorCode code = child.error().code();
    if (code != core::ErrorCode::kNotFound && code != core::ErrorCode::kFailedPrecondition) {
      return std::move(child).error();
    }
    return RaiseIncident(e, "called_element", child.error().message(), "execute");
  }
  e.data["child"] = child->instance_id;
  e.dirty = true;
  st_.Record("child_instance_created", n.id, key,
             Json{{"childInstanceId", child->instance_id}, {"processId", *process_id}});
  for (ThrownSignal& s : child->signals) thrown_signals_.push_back(std::move(s));
  for (const std::string& code : child->escalations) {
    bool interrupted = false;
    AW_TRY(ThrowEscalation(key, code, &interrupted));
    if (interrupted) return core::OkStatus();
  }
  switch (child->kind) {
    case ChildOutcome::Kind::kWaiting: return core::OkStatus();
    case ChildOutcome::Kind::kCompleted: return SetChildResult(e, child->variables);
    case ChildOutcome::Kind::kError:
      e.data.erase("child");
      return CatchError(key, child->error_code, child->error_message, child->variables);
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::SetChildResult(ElementInstance& e, const Json& vars) {
  e.data.erase("child");
  e.dirty = true;
  if (!p_.info(e.node).call_outputs.empty()) {
    AW_TRY(ApplyCallOutputs(e, vars));
    if (e.state != "active") return core::OkStatus();  // an incident holds it
  } else if (p_.info(e.node).propagate_all_child && p_.info(e.node).outputs.empty()) {
    // From the call activity's own scope outward, as Zeebe: a variable its
    // input mappings made local stays local.
    st_.ApplyVariablesPropagated(e.key, vars);
  } else if (p_.info(e.node).propagate_all_child) {
    SetResultVariables(e, vars);
  } else if (vars.is_object()) {
    // Only the output mappings see them.
    for (const auto& [name, value] : vars.items()) st_.ApplyVariableSet(e.key, name, value);
  }
  queue_.push_back({Work::Kind::kComplete, e.node, e.scope_key, bpmn::kNoIndex, e.key, {}});
  return core::OkStatus();
}

core::Status BpmnProcessor::TriggerElement(int64_t key, Index event_node, const Json& vars) {
  if (p_.IsEventSubProcessStart(event_node)) return TriggerEventSubProcess(key, event_node, vars);
  ElementInstance* e = st_.Element(key);
  if (e == nullptr || e->state != "active") return core::OkStatus();
  if (p_.node(e->node).kind == NodeKind::kEventBasedGateway) return TriggerEventGateway(key, event_node, vars);
  const bpmn::FlowNode& ev = p_.node(event_node);
  st_.Record("event_triggered", ev.id, key);
  if (e->node == event_node) {
    // The catch event or receive task itself: it completes with the payload.
    SetResultVariables(*e, vars);
    queue_.push_back({Work::Kind::kComplete, e->node, e->scope_key, bpmn::kNoIndex, key, {}});
    return core::OkStatus();
  }
  // A boundary event of activity `e`.
  int64_t scope = e->scope_key;
  if (ev.interrupting) AW_TRY(Terminate(key));
  int64_t boundary_key = 0;
  AW_TRY(ActivateElement(event_node, scope, &boundary_key));
  if (ElementInstance* b = st_.Element(boundary_key)) SetResultVariables(*b, vars);
  return core::OkStatus();
}

core::Status BpmnProcessor::Complete(int64_t key) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr || e->state != "active") return core::OkStatus();
  const bpmn::FlowNode& n = p_.node(e->node);
  const NodeInfo& info = p_.info(e->node);
  bool body = IsBody(*e);
  if ((n.kind == NodeKind::kSubProcess || body) && (st_.HasChildren(key) || pending_[key] > 0)) {
    return core::OkStatus();
  }
  if (e->data.contains("loop")) return CompleteInner(key);
  // Choose the outgoing flows before anything changes: a failing condition
  // leaves the element where it is, with an incident.
  std::vector<Index> flows;
  if (n.kind == NodeKind::kExclusiveGateway || n.kind == NodeKind::kInclusiveGateway) {
    bool exclusive = n.kind == NodeKind::kExclusiveGateway;
    for (Index f : n.outgoing) {
      if (f == n.default_flow) continue;
      const Expr& cond = p_.condition(f);
      bool taken = true;
      if (cond.present()) {
        Eval ev = Evaluate(cond, e->scope_key);
        if (!ev.error.empty()) return RaiseIncident(*e, "expression", "condition: " + ev.error, "complete");
        if (!ev.value.is_bool()) {
          return RaiseIncident(*e, "expression",
                               fmt::format("condition of flow {} is not a boolean: {}", p_.flow(f).id,
                                           ev.value.DebugString()),
                               "complete");
        }
        taken = ev.value.as_bool();
      }
      if (taken) {
        flows.push_back(f);
        if (exclusive) break;
      }
    }
    if (flows.empty() && n.default_flow != bpmn::kNoIndex) flows.push_back(n.default_flow);
    if (flows.empty() && !n.outgoing.empty()) {
      return RaiseIncident(*e, "no_outgoing_flow", "no condition of an outgoing sequence flow is true", "complete");
    }
  } else {
    flows = n.outgoing;
  }
  Json outputs = Json::object();
  if (body) {
    // The output mappings ran on each inner instance; the body hands on its output collection.
    const std::string& name = n.multi_instance->output_collection;
    if (!name.empty()) outputs[name] = e->data["mi"].value("out", Json::array());
  } else {
    for (const CompiledMapping& m : info.outputs) {
      Eval ev = Evaluate(m.source, key);
      if (!ev.error.empty()) return RaiseIncident(*e, "expression", "output mapping: " + ev.error, "complete");
      outputs[m.target] = feel::ValueToJson(ev.value);
    }
  }
  AW_TRY(ReleaseOwned(*e));
  int64_t scope = e->scope_key;
  st_.ApplyElementCompleted(key, n.id);
  st_.ApplyVariablesPropagated(scope, outputs);
  for (Index f : flows) {
    pending_[scope]++;
    queue_.push_back({Work::Kind::kActivate, p_.flow(f).target, scope, f, 0, {}});
  }
  if (flows.empty()) return ScopeMaybeDone(scope);
  return core::OkStatus();
}

core::Status BpmnProcessor::Terminate(int64_t key) {
  ElementInstance* e = st_.Element(key);
  if (e == nullptr) return core::OkStatus();
  for (int64_t c : st_.Children(key)) AW_TRY(Terminate(c));
  ClearJoins(key);
  AW_TRY(ReleaseOwned(*e));
  st_.ApplyElementTerminated(key, NodeId(e->node));
  return core::OkStatus();
}

void BpmnProcessor::ClearJoins(int64_t scope) {
  Json& joins = st_.JoinState();
  std::string prefix = fmt::format("{}:", scope);
  std::vector<std::string> drop;
  for (const auto& [k, v] : joins.items()) {
    if (k.starts_with(prefix)) drop.push_back(k);
  }
  for (const auto& k : drop) joins.erase(k);
  if (!drop.empty()) st_.MarkJoinsDirty();
}

bool BpmnProcessor::ScopeHasTokens(int64_t scope) {
  if (st_.HasChildren(scope) || pending_[scope] > 0) return true;
  std::string prefix = fmt::format("{}:", scope);
  for (const auto& [k, v] : st_.JoinState().items()) {
    if (k.starts_with(prefix)) return true;
  }
  return false;
}

core::Status BpmnProcessor::ScopeMaybeDone(int64_t scope) {
  if (ScopeHasTokens(scope)) return core::OkStatus();
  if (scope == 0) {
    if (st_.active()) {
      AW_TRY(CloseEventSubProcessStarts(0));
      st_.ApplyInstanceCompleted();
      instance_completed_ = true;
    }
    return core::OkStatus();
  }
  ElementInstance* e = st_.Element(scope);
  if (e != nullptr && e->state == "active") {
    queue_.push_back({Work::Kind::kComplete, e->node, e->scope_key, bpmn::kNoIndex, scope, {}});
  }
  return core::OkStatus();
}

// An inclusive join fires when no token of its scope can still reach one of its
// incoming flows that has none (Zeebe and the BPMN 2.0 spec, 13.3.2). Tokens
// are the live element instances of the scope (a sub-process counts with all
// its inner tokens) and the tokens waiting at other joins.
core::Status BpmnProcessor::CheckInclusiveJoins(bool* fired) {
  *fired = false;
  Json& joins = st_.JoinState();
  std::vector<std::string> keys;
  for (const auto& [k, v] : joins.items()) keys.push_back(k);
  for (const std::string& jk : keys) {
    size_t colon = jk.find(':');
    int64_t scope = std::stoll(jk.substr(0, colon));
    auto node = static_cast<Index>(std::stol(jk.substr(colon + 1)));
    const bpmn::FlowNode& n = p_.node(node);
    if (n.kind != NodeKind::kInclusiveGateway) continue;
    const Json& counts = joins[jk];
    std::vector<Index> missing;
    for (size_t i = 0; i < n.incoming.size(); ++i) {
      if (counts[i].get<int64_t>() == 0) missing.push_back(n.incoming[i]);
    }
    std::vector<Index> tokens;
    for (int64_t c : st_.Children(scope)) tokens.push_back(st_.Element(c)->node);
    for (const auto& [other, oc] : joins.items()) {
      if (other == jk || !other.starts_with(fmt::format("{}:", scope))) continue;
      tokens.push_back(static_cast<Index>(std::stol(other.substr(other.find(':') + 1))));
    }
    bool blocked = false;
    for (Index t : tokens) {
      for (Index f : missing) blocked = blocked || p_.CanReach(t, f);
    }
    if (blocked) continue;
    ConsumeJoin(jk);
    AW_TRY(ActivateElement(node, scope, nullptr));
    *fired = true;
    return core::OkStatus();
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::CatchError(int64_t thrower, const std::string& code, const std::string& message,
                                       const Json& vars) {
  int64_t k = thrower;
  while (k != 0) {
    ElementInstance* e = st_.Element(k);
    AW_ASSERT(e != nullptr, "error scope chain broken");
    const bpmn::FlowNode& n = p_.node(e->node);
    for (Index b : n.boundary_events) {
      if (e->data.contains("loop")) break;  // the body, next in the chain, has the boundary
      const NodeInfo& bi = p_.info(b);
      if (bi.trigger != Trigger::kError || (!bi.error_code.empty() && bi.error_code != code)) continue;
      int64_t scope = e->scope_key;
      st_.Record("error_caught", p_.node(b).id, k, Json{{"errorCode", code}});
      AW_TRY(Terminate(k));
      int64_t boundary_key = 0;
      AW_TRY(ActivateElement(b, scope, &boundary_key));
      if (ElementInstance* be = st_.Element(boundary_key)) SetResultVariables(*be, vars);
      return core::OkStatus();
    }
    // Then an error event sub-process of the scope around `e` (as Zeebe: the
    // nearest catch up the scopes; not a sibling of an event sub-process that threw).
    if (!n.triggered_by_event) {
      Index start = FindEventSubProcessStart(BpmnScopeOf(e->scope_key), Trigger::kError, code);
      if (start != bpmn::kNoIndex) {
        st_.Record("error_caught", p_.node(start).id, e->scope_key, Json{{"errorCode", code}});
        return TriggerEventSubProcess(e->scope_key, start, vars);
      }
    }
    k = e->scope_key;
  }
  if (!st_.parent_instance_id().empty()) {
    // Not caught in this instance: it ends and the error is thrown at its
    // call activity (Engine hands it over after this instance is written).
    st_.Record("error_escalated", p_.process_id(), 0, Json{{"errorCode", code}, {"message", message}});
    for (int64_t c : st_.Children(0)) AW_TRY(Terminate(c));
    AW_TRY(CloseEventSubProcessStarts(0));
    st_.JoinState() = Json::object();
    st_.MarkJoinsDirty();
    pending_.clear();
    st_.ApplyInstanceTerminated();
    escalated_ = Escalation{code, message, vars.is_object() ? vars : Json::object()};
    return core::OkStatus();
  }
  ElementInstance* e = st_.Element(thrower);
  return RaiseIncident(*e, "unhandled_error",
                       fmt::format("error '{}' was not caught{}{}", code, message.empty() ? "" : ": ", message),
                       "execute");
}

// --- Rows an element owns ------------------------------------------------------

core::Status BpmnProcessor::CreateJob(ElementInstance& e) {
  const bpmn::FlowNode& n = p_.node(e.node);
  const NodeInfo& info = p_.info(e.node);
  Eval type = Evaluate(info.task_type, e.key);
  if (!type.error.empty() || !type.value.is_string()) {
    return RaiseIncident(e, "expression", "job type: " + (type.error.empty() ? "not a string" : type.error), "execute");
  }
  int64_t retries = 3;
  if (info.retries.present()) {
    Eval r = Evaluate(info.retries, e.key);
    std::optional<std::string> text = r.error.empty() ? AsText(r.value) : std::nullopt;
    char* end = nullptr;
    long long parsed = text ? std::strtoll(text->c_str(), &end, 10) : 0;
    if (!text || end == text->c_str() || *end != '\0' || parsed < 0) {
      return RaiseIncident(e, "expression", "retries: not a whole number", "execute");
    }
    retries = parsed;
  }
  Json headers = Json::object();
  for (const bpmn::KeyValue& kv : n.ext.headers) headers[kv.key] = kv.value;
  std::string job_id = core::NewId();
  Json chain = st_.ScopeChain(e.key);
  const std::string& job_type = type.value.as_string();
  // Pushed to an in-process worker: created activated, locked for it until
  // the deadline (available_at), exactly as ActivateJobs would have left it;
  // if the worker never completes it, the lock runs out and any worker can
  // activate it. Saves the activation's UPDATE and its variable reads.
  std::optional<core::Timestamp> push = calls_ != nullptr ? calls_->PushDeadline(job_type, st_.now()) : std::nullopt;
  int64_t created_at = core::ToUnixMillis(st_.now());
  AW_TRY(tx_.Exec("INSERT INTO engine_jobs (tenant_id, job_id, instance_id, element_key, element_id, type, state, "
                  "retries, available_at, worker, error_message, headers, scope_chain, created_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12, $13)",
                  {st_.tenant(), job_id, st_.instance_id(), e.key, n.id, job_type,
                   push ? "activated" : "activatable", retries, push ? core::ToUnixMillis(*push) : created_at,
                   push ? store::Value("in-process") : store::Value(), core::DumpJson(headers), core::DumpJson(chain),
                   created_at}));
  if (push) {
    calls_->JobPushed(st_.tenant(), job_id, job_type, st_.instance_id(), n.id, e.key, retries, *push,
                      st_.VisibleVariables(e.key), headers);
  }
  e.data["job"] = job_id;
  e.dirty = true;
  st_.Record("job_created", n.id, e.key, Json{{"jobId", job_id}, {"type", type.value.as_string()}, {"retries", retries}});
  return core::OkStatus();
}

core::Status BpmnProcessor::CreateUserTask(ElementInstance& e) {
  const bpmn::FlowNode& n = p_.node(e.node);
  const NodeInfo& info = p_.info(e.node);
  store::Value assignee;
  Json groups = Json::array();
  Json users = Json::array();
  store::Value due;
  store::Value follow_up;
  if (info.assignee.present()) {
    Eval a = Evaluate(info.assignee, e.key);
    if (!a.error.empty()) return RaiseIncident(e, "expression", "assignee: " + a.error, "execute");
    if (auto t = AsText(a.value)) assignee = *t;
  }
  for (auto [expr, out, what] : {std::tuple{&info.candidate_groups, &groups, "candidate groups"},
                                 std::tuple{&info.candidate_users, &users, "candidate users"}}) {
    if (!expr->present()) continue;
    Eval v = Evaluate(*expr, e.key);
    if (!v.error.empty()) return RaiseIncident(e, "expression", std::string(what) + ": " + v.error, "execute");
    for (auto& s : AsTextList(v.value)) out->push_back(s);
  }
  for (auto [expr, out, what] : {std::tuple{&info.due_date, &due, "due date"},
                                 std::tuple{&info.follow_up_date, &follow_up, "follow-up date"}}) {
    if (!expr->present()) continue;
    Eval v = Evaluate(*expr, e.key);
    if (!v.error.empty()) return RaiseIncident(e, "expression", std::string(what) + ": " + v.error, "execute");
    if (v.value.is_null()) continue;
    std::optional<std::string> text = AsText(v.value);
    auto t = text ? core::ParseIso8601(*text) : core::Result<core::Timestamp>(core::InvalidArgument("not a date"));
    if (!t.ok()) {
      return RaiseIncident(e, "expression", fmt::format("{}: not a date-time with offset: {}", what, v.value.DebugString()),
                           "execute");
    }
    *out = core::ToUnixMillis(*t);
  }
  std::string form_key = !n.ext.form_key.empty() ? n.ext.form_key : n.ext.form_id;
  std::string task_id = core::NewId();
  AW_TRY(tx_.Exec("INSERT INTO engine_user_tasks (tenant_id, task_id, instance_id, element_key, element_id, name, "
                  "assignee, candidate_groups, candidate_users, due_at, follow_up_at, form_key, created_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                  {st_.tenant(), task_id, st_.instance_id(), e.key, n.id, n.name, assignee, core::DumpJson(groups),
                   core::DumpJson(users), due, follow_up, form_key, core::ToUnixMillis(st_.now())}));
  e.data["task"] = task_id;
  e.dirty = true;
  Json created{{"taskId", task_id}, {"candidateGroups", groups}, {"candidateUsers", users}};
  // analytics/ finds deadline breaches with it after the task row is gone.
  if (!due.is_null()) created["dueAt"] = core::FormatIso8601(core::FromUnixMillis(due.AsInt()));
  st_.Record("user_task_created", n.id, e.key, std::move(created));
  if (!assignee.is_null()) st_.Record("user_task_assigned", n.id, e.key, Json{{"taskId", task_id}, {"assignee", assignee.AsText()}});
  return core::OkStatus();
}

core::Status BpmnProcessor::CreateTimer(ElementInstance& e, Index event_node, bool* failed) {
  const NodeInfo& info = p_.info(event_node);
  const bpmn::FlowNode& ev = p_.node(event_node);
  Eval v = Evaluate(info.timer, e.key);
  std::optional<std::string> text = v.error.empty() ? AsText(v.value) : std::nullopt;
  core::Result<TimerSchedule> sched = core::InvalidArgument(v.error.empty() ? "timer is not a text" : v.error);
  if (text) {
    switch (info.timer_kind) {
      case bpmn::TimerKind::kDate: sched = ParseTimerDate(*text); break;
      case bpmn::TimerKind::kDuration: sched = ParseTimerDuration(*text, st_.now()); break;
      case bpmn::TimerKind::kCycle: sched = ParseTimerCycle(*text, st_.now()); break;
      case bpmn::TimerKind::kNone: sched = core::InvalidArgument("timer without definition"); break;
    }
  }
  if (!sched.ok()) {
    *failed = true;
    return RaiseIncident(e, "expression", fmt::format("timer of {}: {}", ev.id, sched.error().message()), "execute");
  }
  std::string timer_id = core::NewId();
  AW_TRY(tx_.Exec("INSERT INTO engine_timers (tenant_id, timer_id, instance_id, element_key, element_index, element_id, "
                  "definition_key, due_at, repetitions, cycle) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  {st_.tenant(), timer_id, st_.instance_id(), e.key, event_node, ev.id, st_.definition_key(),
                   core::ToUnixMillis(sched->due), sched->repetitions,
                   info.timer_kind == bpmn::TimerKind::kCycle ? FormatIsoDuration(sched->interval) : std::string()}));
  e.data["timers"].push_back(timer_id);
  e.dirty = true;
  st_.Record("timer_created", ev.id, e.key, Json{{"timerId", timer_id}, {"dueAt", core::FormatIso8601(sched->due)}});
  return core::OkStatus();
}

core::Status BpmnProcessor::OpenSubscription(ElementInstance& e, Index event_node, bool* failed, bool* correlated,
                                             Json* message_vars) {
  const NodeInfo& info = p_.info(event_node);
  const bpmn::FlowNode& ev = p_.node(event_node);
  Eval name = Evaluate(info.message_name, e.key);
  Eval key = Evaluate(info.correlation_key, e.key);
  std::optional<std::string> name_text = name.error.empty() ? AsText(name.value) : std::nullopt;
  std::optional<std::string> key_text = key.error.empty() ? AsText(key.value) : std::nullopt;
  if (!name_text || !key_text) {
    *failed = true;
    std::string why = !name_text ? "message name: " + (name.error.empty() ? "not a text" : name.error)
                                 : "correlation key: " + (key.error.empty() ? "not a text or number" : key.error);
    return RaiseIncident(e, "expression", why, "execute");
  }
  // A message published before we got here waits in the buffer until its TTL.
  std::string_view sql = tx_.dialect() == store::Dialect::kPostgres
      ? "SELECT message_id, variables FROM engine_messages WHERE tenant_id = $1 AND name = $2 AND "
        "correlation_key = $3 AND expires_at > $4 ORDER BY published_at, message_id LIMIT 1 FOR UPDATE SKIP LOCKED"
      : "SELECT message_id, variables FROM engine_messages WHERE tenant_id = $1 AND name = $2 AND "
        "correlation_key = $3 AND expires_at > $4 ORDER BY published_at, message_id LIMIT 1";
  AW_ASSIGN_OR_RETURN(auto buffered, tx_.QueryOne(sql, {st_.tenant(), *name_text, *key_text,
                                                        core::ToUnixMillis(st_.now())}));
  if (buffered) {
    std::string message_id = buffered->Text(0);
    AW_TRY(tx_.Exec("DELETE FROM engine_messages WHERE tenant_id = $1 AND message_id = $2", {st_.tenant(), message_id}));
    auto vars = core::ParseJson(buffered->Text(1));
    *message_vars = vars.ok() ? std::move(*vars) : Json::object();
    *correlated = true;
    st_.Record("message_correlated", ev.id, e.key,
               Json{{"messageId", message_id}, {"name", *name_text}, {"correlationKey", *key_text}, {"buffered", true}});
    return core::OkStatus();
  }
  std::string sub_id = core::NewId();
  AW_TRY(tx_.Exec("INSERT INTO engine_subscriptions (tenant_id, subscription_id, kind, name, correlation_key, "
                  "instance_id, element_key, element_index, element_id, definition_key) "
                  "VALUES ($1, $2, 'message', $3, $4, $5, $6, $7, $8, $9)",
                  {st_.tenant(), sub_id, *name_text, *key_text, st_.instance_id(), e.key, event_node, ev.id,
                   st_.definition_key()}));
  e.data["subs"].push_back(sub_id);
  e.dirty = true;
  st_.Record("message_subscription_opened", ev.id, e.key,
             Json{{"subscriptionId", sub_id}, {"name", *name_text}, {"correlationKey", *key_text}});
  return core::OkStatus();
}

core::Status BpmnProcessor::SubscribeBoundaries(ElementInstance& e, bool* failed) {
  if (e.data.contains("loop")) return core::OkStatus();  // boundary events belong to the multi-instance body
  for (Index b : p_.node(e.node).boundary_events) {
    Trigger t = p_.info(b).trigger;
    if (t == Trigger::kTimer) {
      AW_TRY(CreateTimer(e, b, failed));
    } else if (t == Trigger::kMessage) {
      bool correlated = false;
      Json vars;
      AW_TRY(OpenSubscription(e, b, failed, &correlated, &vars));
      if (correlated) queue_.push_back({Work::Kind::kTrigger, b, 0, bpmn::kNoIndex, e.key, std::move(vars)});
    } else if (t == Trigger::kSignal) {
      AW_TRY(OpenSignalSubscription(e, b, failed));
    }
    if (*failed) return core::OkStatus();
  }
  return core::OkStatus();
}

core::Status BpmnProcessor::ReleaseOwned(ElementInstance& e) {
  const std::string& tenant = st_.tenant();
  if (e.data.contains("job")) {
    AW_TRY(tx_.Exec("DELETE FROM engine_jobs WHERE tenant_id = $1 AND job_id = $2", {tenant, e.data["job"].get<std::string>()}));
    if (calls_ != nullptr) calls_->JobDeleted(e.data["job"].get<std::string>());
    e.data.erase("job");
  }
  if (e.data.contains("task")) {
    AW_TRY(tx_.Exec("DELETE FROM engine_user_tasks WHERE tenant_id = $1 AND task_id = $2",
                    {tenant, e.data["task"].get<std::string>()}));
    e.data.erase("task");
  }
  if (e.data.contains("timers")) {
    for (const Json& id : e.data["timers"]) {
      AW_TRY(tx_.Exec("DELETE FROM engine_timers WHERE tenant_id = $1 AND timer_id = $2", {tenant, id.get<std::string>()}));
    }
    e.data.erase("timers");
  }
  if (e.data.contains("subs")) {
    for (const Json& id : e.data["subs"]) {
      AW_TRY(tx_.Exec("DELETE FROM engine_subscriptions WHERE tenant_id = $1 AND subscription_id = $2",
                      {tenant, id.get<std::string>()}));
    }
    e.data.erase("subs");
  }
  if (e.data.contains("child")) {
    std::string child = e.data["child"].get<std::string>();
    e.data.erase("child");
    if (calls_ == nullptr) return core::Internal("call activity left without a call context");
    AW_TRY(calls_->CancelChild(tx_, st_.tenant(), child));
  }
  if (e.data.contains("incident")) {
    std::string id = e.data["incident"].get<std::string>();
    AW_TRY(tx_.Exec("DELETE FROM engine_incidents WHERE tenant_id = $1 AND incident_id = $2", {tenant, id}));
    st_.Record("incident_resolved", NodeId(e.node), e.key, Json{{"incidentId", id}});
    e.data.erase("incident");
  }
  e.dirty = true;
  return core::OkStatus();
}

core::Status BpmnProcessor::RaiseIncident(ElementInstance& e, const std::string& kind, const std::string& message,
                                          const std::string& stage) {
  std::string id = core::NewId();
  const std::string& element_id = NodeId(e.node);
  AW_TRY(tx_.Exec("INSERT INTO engine_incidents (tenant_id, incident_id, instance_id, element_key, element_id, kind, "
                  "message, job_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
                  {st_.tenant(), id, st_.instance_id(), e.key, element_id, kind, message,
                   core::ToUnixMillis(st_.now())}));
  e.state = "failed";
  e.data["incident"] = id;
  e.data["stage"] = stage;
  e.dirty = true;
  st_.Record("incident_raised", element_id, e.key, Json{{"incidentId", id}, {"kind", kind}, {"message", message}});
  return core::OkStatus();
}

}  // namespace amtsweg::engine

namespace amtsweg::engine {

core::Status BpmnProcessor::EvaluateDecisionTask(ElementInstance& e) {
  const bpmn::FlowNode& n = p_.node(e.node);
  const NodeInfo& info = p_.info(e.node);
  int64_t key = e.key;
  Eval id = Evaluate(info.called_decision, key);
  std::optional<std::string> decision_id = id.error.empty() ? AsText(id.value) : std::nullopt;
  if (!decision_id || decision_id->empty()) {
    return RaiseIncident(e, "expression", "called decision: " + (id.error.empty() ? "not a text" : id.error), "execute");
  }
  if (calls_ == nullptr) return core::Internal("business rule task " + n.id + " run without a call context");
  auto out = calls_->EvaluateDecision(tx_, st_.tenant(), *decision_id, st_.VisibleVariables(key));
  if (!out.ok()) {
    if (out.error().code() != core::ErrorCode::kNotFound) return std::move(out).error();
    return RaiseIncident(e, "decision", out.error().message(), "execute");
  }
  std::string where = fmt::format("decision '{}' (version {})", out->decision_id, out->version);
  if (!out->ok) return RaiseIncident(e, "decision", where + ": " + out->failure, "execute");
  Json result;
  const std::string& mapping = info.decision_result_mapping;
  const Json& rows = out->rule_results;
  auto refuse = [&](const std::string& why) {
    return RaiseIncident(e, "decision", fmt::format("{}: mapDecisionResult {}: {}", where, mapping, why), "execute");
  };
  if (mapping.empty()) {
    result = out->value;
  } else if (mapping == "resultList") {
    result = rows;
  } else if (mapping == "collectEntries") {
    result = Json::array();
    for (const Json& row : rows) {
      if (row.size() != 1) return refuse(fmt::format("a rule result has {} entries, not one", row.size()));
      result.push_back(row.begin().value());
    }
  } else {  // singleResult, singleEntry
    if (rows.size() > 1) return refuse(fmt::format("{} rule results, not at most one", rows.size()));
    if (rows.empty()) {
      result = nullptr;
    } else if (mapping == "singleResult") {
      result = rows[0];
    } else if (rows[0].size() != 1) {
      return refuse(fmt::format("the rule result has {} entries, not one", rows[0].size()));
    } else {
      result = rows[0].begin().value();
    }
  }
  st_.Record("decision_evaluated", n.id, key,
             Json{{"decisionId", out->decision_id}, {"version", out->version},
                  {"definitionKey", out->definition_key}, {"result", result}});
  if (!info.result_variable.empty()) SetResultVariables(e, Json{{info.result_variable, std::move(result)}});
  queue_.push_back({Work::Kind::kComplete, e.node, e.scope_key, bpmn::kNoIndex, key, {}});
  return core::OkStatus();
}

core::Status BpmnProcessor::ApplyCallOutputs(ElementInstance& e, const Json& child_vars) {
  // Camunda 7: only what camunda:out maps comes back; local="true" keeps it on
  // the call activity (for its output mappings), else it propagates outward.
  Json propagated = Json::object();
  Json local = Json::object();
  const Json& from = child_vars.is_object() ? child_vars : Json::object();
  for (const CallMapping& m : p_.info(e.node).call_outputs) {
    Json& to = m.local ? local : propagated;
    if (m.all) {
      for (const auto& [name, value] : from.items()) to[name] = value;
    } else if (!m.variable.empty()) {
      to[m.target] = from.contains(m.variable) ? from[m.variable] : Json(nullptr);
    } else {
      feel::Value v;
      std::string error = EvaluateWith(m.source, from, &v);
      if (!error.empty()) {
        e.data["childResult"] = from;  // a retry maps them again
        return RaiseIncident(e, "expression", "camunda:out to '" + m.target + "': " + error, "complete");
      }
      to[m.target] = feel::ValueToJson(v);
    }
  }
  for (const auto& [name, value] : local.items()) st_.ApplyVariableSet(e.key, name, value);
  st_.ApplyVariablesPropagated(e.key, propagated);
  return core::OkStatus();
}

}  // namespace amtsweg::engine
