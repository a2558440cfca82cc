// Look-ahead: what completing a user task with given form values would make
// the process do next, without doing it. The workspace uses it to preview the
// Bescheid the process would send (the `vorlage` header of the next
// `amtsweg:bescheid` task) instead of letting the case worker guess.
//
// The walk follows the model from the task's outgoing flows, evaluating
// gateway conditions with FEEL exactly as the engine does (a condition that
// fails — e.g. a form field not filled in yet — leaves the way undetermined,
// as it would raise an incident), and collects the job tasks (service, send,
// script with a job type) it passes, up to the next wait state: user and
// receive tasks, catch events, event-based gateways, call activities and end
// events. Script tasks with a FEEL script are evaluated (their result is
// visible further on); a business rule task ends the walk (its decision's
// outcome is not simulated). Nothing is written; joins do not wait for other
// tokens (the walk shows where THIS token goes).
//
// Thread-safety: pure functions over immutable inputs (LookAheadFromUserTask
// reads through the Engine).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bpmn/model.h"
#include "core/json.h"
#include "core/result.h"
#include "engine/model.h"

namespace amtsweg::engine {

class Engine;
}  // namespace amtsweg::engine
namespace amtsweg::store {
class Database;
}  // namespace amtsweg::store
namespace amtsweg::engine {

struct LookAheadTask {
  std::string element_id;
  std::string name;
  std::string kind;  // BPMN local name: "sendTask", "serviceTask", ...
  std::string type;  // job type (evaluated)
  core::Json headers = core::Json::object();  // task headers, key -> value
};

struct LookAhead {
  std::vector<LookAheadTask> tasks;  // job tasks in the order the walk met them
  // Where the walk stopped: wait states reached ("userTask nachfassen", "end event ende").
  std::vector<std::string> waits;
  // Non-empty when a branch could not be followed (a condition failed, a
  // decision decides, the step limit was reached): the reason, in English.
  std::string undetermined;
};

// Walks from node `from` of `cp` with the variables the token would see after
// the node completed (`vars`). At most `max_nodes` nodes are visited.
LookAhead WalkFrom(const CompiledProcess& cp, bpmn::Index from, const core::Json& vars, int max_nodes = 200);

// The variables a user task's completion leaves for what follows: `visible`
// with `completion` merged in (top-level keys), or — when the task has output
// mappings — the mappings' targets evaluated over both (Zeebe's semantics).
// kInvalidArgument names a failing output mapping.
core::Result<core::Json> VariablesAfterCompletion(const CompiledProcess& cp, bpmn::Index task, const core::Json& visible,
                                                  const core::Json& completion);

// For open user task `task_id` of `tenant`: the look-ahead when it is
// completed with `completion`. The variables are those of the process scope.
// kNotFound: no such task (of this tenant) or its process definition.
core::Result<LookAhead> LookAheadFromUserTask(Engine& engine, store::Database& db, std::string_view tenant,
                                              std::string_view task_id, const core::Json& completion);
// The same for a task already read (Engine::GetUserTask of `tenant`).
struct UserTask;
core::Result<LookAhead> LookAheadFromUserTask(Engine& engine, store::Database& db, std::string_view tenant,
                                              const UserTask& task, const core::Json& completion);

}  // namespace amtsweg::engine
