// SQL of cases/ (internal). Every statement is keyed by tenant. Besides its own
// tables (0010: case columns, case_notes, case_handovers, user_task_groups,
// case_texts/cases_fts) it READS engine_user_tasks (inbox rows) and audit_log
// (timeline, by the index 0010 adds); it never writes other layers' tables.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/cases.h"
#include "store/tx.h"

namespace amtsweg::cases::internal {

struct CaseColumns {
  std::string applicant_name, applicant_email, status;
  std::optional<int64_t> due_at;
  int64_t updated_at = 0;
};
core::Status SetCreatedColumns(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                               const CaseColumns& c);
core::Status UpsertText(store::Tx& tx, std::string_view tenant, std::string_view case_id, std::string_view source,
                        std::string_view text);

core::Result<std::optional<CaseSummary>> SelectCase(store::Tx& tx, std::string_view tenant, std::string_view case_id);
core::Result<std::optional<CaseSummary>> SelectCaseByInstance(store::Tx& tx, std::string_view tenant,
                                                              std::string_view instance_id);
// Page of cases; `key` is the decoded cursor ([sortValue, caseId]) or null.
core::Result<std::vector<CaseSummary>> SelectCases(store::Tx& tx, std::string_view tenant, const CaseFilter& f,
                                                   const core::Json& key, int limit);
// The `limit` best of the newest `window` matching texts, one hit per case.
core::Result<SearchResult> SearchCases(store::Tx& tx, std::string_view tenant, std::string_view query, int limit,
                                       int window);

// A position in the newest-first walk over matching texts: SQLite the text's
// rowid (integer), PostgreSQL the case id (string, UUIDv7: time ordered).
// Null: before the newest.
//
// The ranked window of a search: every case of the newest `window` matching
// texts at or below `bound` (null: no bound), best first (rank, then newer
// case), with the window's newest and oldest positions and the query form it
// used (SQLite: exact words when they fill the window, else prefixes).
struct RankedWindow {
  std::vector<std::string> case_ids;  // best first, one per case
  bool all_ranked = true;
  bool prefix = true;
  core::Json newest, oldest;          // null when nothing matched
};
core::Result<RankedWindow> RankWindow(store::Tx& tx, std::string_view tenant, std::string_view query, int window,
                                      const core::Json& bound);

// The matching texts walked newest first, below `after` (exclusive, null: from
// the newest) and at or below `bound` (null: none), with the case filters of
// `f` (status, service, department, assignee, ranges; f.q is not read) applied
// inside the walk; one row per case, at its newest matching text within the
// bound. Stops after `limit` cases: the cost is the walk to them, not the match set.
struct WalkRow {
  CaseSummary c;
  core::Json pos;
};
core::Result<std::vector<WalkRow>> WalkMatches(store::Tx& tx, std::string_view tenant, std::string_view query,
                                               bool prefix, const CaseFilter& f, const core::Json& after,
                                               const core::Json& bound, int limit);
// The cases of these process instances, by instance id (one query; instances without a case are absent).
core::Result<std::map<std::string, CaseSummary>> SelectCasesByInstances(store::Tx& tx, std::string_view tenant,
                                                                        const std::vector<std::string>& instance_ids);
// Cases by id, in the given order (ids without a case are left out).
core::Result<std::vector<CaseSummary>> SelectCasesByIds(store::Tx& tx, std::string_view tenant,
                                                        const std::vector<std::string>& ids);

core::Status UpdateCaseWork(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                            const std::optional<std::string>& assignee, std::string_view status, int64_t now,
                            std::optional<int64_t> closed_at);
core::Status UpdateCaseStatus(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                              std::string_view status, int64_t now);
core::Status UpdateCaseDepartment(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                  std::string_view department, int64_t now);

core::Status InsertNote(store::Tx& tx, std::string_view tenant, std::string_view case_id, const Note& n,
                        std::string_view actor);
core::Result<std::vector<Note>> SelectNotes(store::Tx& tx, std::string_view tenant, std::string_view case_id);

struct Handover {
  std::string handover_id, from, to, reason, actor;
  int64_t tasks_moved = 0, at = 0;
};
core::Status InsertHandover(store::Tx& tx, std::string_view tenant, std::string_view case_id, const Handover& h);
core::Result<std::vector<Handover>> SelectHandovers(store::Tx& tx, std::string_view tenant, std::string_view case_id);

struct AuditRow {
  int64_t seq = 0, at = 0;
  std::string actor, action, details;
};
core::Result<std::vector<AuditRow>> SelectCaseAudit(store::Tx& tx, std::string_view tenant, std::string_view case_id);
// The case id of a (canonical) tracking code within the tenant.
core::Result<std::optional<std::string>> SelectCaseIdByTrackingCode(store::Tx& tx, std::string_view tenant,
                                                                    std::string_view tracking_code);

// Inbox keys: (created_at, task_id) of open tasks, ascending, after `after`.
struct TaskKey {
  int64_t created_at = 0;
  std::string task_id;
  bool operator<(const TaskKey& o) const {
    return created_at != o.created_at ? created_at < o.created_at : task_id < o.task_id;
  }
};
core::Result<std::vector<TaskKey>> SelectAssignedKeys(store::Tx& tx, std::string_view tenant, std::string_view login,
                                                      std::string_view service, const TaskKey& after, int limit);
core::Result<std::vector<TaskKey>> SelectGroupKeys(store::Tx& tx, std::string_view tenant, std::string_view group,
                                                   bool unassigned_only, std::string_view service,
                                                   const TaskKey& after, int limit);

}  // namespace amtsweg::cases::internal
