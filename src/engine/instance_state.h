// InstanceState: the working set of one process instance inside one command —
// its active element instances, variable scopes and join tokens, loaded at the
// start of the command and written back (only what changed) at its end, plus
// the history events the command appended.
//
// The processors (bpmn_processor.h, engine.cc) decide; they change state only
// through the appliers below, one per event (after Zeebe's EventAppliers), and
// every applier appends its event to the history. Rows owned by elements in
// other tables (jobs, timers, subscriptions, user tasks, incidents) are written
// by their appliers at once, in the command's transaction.
//
// Not thread-safe: lives inside one writer command.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bpmn/model.h"
#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/model.h"
#include "store/tx.h"

namespace amtsweg::engine {

struct ElementInstance {
  int64_t key = 0;
  int64_t scope_key = 0;  // the enclosing element instance (0 = the process instance)
  bpmn::Index node = bpmn::kNoIndex;
  std::string state = "active";  // active | failed
  // What this element owns and where it stands: {"job": id, "task": id,
  // "timers": [ids], "subs": [ids], "incident": id, "stage": "activate"|"execute"|"complete"}.
  core::Json data = core::Json::object();
  bool is_new = false;
  bool dirty = false;
  bool deleted = false;
};

// The process instance's own scope (key 0) is stored in the instance row
// (column vars, migration 0005), the scopes of element instances as rows of
// engine_variables.
struct VarScope {
  core::Json vars = core::Json::object();
  bool in_db = false;
  bool dirty = false;
  bool deleted = false;
};

class InstanceState {
 public:
  // Loads the instance (PostgreSQL: locks its row until commit).
  // kNotFound when `instance_id` does not exist for `tenant`.
  static core::Result<std::unique_ptr<InstanceState>> Load(store::Tx& tx, std::string tenant,
                                                           std::string instance_id);
  // Load from the instance row already fetched by the caller's statement:
  // the columns of kInstanceColumns, starting at `row.at(first)` (e.g. a job
  // joined with its instance). On PostgreSQL the statement must lock the
  // row as Load does.
  static constexpr std::string_view kInstanceColumns =
      "i.definition_key, i.process_id, i.version, i.state, i.next_key, i.next_seq, i.joins, i.started_at, "
      "i.ended_at, i.parent_instance_id, i.parent_element_key, i.vars";
  static core::Result<std::unique_ptr<InstanceState>> LoadFromRow(store::Tx& tx, std::string tenant,
                                                                  std::string instance_id, const store::Row& row,
                                                                  size_t first);
  // A new instance (written by Flush).
  static std::unique_ptr<InstanceState> Create(std::string tenant, std::string instance_id,
                                               const CompiledProcess& process, core::Timestamp now);

  // Writes what changed: instance row, element instances, variable scopes, history.
  core::Status Flush(store::Tx& tx);

  const std::string& tenant() const { return tenant_; }
  const std::string& instance_id() const { return instance_id_; }
  const std::string& definition_key() const { return definition_key_; }
  const std::string& state() const { return state_; }
  bool active() const { return state_ == "active"; }
  // The call activity that started this instance ("" / 0 for a root instance).
  const std::string& parent_instance_id() const { return parent_instance_id_; }
  int64_t parent_element_key() const { return parent_element_key_; }
  void SetParent(std::string instance_id, int64_t element_key) {
    parent_instance_id_ = std::move(instance_id);
    parent_element_key_ = element_key;
  }
  core::Timestamp now() const { return now_; }
  void set_now(core::Timestamp t) { now_ = t; }

  ElementInstance* Element(int64_t key);
  // Keys of the live element instances whose scope is `scope_key`, in key order.
  std::vector<int64_t> Children(int64_t scope_key) const;
  bool HasChildren(int64_t scope_key) const;

  // Variables visible from `scope_key`: outer scopes first, inner ones override.
  core::Json VisibleVariables(int64_t scope_key) const;
  // Variables defined in exactly `scope_key` (an empty object when none).
  core::Json LocalVariables(int64_t scope_key) const;
  // [scope_key, its parent, ..., 0].
  std::vector<int64_t> ScopeChain(int64_t scope_key) const;
  core::Json& JoinState() { return joins_; }

  // --- Appliers: each applies one event and appends it to the history. ---
  // `trigger` (an object, e.g. {"trigger": "message", ...}) is added to the event's data.
  void ApplyInstanceStarted(const CompiledProcess& p, const core::Json& trigger = nullptr);
  void ApplyInstanceCompleted();
  void ApplyInstanceTerminated();
  ElementInstance& ApplyElementActivated(bpmn::Index node, const std::string& element_id, int64_t scope_key);
  void ApplyElementCompleted(int64_t key, const std::string& element_id);
  void ApplyElementTerminated(int64_t key, const std::string& element_id);
  // Sets `name` in exactly `scope_key`.
  void ApplyVariableSet(int64_t scope_key, const std::string& name, core::Json value);
  // Sets each entry where the nearest scope from `scope_key` outward defines it,
  // else in the process scope (Zeebe's variable propagation).
  void ApplyVariablesPropagated(int64_t scope_key, const core::Json& vars);
  void MarkJoinsDirty() { joins_dirty_ = true; }
  // A history event without a state change of its own (job_created, incident_raised, ...).
  void Record(std::string_view event, const std::string& element_id, int64_t element_key,
              core::Json data = nullptr);

 private:
  InstanceState() = default;

  std::string tenant_;
  std::string instance_id_;
  std::string definition_key_;
  std::string process_id_;
  int version_ = 0;
  std::string state_ = "active";
  std::string parent_instance_id_;
  int64_t parent_element_key_ = 0;
  int64_t next_key_ = 1;
  int64_t next_seq_ = 1;
  int64_t started_at_ = 0;
  std::optional<int64_t> ended_at_;
  core::Json joins_ = core::Json::object();
  bool joins_dirty_ = false;
  bool is_new_ = false;
  bool row_dirty_ = false;
  core::Timestamp now_{};

  std::map<int64_t, ElementInstance> elements_;
  std::map<int64_t, VarScope> vars_;

  // One engine_history row per command (a new row only if the time changed
  // within it): the events appended since the last Flush, encoded as they
  // come (store/history_batch.h).
  struct HistoryRow {
    int64_t seq;  // of the first event
    int64_t at;
    std::string events;
  };
  std::vector<HistoryRow> history_;
};

}  // namespace amtsweg::engine
