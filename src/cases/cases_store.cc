#include "cases/cases_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "cases/extract.h"

namespace amtsweg::cases::internal {

using core::Json;
using store::Row;
using store::Value;

namespace {

#define AW_CASE_COLUMNS                                                                                       \
  "c.case_id, c.case_number, c.tracking_code, c.service_id, c.department_id, c.instance_id, c.status, "     \
  "c.applicant_name, c.applicant_email, c.assignee, c.submitted_at, c.updated_at, c.due_at, c.closed_at "
constexpr std::string_view kCaseCols = "SELECT " AW_CASE_COLUMNS "FROM cases AS c ";
constexpr std::string_view kCaseColumns = AW_CASE_COLUMNS;
#undef AW_CASE_COLUMNS

CaseSummary FromRow(const Row& r) {
  CaseSummary c;
  c.case_id = r.Text(0);
  c.case_number = r.Text(1);
  c.tracking_code = r.Text(2);
  c.service_id = r.Text(3);
  c.department_id = r.Text(4);
  c.instance_id = r.Text(5);
  c.status = r.Text(6);
  c.applicant_name = r.Text(7);
  c.applicant_email = r.Text(8);
  if (!r.IsNull(9)) c.assignee = r.Text(9);
  c.submitted_at = core::FromUnixMillis(r.Int(10));
  c.updated_at = core::FromUnixMillis(r.Int(11));
  if (!r.IsNull(12)) c.due_at = core::FromUnixMillis(r.Int(12));
  if (!r.IsNull(13)) c.closed_at = core::FromUnixMillis(r.Int(13));
  return c;
}

Value OptInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(); }

// Joining cases by instance: without statistics SQLite's planner would take
// the primary key's tenant prefix (a scan of the tenant's cases per row).
const char* CasesByInstance(store::Tx& tx) {
  return tx.dialect() == store::Dialect::kSqlite ? "cases AS c INDEXED BY cases_instance" : "cases AS c";
}

// The case filters other than the text (status, service, department, assignee, ranges).
template <typename Param>
std::string FilterSql(const CaseFilter& f, Param&& param) {
  std::string where;
  if (!f.status.empty()) where += " AND c.status = " + param(f.status);
  if (!f.service.empty()) where += " AND c.service_id = " + param(f.service);
  if (!f.department.empty()) where += " AND c.department_id = " + param(f.department);
  if (!f.assignee.empty()) where += " AND c.assignee = " + param(f.assignee);
  if (f.submitted_from) where += " AND c.submitted_at >= " + param(core::ToUnixMillis(*f.submitted_from));
  if (f.submitted_to) where += " AND c.submitted_at < " + param(core::ToUnixMillis(*f.submitted_to));
  if (f.due_from) where += " AND c.due_at >= " + param(core::ToUnixMillis(*f.due_from));
  if (f.due_to) where += " AND c.due_at < " + param(core::ToUnixMillis(*f.due_to));
  return where;
}

Value PosValue(const Json& pos) {
  return pos.is_string() ? Value(pos.get<std::string>()) : Value(pos.get<int64_t>());
}

}  // namespace

core::Status SetCreatedColumns(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                               const CaseColumns& c) {
  AW_TRY(tx.Exec("UPDATE cases SET applicant_name = $3, applicant_email = $4, status = $5, due_at = $6, "
                 "updated_at = $7 WHERE tenant_id = $1 AND case_id = $2",
                 {tenant, case_id, c.applicant_name, c.applicant_email, c.status, OptInt(c.due_at), c.updated_at}));
  return core::OkStatus();
}

core::Status UpsertText(store::Tx& tx, std::string_view tenant, std::string_view case_id, std::string_view source,
                        std::string_view text) {
  if (text.empty()) {
    AW_TRY(tx.Exec("DELETE FROM case_texts WHERE tenant_id = $1 AND case_id = $2 AND source = $3",
                   {tenant, case_id, source}));
    return core::OkStatus();
  }
  if (tx.dialect() == store::Dialect::kSqlite) {
    // The FTS5 triggers need a real UPDATE/INSERT (an upsert's update path fires the update trigger).
    AW_TRY(tx.Exec("INSERT INTO case_texts (tenant_id, case_id, source, text) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (tenant_id, case_id, source) DO UPDATE SET text = excluded.text",
                   {tenant, case_id, source, FoldForSearch(text)}));
  } else {
    AW_TRY(tx.Exec("INSERT INTO case_texts (tenant_id, case_id, source, text) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (tenant_id, case_id, source) DO UPDATE SET text = excluded.text",
                   {tenant, case_id, source, text}));
  }
  return core::OkStatus();
}

