// User-task operations inside a caller's write command (declared in engine.h,
// "Inside a caller's command"): the case workspace (cases/) claims, assigns,
// completes and re-routes tasks in the same transaction as its own rows and
// audit entries. Kept apart from engine.cc, whose internals change for speed.
#include <fmt/format.h>

#include "engine/engine.h"
#include "engine/instance_state.h"

namespace amtsweg::engine {

using core::Json;
using store::Row;
using store::Tx;

namespace {

constexpr std::string_view kCols =
    "SELECT task_id, instance_id, element_id, name, assignee, candidate_groups, candidate_users, "
    "due_at, follow_up_at, form_key, created_at, element_key FROM engine_user_tasks ";

core::Result<std::vector<std::string>> StringArray(const std::string& text) {
  AW_ASSIGN_OR_RETURN(Json j, core::ParseJson(text));
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

core::Result<UserTask> FromRow(const Row& r) {
  UserTask t;
  t.task_id = r.Text(0);
  t.instance_id = r.Text(1);
  t.element_id = r.Text(2);
  t.name = r.Text(3);
  if (!r.IsNull(4)) t.assignee = r.Text(4);
  AW_ASSIGN_OR_RETURN(t.candidate_groups, StringArray(r.Text(5)));
  AW_ASSIGN_OR_RETURN(t.candidate_users, StringArray(r.Text(6)));
  if (!r.IsNull(7)) t.due = core::FromUnixMillis(r.Int(7));
  if (!r.IsNull(8)) t.follow_up = core::FromUnixMillis(r.Int(8));
  t.form_key = r.Text(9);
  t.created = core::FromUnixMillis(r.Int(10));
  return t;
}

}  // namespace

core::Result<UserTask> Engine::GetUserTaskInTx(Tx& tx, std::string_view tenant, std::string_view task_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kCols) + "WHERE tenant_id = $1 AND task_id = $2",
                                            {tenant, task_id}));
  if (!row) return core::NotFound(fmt::format("no user task {}", task_id));
  return FromRow(*row);
}

core::Result<std::vector<UserTask>> Engine::UserTasksOfInstancesInTx(Tx& tx, std::string_view tenant,
                                                                     const std::vector<std::string>& instance_ids) {
  std::vector<UserTask> out;
  for (const auto& id : instance_ids) {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kCols) +
                                                "WHERE tenant_id = $1 AND instance_id = $2 ORDER BY created_at, task_id",
                                            {tenant, id}));
    for (const Row& r : rows) {
      AW_ASSIGN_OR_RETURN(UserTask t, FromRow(r));
      out.push_back(std::move(t));
    }
  }
  return out;
}

core::Status Engine::AssignUserTaskInTx(Tx& tx, std::string_view tenant_view, std::string_view task_view,
                                        std::optional<std::string> assignee, bool take_over) {
  std::string tenant(tenant_view), task_id(task_view);
  if (assignee && assignee->empty()) return core::InvalidArgument("assignee must not be empty");
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT instance_id, element_key, element_id, assignee FROM "
                                            "engine_user_tasks WHERE tenant_id = $1 AND task_id = $2",
                                            {tenant, task_id}));
  if (!row) return core::NotFound("no user task " + task_id);
  std::optional<std::string> held;
  if (!row->IsNull(3)) held = row->Text(3);
  if (held == assignee) return core::OkStatus();  // nothing changes, nothing recorded
  if (assignee && held && !take_over) {
    return core::FailedPrecondition(fmt::format("user task {} is assigned to {}", task_id, *held));
  }
  store::Value v = assignee ? store::Value(*assignee) : store::Value();
  AW_TRY(tx.Exec("UPDATE engine_user_tasks SET assignee = $3 WHERE tenant_id = $1 AND task_id = $2",
                 {tenant, task_id, v}));
  AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, row->Text(0)));
  st->set_now(Now());
  if (assignee) {
    st->Record("user_task_assigned", row->Text(2), row->Int(1), Json{{"taskId", task_id}, {"assignee", *assignee}});
  } else {
    st->Record("user_task_unassigned", row->Text(2), row->Int(1), Json{{"taskId", task_id}});
  }
  return st->Flush(tx);
}

core::Status Engine::CompleteUserTaskWithinTx(Tx& tx, std::string_view tenant, std::string_view task_id,
                                              const Json& variables) {
  if (!variables.is_object()) return core::InvalidArgument("variables must be a JSON object");
  return CompleteUserTaskInTx(tx, std::string(tenant), std::string(task_id), variables);
}

core::Result<int> Engine::HandOverTasksInTx(Tx& tx, std::string_view tenant_view, std::string_view instance_view,
                                            std::string_view from_group, std::string_view to_group,
                                            const Json& process_variables) {
  std::string tenant(tenant_view), instance_id(instance_view), from(from_group), to(to_group);
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT task_id, element_key, element_id, candidate_groups, assignee FROM "
                                          "engine_user_tasks WHERE tenant_id = $1 AND instance_id = $2 "
                                          "ORDER BY task_id",
                                          {tenant, instance_id}));
  AW_ASSIGN_OR_RETURN(auto st, InstanceState::Load(tx, tenant, instance_id));
  st->set_now(Now());
  int moved = 0;
  for (const Row& r : rows) {
    AW_ASSIGN_OR_RETURN(std::vector<std::string> groups, StringArray(r.Text(3)));
    std::vector<std::string> next;
    bool had = false;
    for (const auto& g : groups) {
      if (g == from) {
        had = true;
        continue;
      }
      if (g != to) next.push_back(g);
    }
    if (!had) continue;
    next.insert(next.begin(), to);
    AW_TRY(tx.Exec("UPDATE engine_user_tasks SET candidate_groups = $3, assignee = NULL "
                   "WHERE tenant_id = $1 AND task_id = $2",
                   {tenant, r.Text(0), core::DumpJson(Json(next))}));
    st->Record("user_task_candidate_groups_changed", r.Text(2), r.Int(1),
               Json{{"taskId", r.Text(0)}, {"from", groups}, {"to", next}});
    if (!r.IsNull(4)) st->Record("user_task_unassigned", r.Text(2), r.Int(1), Json{{"taskId", r.Text(0)}});
    ++moved;
  }
  if (process_variables.is_object() && st->active()) {
    for (auto it = process_variables.begin(); it != process_variables.end(); ++it) {
      st->ApplyVariableSet(0, it.key(), it.value());
    }
  }
  AW_TRY(st->Flush(tx));
  return moved;
}

core::Result<std::string> Engine::InstanceStateInTx(Tx& tx, std::string_view tenant, std::string_view instance_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT state FROM engine_instances WHERE tenant_id = $1 AND instance_id = $2",
                                            {tenant, instance_id}));
  if (!row) return core::NotFound(fmt::format("no process instance {}", instance_id));
  return row->Text(0);
}

}  // namespace amtsweg::engine
