#include "engine/instance_state.h"

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "store/history_batch.h"

namespace amtsweg::engine {

using core::Json;

namespace {

core::Result<Json> ParseStored(const std::string& text) {
  auto j = core::ParseJson(text);
  if (!j.ok()) return core::Internal("stored engine JSON is corrupt: " + j.error().message());
  return std::move(*j);
}

// SQLite gets "INSERT OR FAIL" for the multi-row INSERTs below. With the
// default conflict resolution (ABORT), SQLite opens a statement journal for a
// statement that writes several rows and copies every page it touches into
// it, so that a failing later row can undo the earlier ones (callgrind: about
// 5% of the engine benchmark's instructions). OR FAIL keeps the earlier rows
// of a failing statement instead, which is safe here: a failing statement
// always fails its write command (AW_TRY), and the store's writer then rolls
// the whole command back (store/README.md). PostgreSQL has no such journal.
std::string ForDialect(std::string sql, size_t dialect) {
  constexpr std::string_view kInsert = "INSERT INTO ";
  if (dialect == 0 && sql.starts_with(kInsert)) sql.replace(0, kInsert.size(), "INSERT OR FAIL INTO ");
  return sql;
}

size_t DialectIndex(const store::Tx& tx) { return tx.dialect() == store::Dialect::kSqlite ? 0 : 1; }

// Rows per multi-row INSERT of element instances and variable scopes.
constexpr size_t kRowChunk = 16;

// "<head> VALUES ($1, $2, ...), (...)" for `rows` rows: $1 tenant, $2 instance,
// then `per_row` parameters per row. Built once per (head, rows), so the
// prepared statements are reused. `Site` tells the call sites apart.
template <int Site>
const std::string& MultiRowSql(std::string_view head, size_t per_row, size_t rows, size_t dialect) {
  static const std::array<std::vector<std::string>, 2> sql = [&] {
    std::array<std::vector<std::string>, 2> out;
    out[0].resize(kRowChunk + 1);
    out[1].resize(kRowChunk + 1);
    for (size_t n = 1; n <= kRowChunk; ++n) {
      std::string s(head);
      s += " VALUES ";
      for (size_t r = 0; r < n; ++r) {
        s += r == 0 ? "($1, $2" : ", ($1, $2";
        for (size_t c = 0; c < per_row; ++c) s += fmt::format(", ${}", 3 + r * per_row + c);
        s += ")";
      }
      out[0][n] = ForDialect(s, 0);
      out[1][n] = ForDialect(std::move(s), 1);
    }
    return out;
  }();
  return sql[dialect][rows];
}

// Runs one multi-row INSERT per kRowChunk rows of `rows` (each `per_row` values).
template <int Site>
core::Status InsertRows(store::Tx& tx, std::string_view head, size_t per_row, const std::string& tenant,
                        const std::string& instance, std::vector<store::Value>& rows) {
  const size_t total = rows.size() / per_row;
  std::vector<store::Value> params;
  for (size_t begin = 0; begin < total; begin += kRowChunk) {
    size_t n = std::min(kRowChunk, total - begin);
    params.clear();
    params.reserve(2 + n * per_row);
    params.emplace_back(tenant);
    params.emplace_back(instance);
    for (size_t i = begin * per_row; i < (begin + n) * per_row; ++i) params.push_back(std::move(rows[i]));
    AW_TRY(tx.Exec(MultiRowSql<Site>(head, per_row, n, DialectIndex(tx)), std::span<const store::Value>(params)));
  }
  rows.clear();
  return core::OkStatus();
}

}  // namespace

core::Result<std::unique_ptr<InstanceState>> InstanceState::Load(store::Tx& tx, std::string tenant,
                                                                  std::string instance_id) {
  // PostgreSQL: the row lock serialises commands of several nodes on one instance.
  std::string_view sql = tx.dialect() == store::Dialect::kPostgres
      ? "SELECT i.definition_key, i.process_id, i.version, i.state, i.next_key, i.next_seq, i.joins, i.started_at, "
        "i.ended_at, i.parent_instance_id, i.parent_element_key, i.vars FROM engine_instances i "
        "WHERE i.tenant_id = $1 AND i.instance_id = $2 FOR UPDATE"
      : "SELECT i.definition_key, i.process_id, i.version, i.state, i.next_key, i.next_seq, i.joins, i.started_at, "
        "i.ended_at, i.parent_instance_id, i.parent_element_key, i.vars FROM engine_instances i "
        "WHERE i.tenant_id = $1 AND i.instance_id = $2";
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {tenant, instance_id}));
  if (!row) return core::NotFound("no process instance " + instance_id);
  return LoadFromRow(tx, std::move(tenant), std::move(instance_id), *row, 0);
}