core::Result<std::optional<CaseSummary>> SelectCase(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string(kCaseCols) + "WHERE c.tenant_id = $1 AND c.case_id = $2",
                                          {tenant, case_id}));
  if (!r) return std::optional<CaseSummary>();
  return std::optional<CaseSummary>(FromRow(*r));
}

core::Result<std::optional<CaseSummary>> SelectCaseByInstance(store::Tx& tx, std::string_view tenant,
                                                              std::string_view instance_id) {
  // INDEXED BY on SQLite: without statistics the planner took the primary
  // key's tenant prefix for these columns (not covered by cases_instance) and
  // scanned the tenant's cases oldest first until the instance — the inbox
  // read one case per task that way: 50 ms for page 21 at 1,000,000 cases.
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT " + std::string(kCaseColumns) + "FROM " + CasesByInstance(tx) +
                                              " WHERE c.tenant_id = $1 AND c.instance_id = $2",
                                          {tenant, instance_id}));
  if (!r) return std::optional<CaseSummary>();
  return std::optional<CaseSummary>(FromRow(*r));
}

core::Result<std::map<std::string, CaseSummary>> SelectCasesByInstances(store::Tx& tx, std::string_view tenant,
                                                                        const std::vector<std::string>& instance_ids) {
  std::map<std::string, CaseSummary> out;
  if (instance_ids.empty()) return out;
  std::string in;
  std::vector<Value> q{Value(tenant)};
  for (const std::string& id : instance_ids) {
    q.emplace_back(id);
    in += fmt::format("{}${}", in.empty() ? "" : ", ", q.size());
  }
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT " + std::string(kCaseColumns) + "FROM " + CasesByInstance(tx) +
                                              " WHERE c.tenant_id = $1 AND c.instance_id IN (" + in + ")",
                                          q));
  for (const Row& r : rows) {
    CaseSummary c = FromRow(r);
    std::string id = c.instance_id;
    out.emplace(std::move(id), std::move(c));
  }
  return out;
}

core::Result<std::vector<CaseSummary>> SelectCases(store::Tx& tx, std::string_view tenant, const CaseFilter& f,
                                                   const Json& key, int limit) {
  std::string sql(kCaseCols);
  std::vector<Value> p{Value(tenant)};
  auto param = [&](Value v) {
    p.push_back(std::move(v));
    return fmt::format("${}", p.size());
  };
  bool sqlite = tx.dialect() == store::Dialect::kSqlite;
  std::string where = "WHERE c.tenant_id = $1";
  if (!f.q.empty()) {
    if (sqlite) {
      // The matches drive (CROSS JOIN keeps FTS5 outside: the other order re-runs the MATCH per
      // text row), each joined to its case_texts row by primary key. The former form,
      // t.id IN (SELECT rowid …), walked every text row of the tenant: 69 ms at 106,000 cases.
      where += " AND c.case_id IN (SELECT t.case_id FROM cases_fts AS f CROSS JOIN case_texts AS t "
               "ON t.id = f.rowid WHERE cases_fts MATCH " + param(Fts5Query(f.q)) + " AND t.tenant_id = $1)";
    } else {
      where += " AND c.case_id IN (SELECT t.case_id FROM case_texts AS t WHERE t.tenant_id = $1 AND t.tsv @@ "
               "websearch_to_tsquery('german', " + param(f.q) + "))";
    }
  }
  if (!f.q.empty() && !sqlite) AW_TRY(tx.Exec("SET LOCAL plan_cache_mode = force_custom_plan"));  // see SearchCases
  where += FilterSql(f, param);
  std::string col = f.sort == "due" ? "c.due_at" : f.sort == "number" ? "c.case_number" : "c.submitted_at";
  if (f.sort == "due") where += " AND c.due_at IS NOT NULL";
  const char* cmp = f.descending ? "<" : ">";
  const char* dir = f.descending ? "DESC" : "ASC";
  if (key.is_array() && key.size() == 2) {
    Value v = key[0].is_string() ? Value(key[0].get<std::string>()) : Value(key[0].get<int64_t>());
    std::string a = param(std::move(v));
    std::string b = param(key[1].get<std::string>());
    where += fmt::format(" AND ({}, c.case_id) {} ({}, {})", col, cmp, a, b);
  }
  sql += where + fmt::format(" ORDER BY {} {}, c.case_id {} LIMIT {}", col, dir, dir, param(int64_t{limit}));
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<CaseSummary> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FromRow(r));
  return out;
}

