#include "engine/look_ahead.h"

#include <deque>
#include <set>

#include <fmt/format.h>

#include "engine/bpmn_processor.h"
#include "engine/engine.h"
#include "feel/json_value.h"
#include "store/database.h"

namespace amtsweg::engine {

using bpmn::Index;
using bpmn::NodeKind;
using core::Json;

namespace {

struct Evaluated {
  feel::Value value;
  std::string error;  // empty: fine
};

Evaluated Eval(const Expr& e, const Json& vars) {
  Evaluated out;
  out.error = EvaluateWith(e, vars, &out.value);
  return out;
}

std::string Describe(const bpmn::FlowNode& n) {
  return fmt::format("{} {}", bpmn::NodeKindName(n.kind), n.id);
}

void Note(LookAhead& out, std::string reason) {
  if (out.undetermined.empty()) out.undetermined = std::move(reason);
}

}  // namespace

LookAhead WalkFrom(const CompiledProcess& cp, Index from, const Json& start_vars, int max_nodes) {
  LookAhead out;
  Json vars = start_vars.is_object() ? start_vars : Json::object();
  // Tokens: nodes to enter. A node is entered once (loops end the walk there).
  std::deque<Index> frontier;
  std::set<Index> seen;
  auto follow_all = [&](const bpmn::FlowNode& n) {
    for (Index f : n.outgoing) frontier.push_back(cp.flow(f).target);
  };
  auto take_gateway = [&](const bpmn::FlowNode& n) {
    bool exclusive = n.kind == NodeKind::kExclusiveGateway;
    std::vector<Index> taken;
    for (Index f : n.outgoing) {
      if (f == n.default_flow) continue;
      const Expr& cond = cp.condition(f);
      bool take = true;
      if (cond.present()) {
        Evaluated ev = Eval(cond, vars);
        if (!ev.error.empty()) {
          Note(out, fmt::format("condition of flow {} at {}: {}", cp.flow(f).id, n.id, ev.error));
          return;
        }
        if (!ev.value.is_bool()) {
          Note(out, fmt::format("condition of flow {} at {} is not a boolean: {}", cp.flow(f).id, n.id,
                                ev.value.DebugString()));
          return;
        }
        take = ev.value.as_bool();
      }
      if (take) {
        taken.push_back(f);
        if (exclusive) break;
      }
    }
    if (taken.empty() && n.default_flow != bpmn::kNoIndex) taken.push_back(n.default_flow);
    if (taken.empty()) {
      Note(out, fmt::format("no outgoing flow of {} is taken", n.id));
      return;
    }
    for (Index f : taken) frontier.push_back(cp.flow(f).target);
  };

  // The task itself is done: its outgoing flows are where the token goes.
  follow_all(cp.node(from));
  seen.insert(from);
  int visited = 0;
  while (!frontier.empty()) {
    Index i = frontier.front();
    frontier.pop_front();
    if (!seen.insert(i).second) continue;
    if (++visited > max_nodes) {
      Note(out, fmt::format("stopped after {} elements", max_nodes));
      break;
    }
    const bpmn::FlowNode& n = cp.node(i);
    const NodeInfo& info = cp.info(i);
    switch (n.kind) {
      case NodeKind::kExclusiveGateway:
      case NodeKind::kInclusiveGateway:
        take_gateway(n);
        break;
      case NodeKind::kParallelGateway:
        follow_all(n);
        break;
      case NodeKind::kServiceTask:
      case NodeKind::kSendTask:
      case NodeKind::kScriptTask:
        if (info.script.present()) {
          Evaluated ev = Eval(info.script, vars);
          if (!ev.error.empty()) {
            Note(out, fmt::format("script of {}: {}", n.id, ev.error));
            break;
          }
          if (!info.result_variable.empty()) vars[info.result_variable] = feel::ValueToJson(ev.value);
          follow_all(n);
          break;
        }
        if (info.task_type.present()) {
          LookAheadTask t;
          t.element_id = n.id;
          t.name = n.name;
          t.kind = bpmn::NodeKindName(n.kind);
          Evaluated type = Eval(info.task_type, vars);
          if (type.error.empty() && type.value.is_string()) t.type = type.value.as_string();
          for (const bpmn::KeyValue& h : n.ext.headers) t.headers[h.key] = h.value;
          out.tasks.push_back(std::move(t));
        }
        follow_all(n);
        break;
      case NodeKind::kTask:
      case NodeKind::kManualTask:
        follow_all(n);
        break;
      case NodeKind::kIntermediateThrowEvent:
        if (info.trigger == Trigger::kLink && info.link_target != bpmn::kNoIndex) {
          frontier.push_back(info.link_target);
        } else {
          follow_all(n);
        }
        break;
      case NodeKind::kSubProcess: {
        Index start = n.inner_scope == bpmn::kNoIndex ? bpmn::kNoIndex : cp.NoneStart(n.inner_scope);
        if (start == bpmn::kNoIndex || n.multi_instance) {
          out.waits.push_back(Describe(n));
        } else {
          seen.insert(start);
          follow_all(cp.node(start));
        }
        break;
      }
      case NodeKind::kEndEvent: {
        // The end of a sub-process hands the token on to the sub-process's outgoing flows.
        Index container = cp.process().scopes[static_cast<size_t>(n.scope)].node;
        out.waits.push_back(Describe(n));
        if (container != bpmn::kNoIndex && info.trigger == Trigger::kNone) follow_all(cp.node(container));
        break;
      }
      case NodeKind::kBusinessRuleTask:
        out.waits.push_back(Describe(n));
        Note(out, fmt::format("the decision of {} decides what follows", n.id));
        break;
      default:  // user and receive tasks, catch events, event-based gateways, call activities
        out.waits.push_back(Describe(n));
        break;
    }
  }
  return out;
}

core::Result<Json> VariablesAfterCompletion(const CompiledProcess& cp, Index task, const Json& visible,
                                            const Json& completion) {
  Json merged = visible.is_object() ? visible : Json::object();
  if (completion.is_object()) {
    for (auto it = completion.begin(); it != completion.end(); ++it) merged[it.key()] = it.value();
  }
  const NodeInfo& info = cp.info(task);
  if (info.outputs.empty()) return merged;
  // With output mappings the completion's variables stay local to the task;
  // only the mappings' targets reach the scope that continues.
  Json after = visible.is_object() ? visible : Json::object();
  for (const CompiledMapping& m : info.outputs) {
    Evaluated ev = Eval(m.source, merged);
    if (!ev.error.empty()) {
      return core::InvalidArgument(fmt::format("output mapping {} of {}: {}", m.target, cp.node(task).id, ev.error));
    }
    after[m.target] = feel::ValueToJson(ev.value);
  }
  return after;
}

core::Result<LookAhead> LookAheadFromUserTask(Engine& engine, store::Database& db, std::string_view tenant,
                                              std::string_view task_id, const Json& completion) {
  AW_ASSIGN_OR_RETURN(UserTask task, engine.GetUserTask(tenant, task_id));
  return LookAheadFromUserTask(engine, db, tenant, task, completion);
}

core::Result<LookAhead> LookAheadFromUserTask(Engine& engine, store::Database& db, std::string_view tenant,
                                              const UserTask& task, const Json& completion) {
  AW_ASSIGN_OR_RETURN(InstanceInfo instance, engine.GetInstance(tenant, task.instance_id));
  AW_ASSIGN_OR_RETURN(auto defs, engine.ListDefinitions(tenant, DefinitionFilter{.kind = "process",
                                                                                 .id = instance.process_id}));
  std::string key;
  for (const DefinitionInfo& d : defs) {
    if (d.version == instance.version) key = d.definition_key;
  }
  if (key.empty()) {
    return core::NotFound(fmt::format("no definition of process {} version {}", instance.process_id, instance.version));
  }
  AW_ASSIGN_OR_RETURN(auto cp, db.Read([&](store::Tx& tx) { return engine.Process(tx, tenant, key); }));
  Index node = cp->process().FindNode(task.element_id);
  if (node == bpmn::kNoIndex) return core::NotFound(fmt::format("no element {} in the model", task.element_id));
  AW_ASSIGN_OR_RETURN(Json vars, VariablesAfterCompletion(*cp, node, instance.variables, completion));
  return WalkFrom(*cp, node, vars);
}

}  // namespace amtsweg::engine