core::Result<std::unique_ptr<InstanceState>> InstanceState::LoadFromRow(store::Tx& tx, std::string tenant,
                                                                         std::string instance_id,
                                                                         const store::Row& row, size_t first) {
  const size_t c = first;
  std::unique_ptr<InstanceState> s(new InstanceState());
  s->tenant_ = std::move(tenant);
  s->instance_id_ = std::move(instance_id);
  s->definition_key_ = row.Text(c + 0);
  s->process_id_ = row.Text(c + 1);
  s->version_ = static_cast<int>(row.Int(c + 2));
  s->state_ = row.Text(c + 3);
  s->next_key_ = row.Int(c + 4);
  s->next_seq_ = row.Int(c + 5);
  AW_ASSIGN_OR_RETURN(s->joins_, ParseStored(row.Text(c + 6)));
  s->started_at_ = row.Int(c + 7);
  if (!row.IsNull(c + 8)) s->ended_at_ = row.Int(c + 8);
  if (!row.IsNull(c + 9)) s->parent_instance_id_ = row.Text(c + 9);
  if (!row.IsNull(c + 10)) s->parent_element_key_ = row.Int(c + 10);
  {
    VarScope root;
    const std::string& text = row.Text(c + 11);
    if (text != "{}") {
      AW_ASSIGN_OR_RETURN(root.vars, ParseStored(text));
    }
    root.in_db = true;
    s->vars_.emplace(0, std::move(root));
  }
  if (s->state_ != "active") return s;
  // Element instances and variable scopes in one statement (one round trip on PostgreSQL).
  AW_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT 0, element_key, scope_key, element_index, state, data FROM engine_elements "
                               "WHERE tenant_id = $1 AND instance_id = $2 "
                               "UNION ALL SELECT 1, scope_key, 0, 0, '', vars FROM engine_variables "
                               "WHERE tenant_id = $1 AND instance_id = $2",
                               {s->tenant_, s->instance_id_}));
  for (const store::Row& r : rows) {
    if (r.Int(0) == 0) {
      ElementInstance e;
      e.key = r.Int(1);
      e.scope_key = r.Int(2);
      e.node = static_cast<bpmn::Index>(r.Int(3));
      e.state = r.Text(4);
      AW_ASSIGN_OR_RETURN(e.data, ParseStored(r.Text(5)));
      s->elements_.emplace(e.key, std::move(e));
    } else {
      VarScope v;
      AW_ASSIGN_OR_RETURN(v.vars, ParseStored(r.Text(5)));
      v.in_db = true;
      s->vars_.emplace(r.Int(1), std::move(v));
    }
  }
  return s;
}

std::unique_ptr<InstanceState> InstanceState::Create(std::string tenant, std::string instance_id,
                                                     const CompiledProcess& process, core::Timestamp now) {
  std::unique_ptr<InstanceState> s(new InstanceState());
  s->tenant_ = std::move(tenant);
  s->instance_id_ = std::move(instance_id);
  s->definition_key_ = process.definition_key();
  s->process_id_ = process.process_id();
  s->version_ = process.version();
  s->is_new_ = true;
  s->now_ = now;
  s->started_at_ = core::ToUnixMillis(now);
  return s;
}