core::Result<RankedWindow> RankWindow(store::Tx& tx, std::string_view tenant, std::string_view query, int window,
                                      const Json& bound) {
  // 1. The window: the newest `window` matching texts of the tenant with their
  //    rank. Walking the matches newest first and stopping at the window keeps
  //    a common word (most cases match) as cheap as a rare one: bm25/ts_rank
  //    run for at most `window` rows instead of every match before a LIMIT.
  //    SQLite: FTS5 serves ORDER BY rowid DESC from its index (no sort); the
  //    tenant filter joins each match to its case_texts row by primary key.
  //    PostgreSQL: the planner either walks the primary key backwards
  //    (tenant, case id: UUIDv7, time ordered) checking tsv @@ q — cheap when
  //    many texts match — or takes the GIN index and sorts the few matches; the
  //    rank is computed outside the LIMIT so only the window pays for it.
  //    SQLite, prefixes: FTS5 (3.40) answers a prefix word by merging the
  //    doclists of every token with that prefix in full before the first row
  //    — O(matches) whatever the LIMIT ("strasse"* 88 ms p50 at 353,000 cases,
  //    loaded). Exact words are read lazily. So the words go in exact first;
  //    only when that fills less than the window (a rare or half-typed word)
  //    does the prefix form run, whose match set is then small or the price of
  //    a half-typed common word.
  //    `bound` (a later page of the same search) keeps texts added since the
  //    first page out, so the window and its order stay what page 1 saw.
  RankedWindow out;
  std::vector<store::Row> rows;
  bool sqlite = tx.dialect() == store::Dialect::kSqlite;
  if (sqlite) {
    std::string sql =
        "SELECT t.case_id, f.rank, f.rowid FROM cases_fts AS f CROSS JOIN case_texts AS t ON t.id = f.rowid "
        "WHERE cases_fts MATCH $2 AND t.tenant_id = $1 ";
    if (!bound.is_null()) sql += "AND f.rowid <= $4 ";
    sql += "ORDER BY f.rowid DESC LIMIT $3";
    auto run = [&](bool prefix) {
      std::vector<Value> p{Value(tenant), Value(Fts5Query(query, prefix)), Value(int64_t{window})};
      if (!bound.is_null()) p.push_back(PosValue(bound));
      return tx.Query(sql, p);
    };
    out.prefix = false;
    AW_ASSIGN_OR_RETURN(rows, run(false));
    if (static_cast<int64_t>(rows.size()) < window) {
      out.prefix = true;
      AW_ASSIGN_OR_RETURN(rows, run(true));
    }
  } else {
    // A custom plan per query: the prepared statement's generic plan (from the
    // sixth run on) cannot know how many texts match, and took the GIN index
    // plus a sort of every match even for a common word (5 ms custom → 130 ms
    // generic for "Zaun" at 93,000 cases). SET LOCAL ends with the read.
    AW_TRY(tx.Exec("SET LOCAL plan_cache_mode = force_custom_plan"));
    std::vector<Value> p{Value(tenant), Value(query), Value(int64_t{window})};
    std::string bound_sql;
    if (!bound.is_null()) {
      p.push_back(PosValue(bound));
      bound_sql = "AND t.case_id <= $4 ";
    }
    AW_ASSIGN_OR_RETURN(rows, tx.Query("SELECT w.case_id, -ts_rank(w.tsv, websearch_to_tsquery('german', $2)), "
                                       "w.case_id FROM (SELECT t.case_id, t.tsv FROM case_texts AS t "
                                       "WHERE t.tenant_id = $1 AND t.tsv @@ websearch_to_tsquery('german', $2) " +
                                           bound_sql + "ORDER BY t.case_id DESC LIMIT $3) AS w",
                                       p));
  }
  out.all_ranked = static_cast<int64_t>(rows.size()) < window;
  // 2. Best rank per case (a case matches with several sources), lower is
  //    better (bm25 and the negated ts_rank); ties: newer case first.
  struct Cand {
    std::string case_id;
    double rank;
  };
  std::vector<Cand> best;
  std::map<std::string, size_t> at;
  for (const Row& r : rows) {
    std::string id = r.Text(0);
    double rank = r.Real(1);
    Json pos = sqlite ? Json(r.Int(2)) : Json(r.Text(2));
    if (out.newest.is_null() || out.newest < pos) out.newest = pos;
    if (out.oldest.is_null() || pos < out.oldest) out.oldest = pos;
    auto [it, fresh] = at.emplace(id, best.size());
    if (fresh) {
      best.push_back({std::move(id), rank});
    } else if (rank < best[it->second].rank) {
      best[it->second].rank = rank;
    }
  }
  std::stable_sort(best.begin(), best.end(), [](const Cand& a, const Cand& b) {
    return a.rank < b.rank || (a.rank == b.rank && a.case_id > b.case_id);
  });
  out.case_ids.reserve(best.size());
  for (Cand& c : best) out.case_ids.push_back(std::move(c.case_id));
  return out;
}

