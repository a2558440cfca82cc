// Engine, signals: broadcast to a tenant, signal start event registrations.
//
// A broadcast is part of one writer command. Waiting signal catches are rows of
// engine_subscriptions (kind 'signal', element_key = owner); signal start events
// are rows with instance_id '' for the latest version of their process. The
// instances a broadcast reaches are loaded (PostgreSQL: locked) in instance id
// order, one after the other, each written before the next is loaded. A signal
// thrown inside a command is broadcast after the thrower's step is written
// (Engine::Finish), in the same transaction, so it is durable with the command.
#include <fmt/format.h>

#include "core/id.h"
#include "engine/engine.h"
#include "engine/instance_state.h"

namespace amtsweg::engine {

using core::Json;
using store::Row;
using store::Tx;

namespace {

// Broadcasts that trigger instances that throw again nest; a signal start
// event whose process throws the same signal would otherwise never end.
constexpr int kMaxSignalDepth = 8;

struct DepthGuard {
  int& depth;
  explicit DepthGuard(int& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
};

}  // namespace

core::Result<SignalResult> Engine::BroadcastSignal(std::string_view tenant_view, std::string_view name_view,
                                                   const Json& variables) {
  if (!variables.is_object()) return core::InvalidArgument("variables must be a JSON object");
  std::string tenant(tenant_view), name(name_view);
  if (name.empty()) return core::InvalidArgument("signal name must not be empty");
  return db_.writer().Write([&](Tx& tx) -> core::Result<SignalResult> {
    SignalResult result;
    AW_TRY(BroadcastInTx(tx, tenant, name, variables, &result));
    return result;
  });
}

core::Status Engine::BroadcastThrown(Tx& tx, const std::string& tenant, const std::vector<ThrownSignal>& signals) {
  for (const ThrownSignal& s : signals) {
    SignalResult ignored;
    AW_TRY(BroadcastInTx(tx, tenant, s.name, s.variables, &ignored));
  }
  return core::OkStatus();
}

core::Status Engine::BroadcastInTx(Tx& tx, const std::string& tenant, const std::string& name, const Json& variables,
                                   SignalResult* result) {
  if (signal_depth_ >= kMaxSignalDepth) {
    return core::FailedPrecondition(fmt::format(
        "signal '{}': broadcasts nest deeper than {} levels (does a process throw the signal that starts it?)", name,
        kMaxSignalDepth));
  }
  DepthGuard guard(signal_depth_);
  // A snapshot: catches opened and instances started by this broadcast do not receive it.
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT subscription_id, instance_id, element_key, element_index, "
                                          "definition_key FROM engine_subscriptions WHERE tenant_id = $1 AND "
                                          "kind = 'signal' AND name = $2 AND correlation_key = '' "
                                          "ORDER BY instance_id, subscription_id",
                                          {tenant, name}));
  core::Timestamp now = Now();
  size_t i = 0;
  while (i < rows.size()) {
    std::string instance_id = rows[i].Text(1);
    size_t end = i;
    while (end < rows.size() && rows[end].Text(1) == instance_id) ++end;
    if (instance_id.empty()) {  // signal start events, handled below
      i = end;
      continue;
    }
    AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, instance_id));
    if (st->active()) {
      st->set_now(now);
      AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, st->definition_key()));
      BpmnProcessor proc(tx, *st, *cp, this);
      for (size_t r = i; r < end; ++r) {
        // An earlier trigger of this broadcast may have removed it (an interrupting catch).
        AW_ASSIGN_OR_RETURN(auto still, tx.QueryOne("SELECT 1 FROM engine_subscriptions WHERE tenant_id = $1 AND "
                                                    "subscription_id = $2",
                                                    {tenant, rows[r].Text(0)}));
        if (!still) continue;
        auto node = static_cast<bpmn::Index>(rows[r].Int(3));
        st->Record("signal_received", cp->node(node).id, rows[r].Int(2), Json{{"name", name}});
        AW_TRY(proc.TriggerEvent(rows[r].Int(2), node, variables));
        result->triggered_catch_events++;
      }
      AW_TRY(Finish(tx, *st, proc));
    }
    i = end;
  }
  for (const Row& r : rows) {
    if (!r.Text(1).empty()) continue;
    AW_ASSIGN_OR_RETURN(auto cp, Process(tx, tenant, r.Text(4)));
    auto start = static_cast<bpmn::Index>(r.Int(3));
    std::string instance_id = core::NewId();
    auto st = InstanceState::Create(tenant, instance_id, *cp, now);
    BpmnProcessor proc(tx, *st, *cp, this);
    AW_TRY(proc.StartAtEvent(start, variables));
    st->Record("signal_received", cp->node(start).id, 0, Json{{"name", name}});
    AW_TRY(Finish(tx, *st, proc));
    result->started_instances++;
  }
  return core::OkStatus();
}

core::Status Engine::RegisterSignalStarts(Tx& tx, const std::string& tenant, const CompiledProcess& process) {
  // Registrations follow the latest version: those of earlier versions go.
  AW_TRY(tx.Exec("DELETE FROM engine_subscriptions WHERE tenant_id = $1 AND kind = 'signal' AND instance_id = '' AND "
                 "definition_key IN (SELECT definition_key FROM engine_definitions WHERE tenant_id = $1 AND "
                 "kind = 'process' AND definition_id = $2)",
                 {tenant, process.process_id()}));
  for (bpmn::Index start : process.SignalStarts()) {
    AW_TRY(tx.Exec("INSERT INTO engine_subscriptions (tenant_id, subscription_id, kind, name, correlation_key, "
                   "instance_id, element_key, element_index, element_id, definition_key) "
                   "VALUES ($1, $2, 'signal', $3, '', '', 0, $4, $5, $6)",
                   {tenant, core::NewId(), process.info(start).signal_name.text, start, process.node(start).id,
                    process.definition_key()}));
  }
  return core::OkStatus();
}

}  // namespace amtsweg::engine