core::Status InstanceState::Flush(store::Tx& tx) {
  // The process scope (0) is a column of the instance row: no row of its own.
  auto root = vars_.find(0);
  const bool root_dirty = root != vars_.end() && root->second.dirty;
  if (is_new_) {
    AW_TRY(tx.Exec("INSERT INTO engine_instances (tenant_id, instance_id, definition_key, process_id, version, state, "
                   "next_key, next_seq, joins, started_at, ended_at, parent_instance_id, parent_element_key, vars) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                   {tenant_, instance_id_, definition_key_, process_id_, version_, state_, next_key_, next_seq_,
                    core::DumpJson(joins_), started_at_,
                    ended_at_ ? store::Value(*ended_at_) : store::Value(),
                    parent_instance_id_.empty() ? store::Value() : store::Value(parent_instance_id_),
                    parent_instance_id_.empty() ? store::Value() : store::Value(parent_element_key_),
                    root == vars_.end() ? store::Value("{}") : store::Value(core::DumpJson(root->second.vars))}));
  } else if (root_dirty) {
    AW_TRY(tx.Exec("UPDATE engine_instances SET state = $3, next_key = $4, next_seq = $5, joins = $6, ended_at = $7, "
                   "vars = $8 WHERE tenant_id = $1 AND instance_id = $2",
                   {tenant_, instance_id_, state_, next_key_, next_seq_, core::DumpJson(joins_),
                    ended_at_ ? store::Value(*ended_at_) : store::Value(), core::DumpJson(root->second.vars)}));
  } else if (row_dirty_ || joins_dirty_ || !history_.empty()) {
    AW_TRY(tx.Exec("UPDATE engine_instances SET state = $3, next_key = $4, next_seq = $5, joins = $6, ended_at = $7 "
                   "WHERE tenant_id = $1 AND instance_id = $2",
                   {tenant_, instance_id_, state_, next_key_, next_seq_, core::DumpJson(joins_),
                    ended_at_ ? store::Value(*ended_at_) : store::Value()}));
  }
  if (root != vars_.end()) {
    root->second.in_db = true;
    root->second.dirty = false;
  }
  // New element instances and variable scopes go in multi-row INSERTs (a
  // multi-instance activity creates many in one command).
  std::vector<store::Value> new_elements, new_vars;
  for (auto& [key, e] : elements_) {
    if (e.deleted) {
      if (!e.is_new) {
        AW_TRY(tx.Exec("DELETE FROM engine_elements WHERE tenant_id = $1 AND instance_id = $2 AND element_key = $3",
                       {tenant_, instance_id_, key}));
      }
    } else if (e.is_new) {
      new_elements.emplace_back(key);
      new_elements.emplace_back(e.scope_key);
      new_elements.emplace_back(static_cast<int64_t>(e.node));
      new_elements.emplace_back(e.data.value("id", std::string()));
      new_elements.emplace_back(e.state);
      new_elements.emplace_back(core::DumpJson(e.data));
    } else if (e.dirty) {
      AW_TRY(tx.Exec("UPDATE engine_elements SET state = $4, data = $5 "
                     "WHERE tenant_id = $1 AND instance_id = $2 AND element_key = $3",
                     {tenant_, instance_id_, key, e.state, core::DumpJson(e.data)}));
    }
    e.is_new = false;
    e.dirty = false;
  }
  AW_TRY(InsertRows<0>(tx, "INSERT INTO engine_elements (tenant_id, instance_id, element_key, scope_key, "
                          "element_index, element_id, state, data)",
                       6, tenant_, instance_id_, new_elements));
  std::erase_if(elements_, [](const auto& kv) { return kv.second.deleted; });
  for (auto& [scope, v] : vars_) {
    if (scope == 0) continue;  // written with the instance row above
    if (v.deleted) {
      if (v.in_db) {
        AW_TRY(tx.Exec("DELETE FROM engine_variables WHERE tenant_id = $1 AND instance_id = $2 AND scope_key = $3",
                       {tenant_, instance_id_, scope}));
      }
    } else if (v.dirty) {
      if (v.in_db) {
        AW_TRY(tx.Exec("UPDATE engine_variables SET vars = $4 WHERE tenant_id = $1 AND instance_id = $2 AND scope_key = $3",
                       {tenant_, instance_id_, scope, core::DumpJson(v.vars)}));
      } else {
        new_vars.emplace_back(scope);
        new_vars.emplace_back(core::DumpJson(v.vars));
      }
      v.in_db = true;
      v.dirty = false;
    }
  }
  AW_TRY(InsertRows<1>(tx, "INSERT INTO engine_variables (tenant_id, instance_id, scope_key, vars)", 2, tenant_,
                       instance_id_, new_vars));
  std::erase_if(vars_, [](const auto& kv) { return kv.second.deleted; });
  // One row per command: its events in one text column (a command appends
  // about five; one row each was a quarter of the engine benchmark's instructions).
  for (HistoryRow& h : history_) {
    store::FinishHistoryBatch(h.events);
    AW_TRY(tx.Exec("INSERT INTO engine_history (tenant_id, instance_id, seq, at, events) VALUES ($1, $2, $3, $4, $5)",
                   {tenant_, instance_id_, h.seq, h.at, std::move(h.events)}));
  }
  history_.clear();
  is_new_ = false;
  row_dirty_ = false;
  joins_dirty_ = false;
  return core::OkStatus();
}

ElementInstance* InstanceState::Element(int64_t key) {
  auto it = elements_.find(key);
  if (it == elements_.end() || it->second.deleted) return nullptr;
  return &it->second;
}

std::vector<int64_t> InstanceState::Children(int64_t scope_key) const {
  std::vector<int64_t> out;
  for (const auto& [key, e] : elements_) {
    if (!e.deleted && e.scope_key == scope_key) out.push_back(key);
  }
  return out;
}