core::Result<std::vector<CaseSummary>> SelectCasesByIds(store::Tx& tx, std::string_view tenant,
                                                        const std::vector<std::string>& ids) {
  std::vector<CaseSummary> out;
  if (ids.empty()) return out;
  std::string in;
  std::vector<Value> q{Value(tenant)};
  for (const std::string& id : ids) {
    q.emplace_back(id);
    in += fmt::format("{}${}", in.empty() ? "" : ", ", q.size());
  }
  AW_ASSIGN_OR_RETURN(auto cases,
                      tx.Query(std::string(kCaseCols) + "WHERE c.tenant_id = $1 AND c.case_id IN (" + in + ")", q));
  std::map<std::string, CaseSummary> by_id;
  for (const Row& r : cases) {
    CaseSummary c = FromRow(r);
    std::string id = c.case_id;
    by_id.emplace(std::move(id), std::move(c));
  }
  for (const std::string& id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) out.push_back(std::move(it->second));  // a text without its case: skipped
  }
  return out;
}

core::Result<SearchResult> SearchCases(store::Tx& tx, std::string_view tenant, std::string_view query, int limit,
                                       int window) {
  AW_ASSIGN_OR_RETURN(RankedWindow w, RankWindow(tx, tenant, query, window, Json()));
  SearchResult out;
  out.window = window;
  out.all_ranked = w.all_ranked;
  if (static_cast<int>(w.case_ids.size()) > limit) w.case_ids.resize(static_cast<size_t>(limit));
  AW_ASSIGN_OR_RETURN(auto cases, SelectCasesByIds(tx, tenant, w.case_ids));
  double n = static_cast<double>(w.case_ids.size());
  for (size_t i = 0; i < cases.size(); ++i) out.hits.push_back({std::move(cases[i]), (n - static_cast<double>(i)) / n});
  return out;
}