bool InstanceState::HasChildren(int64_t scope_key) const {
  for (const auto& [key, e] : elements_) {
    if (!e.deleted && e.scope_key == scope_key) return true;
  }
  return false;
}

std::vector<int64_t> InstanceState::ScopeChain(int64_t scope_key) const {
  std::vector<int64_t> chain;
  int64_t k = scope_key;
  while (k != 0) {
    chain.push_back(k);
    auto it = elements_.find(k);
    AW_ASSERT(it != elements_.end(), "scope chain refers to a missing element instance");
    k = it->second.scope_key;
  }
  chain.push_back(0);
  return chain;
}

Json InstanceState::VisibleVariables(int64_t scope_key) const {
  std::vector<int64_t> chain = ScopeChain(scope_key);
  Json out = Json::object();
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    auto v = vars_.find(*it);
    if (v == vars_.end() || v->second.deleted) continue;
    for (const auto& [name, value] : v->second.vars.items()) out[name] = value;
  }
  return out;
}

Json InstanceState::LocalVariables(int64_t scope_key) const {
  auto v = vars_.find(scope_key);
  if (v == vars_.end() || v->second.deleted) return Json::object();
  return v->second.vars;
}

void InstanceState::Record(std::string_view event, const std::string& element_id, int64_t element_key, Json data) {
  const int64_t at = core::ToUnixMillis(now_);
  if (history_.empty() || history_.back().at != at) {
    history_.push_back(HistoryRow{next_seq_, at, {}});
    history_.back().events.reserve(512);  // a command's five events are about 400 bytes
  }
  store::AppendHistoryEvent(history_.back().events, event, element_id, element_key,
                            data.is_null() ? std::string() : core::DumpJson(data));
  ++next_seq_;
}

void InstanceState::ApplyInstanceStarted(const CompiledProcess& p, const Json& trigger) {
  Json data{{"definitionKey", p.definition_key()}, {"version", p.version()}};
  if (trigger.is_object()) data.update(trigger);
  Record("instance_started", p.process_id(), 0, std::move(data));
}

void InstanceState::ApplyInstanceCompleted() {
  state_ = "completed";
  ended_at_ = core::ToUnixMillis(now_);
  row_dirty_ = true;
  Record("instance_completed", process_id_, 0);
}

void InstanceState::ApplyInstanceTerminated() {
  state_ = "terminated";
  ended_at_ = core::ToUnixMillis(now_);
  row_dirty_ = true;
  Record("instance_terminated", process_id_, 0);
}

ElementInstance& InstanceState::ApplyElementActivated(bpmn::Index node, const std::string& element_id,
                                                      int64_t scope_key) {
  ElementInstance e;
  e.key = next_key_++;
  e.scope_key = scope_key;
  e.node = node;
  e.is_new = true;
  e.data["id"] = element_id;
  Record("element_activated", element_id, e.key);
  auto [it, inserted] = elements_.emplace(e.key, std::move(e));
  AW_ASSERT(inserted, "element instance key reused");
  return it->second;
}

void InstanceState::ApplyElementCompleted(int64_t key, const std::string& element_id) {
  ElementInstance* e = Element(key);
  AW_ASSERT(e != nullptr, "completing a missing element instance");
  e->deleted = true;
  auto v = vars_.find(key);
  if (v != vars_.end()) v->second.deleted = true;
  Record("element_completed", element_id, key);
}

void InstanceState::ApplyElementTerminated(int64_t key, const std::string& element_id) {
  ElementInstance* e = Element(key);
  AW_ASSERT(e != nullptr, "terminating a missing element instance");
  e->deleted = true;
  auto v = vars_.find(key);
  if (v != vars_.end()) v->second.deleted = true;
  Record("element_terminated", element_id, key);
}

void InstanceState::ApplyVariableSet(int64_t scope_key, const std::string& name, Json value) {
  VarScope& v = vars_[scope_key];
  v.deleted = false;
  v.vars[name] = std::move(value);
  v.dirty = true;
}

void InstanceState::ApplyVariablesPropagated(int64_t scope_key, const Json& vars) {
  if (!vars.is_object() || vars.empty()) return;
  std::vector<int64_t> chain = ScopeChain(scope_key);
  for (const auto& [name, value] : vars.items()) {
    int64_t target = 0;
    for (int64_t k : chain) {
      auto it = vars_.find(k);
      if (it != vars_.end() && !it->second.deleted && it->second.vars.contains(name)) {
        target = k;
        break;
      }
    }
    ApplyVariableSet(target, name, value);
  }
}

}  // namespace amtsweg::engine