core::Result<std::vector<WalkRow>> WalkMatches(store::Tx& tx, std::string_view tenant, std::string_view query,
                                               bool prefix, const CaseFilter& f, const Json& after,
                                               const Json& bound, int limit) {
  std::vector<Value> p{Value(tenant)};
  auto param = [&](Value v) {
    p.push_back(std::move(v));
    return fmt::format("${}", p.size());
  };
  std::string sql;
  if (tx.dialect() == store::Dialect::kSqlite) {
    // The matches newest first (FTS5 serves rowid order from its doclists and
    // takes the rowid bounds), each joined to its text row and its case by
    // primary key, the case filters checked per row, stopped by the LIMIT.
    // One row per case: a text is skipped when a newer text of the same case
    // (within the bound) matches too — the case was listed there. Most cases
    // have one text, so the check is one index probe that finds nothing; the
    // FTS5 probe (MATCH with rowid =) runs only for a newer text.
    std::string q = param(Fts5Query(query, prefix));
    sql = "SELECT " + std::string(kCaseColumns) +
          ", f.rowid FROM cases_fts AS f CROSS JOIN case_texts AS t ON t.id = f.rowid "
          "CROSS JOIN cases AS c ON c.tenant_id = t.tenant_id AND c.case_id = t.case_id "
          "WHERE cases_fts MATCH " + q + " AND t.tenant_id = $1";
    std::string b;
    if (!after.is_null()) sql += " AND f.rowid < " + param(PosValue(after));
    if (!bound.is_null()) {
      b = param(PosValue(bound));
      sql += " AND f.rowid <= " + b;
    }
    sql += FilterSql(f, param);
    sql += " AND NOT EXISTS (SELECT 1 FROM case_texts AS t2 WHERE t2.tenant_id = t.tenant_id AND t2.case_id = "
           "t.case_id AND t2.id > t.id" + (b.empty() ? std::string() : " AND t2.id <= " + b) +
           " AND EXISTS (SELECT 1 FROM cases_fts AS f2 WHERE f2.cases_fts MATCH " + q + " AND f2.rowid = t2.id))";
    sql += " ORDER BY f.rowid DESC LIMIT " + param(int64_t{limit});
  } else {
    // Cases newest first by id (UUIDv7), those with a matching text; a custom
    // plan (see RankWindow) lets the planner walk the primary key backwards
    // for a common word or take the GIN index for a rare one.
    AW_TRY(tx.Exec("SET LOCAL plan_cache_mode = force_custom_plan"));
    std::string q = param(std::string(query));
    // The position range on both sides, so either can drive the plan.
    std::string a, b;
    if (!after.is_null()) a = param(PosValue(after));
    if (!bound.is_null()) b = param(PosValue(bound));
    auto range = [&](std::string_view alias) {
      std::string r;
      if (!a.empty()) r += fmt::format(" AND {}.case_id < {}", alias, a);
      if (!b.empty()) r += fmt::format(" AND {}.case_id <= {}", alias, b);
      return r;
    };
    sql = "SELECT " + std::string(kCaseColumns) +
          ", c.case_id FROM cases AS c WHERE c.tenant_id = $1 AND c.case_id IN (SELECT t.case_id FROM case_texts AS t "
          "WHERE t.tenant_id = $1 AND t.tsv @@ websearch_to_tsquery('german', " + q + ")" + range("t") + ")" +
          range("c");
    sql += FilterSql(f, param) + " ORDER BY c.case_id DESC LIMIT " + param(int64_t{limit});
  }
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<WalkRow> out;
  out.reserve(rows.size());
  bool sqlite = tx.dialect() == store::Dialect::kSqlite;
  for (const Row& r : rows) out.push_back({FromRow(r), sqlite ? Json(r.Int(14)) : Json(r.Text(14))});
  return out;
}

core::Status UpdateCaseWork(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                            const std::optional<std::string>& assignee, std::string_view status, int64_t now,
                            std::optional<int64_t> closed_at) {
  AW_TRY(tx.Exec("UPDATE cases SET assignee = $3, status = $4, updated_at = $5, closed_at = $6 "
                 "WHERE tenant_id = $1 AND case_id = $2",
                 {tenant, case_id, assignee ? Value(*assignee) : Value(), status, now, OptInt(closed_at)}));
  return core::OkStatus();
}

core::Status UpdateCaseStatus(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                              std::string_view status, int64_t now) {
  AW_TRY(tx.Exec("UPDATE cases SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND case_id = $2",
                 {tenant, case_id, status, now}));
  return core::OkStatus();
}

core::Status UpdateCaseDepartment(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                  std::string_view department, int64_t now) {
  AW_TRY(tx.Exec("UPDATE cases SET department_id = $3, assignee = NULL, updated_at = $4 "
                 "WHERE tenant_id = $1 AND case_id = $2",
                 {tenant, case_id, department, now}));
  return core::OkStatus();
}

core::Status InsertNote(store::Tx& tx, std::string_view tenant, std::string_view case_id, const Note& n,
                        std::string_view actor) {
  AW_TRY(tx.Exec("INSERT INTO case_notes (tenant_id, case_id, note_id, author, actor, text, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {tenant, case_id, n.note_id, n.author, actor, n.text, core::ToUnixMillis(n.created_at)}));
  return core::OkStatus();
}

core::Result<std::vector<Note>> SelectNotes(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT note_id, author, text, created_at FROM case_notes "
                                          "WHERE tenant_id = $1 AND case_id = $2 ORDER BY note_id",
                                          {tenant, case_id}));
  std::vector<Note> out;
  for (const Row& r : rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), core::FromUnixMillis(r.Int(3))});
  return out;
}

core::Status InsertHandover(store::Tx& tx, std::string_view tenant, std::string_view case_id, const Handover& h) {
  AW_TRY(tx.Exec("INSERT INTO case_handovers (tenant_id, case_id, handover_id, from_department, to_department, "
                 "reason, actor, tasks_moved, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                 {tenant, case_id, h.handover_id, h.from, h.to, h.reason, h.actor, h.tasks_moved, h.at}));
  return core::OkStatus();
}

core::Result<std::vector<Handover>> SelectHandovers(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT handover_id, from_department, to_department, reason, actor, "
                                          "tasks_moved, at FROM case_handovers WHERE tenant_id = $1 AND case_id = $2 "
                                          "ORDER BY handover_id",
                                          {tenant, case_id}));
  std::vector<Handover> out;
  for (const Row& r : rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6)});
  return out;
}

core::Result<std::vector<AuditRow>> SelectCaseAudit(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, at, actor, action, details FROM audit_log "
                                          "WHERE tenant_id = $1 AND object_type = 'case' AND object_id = $2 "
                                          "ORDER BY seq LIMIT 10000",
                                          {tenant, case_id}));
  std::vector<AuditRow> out;
  for (const Row& r : rows) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4)});
  return out;
}

core::Result<std::optional<std::string>> SelectCaseIdByTrackingCode(store::Tx& tx, std::string_view tenant,
                                                                    std::string_view tracking_code) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT case_id FROM cases WHERE tenant_id = $1 AND tracking_code = $2",
                                          {tenant, tracking_code}));
  if (!r) return std::optional<std::string>();
  return std::optional<std::string>(r->Text(0));
}

core::Result<std::vector<TaskKey>> SelectAssignedKeys(store::Tx& tx, std::string_view tenant, std::string_view login,
                                                      std::string_view service, const TaskKey& after, int limit) {
  AW_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string("SELECT t.created_at, t.task_id FROM engine_user_tasks AS t LEFT JOIN ") +
                   CasesByInstance(tx) + " ON c.tenant_id = t.tenant_id AND c.instance_id = t.instance_id "
               "WHERE t.tenant_id = $1 AND t.assignee = $2 AND ($3 = '' OR c.service_id = $3) "
               "AND (t.created_at, t.task_id) > ($4, $5) "
               "ORDER BY t.created_at, t.task_id LIMIT $6",
               {tenant, login, service, after.created_at, after.task_id, int64_t{limit}}));
  std::vector<TaskKey> out;
  for (const Row& r : rows) out.push_back({r.Int(0), r.Text(1)});
  return out;
}

core::Result<std::vector<TaskKey>> SelectGroupKeys(store::Tx& tx, std::string_view tenant, std::string_view group,
                                                   bool unassigned_only, std::string_view service,
                                                   const TaskKey& after, int limit) {
  std::string sql =
      "SELECT g.created_at, g.task_id FROM user_task_groups AS g ";
  if (!service.empty()) {
    sql += std::string("JOIN ") + CasesByInstance(tx) +
           " ON c.tenant_id = g.tenant_id AND c.instance_id = g.instance_id AND c.service_id = $6 ";
  }
  sql += "WHERE g.tenant_id = $1 AND g.group_id = $2 AND (g.created_at, g.task_id) > ($3, $4) ";
  if (unassigned_only) sql += "AND g.assignee IS NULL ";
  sql += "ORDER BY g.created_at, g.task_id LIMIT $5";
  std::vector<Value> p{Value(tenant), Value(group), Value(after.created_at), Value(after.task_id),
                       Value(int64_t{limit})};
  if (!service.empty()) p.push_back(Value(service));
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<TaskKey> out;
  for (const Row& r : rows) out.push_back({r.Int(0), r.Text(1)});
  return out;
}

}  // namespace amtsweg::cases::internal
