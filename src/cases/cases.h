// cases/: the E-Akte (electronic case file) and the staff workspace's domain.
//
// A case is created by intake (table `cases`, 0007); cases/ fills its E-Akte
// columns through intake's on_case_created hook (`OnCaseCreated`, in the
// submission's transaction: applicant, status "received", due date from the
// service's processing time, full-text row) and keeps them up to date when
// staff work on it: claim/unclaim/assign/complete of user tasks, notes,
// hand-over to another department. Every change is one store writer command
// with its audit entry (object_type "case"), so change and entry commit together.
//
// Reads (List, Detail, Inbox, Timeline, Search) run on a read snapshot; pages
// use opaque keyset cursors, stable while rows are added.
//
// Thread-safety: all methods are thread-safe. Async methods answer on the
// writer thread after the commit (or on the calling thread for errors found
// before).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/engine.h"
#include "forms/validator.h"
#include "intake/intake.h"
#include "store/database.h"

namespace amtsweg::cases {

// Who acts: the login (assignee, note author) and the audit actor ("user:<id>").
struct Actor {
  std::string login;
  std::string audit_actor;
};

inline constexpr std::string_view kStatusReceived = "received";
inline constexpr std::string_view kStatusInProgress = "in_progress";
inline constexpr std::string_view kStatusWaiting = "waiting";
inline constexpr std::string_view kStatusClosed = "closed";
bool IsStatus(std::string_view s);

struct CaseSummary {
  std::string case_id, case_number, tracking_code, service_id, department_id, instance_id, status;
  std::string applicant_name, applicant_email;
  std::optional<std::string> assignee;
  core::Timestamp submitted_at{}, updated_at{};
  std::optional<core::Timestamp> due_at, closed_at;
};

struct CaseFilter {
  std::string status{}, service{}, department{}, assignee{};  // "" : any
  std::optional<core::Timestamp> submitted_from{}, submitted_to{}, due_from{}, due_to{};  // [from, to)
  std::string q{};                    // full-text words, all required (prefixes on SQLite)
  std::string sort = "submitted";     // submitted | due | number
                                      // With q, sort submitted and descending the list is the
                                      // newest-first walk over the matches (see README: newest
                                      // matching text on SQLite, newest case on PostgreSQL).
  bool descending = true;
  std::string cursor{};               // from the previous page
  int limit = 50;                     // 1..200
};

struct CasePage {
  std::vector<CaseSummary> items;
  std::string next_cursor;  // "" on the last page
};

struct InboxFilter {
  std::string scope = "all";  // mine (assigned to login) | departments (candidate group one of
                              // departments) | unassigned (departments, nobody holds it) | all (mine + departments)
  std::string login{};
  std::vector<std::string> departments{};  // the user's departments
  std::string department{};                // "" : all of them; else one of `departments`
  std::string service{};                   // "" : any
  std::string cursor{};
  int limit = 50;  // 1..200
};

struct InboxItem {
  engine::UserTask task;
  std::optional<CaseSummary> case_summary;  // none for tasks of processes not started by intake
};

struct InboxPage {
  std::vector<InboxItem> items;
  std::string next_cursor;
};

struct Note {
  std::string note_id, author, text;
  core::Timestamp created_at{};
};

struct SearchHit {
  CaseSummary case_summary;
  double rank = 0;  // higher is better
};

// A search's hits and how they were ranked. Ranking every match costs time in
// proportion to the match set (FTS5's bm25, ts_rank), so only the newest
// `window` matching texts are ranked (newest = last indexed: SQLite rowid,
// PostgreSQL the time-ordered case id). `all_ranked` says whether that window
// held every match; when it did not, a hit older than the window is not
// returned, and the API says so (ranked = "newestMatches").
//
// Paging (`next_cursor`, "" on the last page): the ranked window's order
// first, then — when the window did not hold every match — the older matches
// newest first (rank 0), each case once. The first page fixes the window's
// upper end (texts indexed later are not in later pages) and the query form,
// so pages do not overlap and together give every match once.
struct SearchResult {
  std::vector<SearchHit> hits;
  bool all_ranked = true;
  int window = 0;
  std::string next_cursor;
};
inline constexpr int kSearchWindow = 1000;

// Intake's hook (IntakeOptions::on_case_created): fills the E-Akte columns of
// the new case and its full-text row. Runs in the submission's transaction.
core::Status OnCaseCreated(store::Tx& tx, const intake::CaseCreated& c);

// Adds or replaces the search text of `source` ("case", "document:<id>",
// "message:<id>", …) of a case, in the caller's transaction. An empty text removes it.
core::Status IndexTextInTx(store::Tx& tx, std::string_view tenant, std::string_view case_id, std::string_view source,
                           std::string_view text);

// After a step outside the workspace ended a case's process (a worker's job
// such as the Bescheid, a timer): the case is closed (status, closed_at,
// audit "cases.closed"), as CompleteTask does when a task ends it. Nothing
// when the instance is still active, the case is closed already, or
// `case_id` is no case. In the caller's write transaction (re-runnable).
core::Status CloseIfProcessEndedInTx(store::Tx& tx, engine::Engine& engine, std::string_view tenant,
                                     std::string_view case_id, core::Timestamp at);

class Cases {
 public:
  // Borrowed; they outlive the Cases. `clock` null: the system clock.
  Cases(store::Database& db, engine::Engine& engine, catalog::Catalog& catalog, core::Clock* clock = nullptr);

  // kInvalidArgument naming the parameter (/status, /sort, /cursor, /limit, …).
  core::Result<CasePage> List(std::string_view tenant, const CaseFilter& filter);
  // Case + service {id, name} + department {id, name} + process instance
  // {id, state, activeElements} + open tasks + hand-overs. kNotFound.
  core::Result<core::Json> Detail(std::string_view tenant, std::string_view case_id);
  core::Result<CaseSummary> Get(std::string_view tenant, std::string_view case_id);
  // The case of a process instance. kNotFound.
  core::Result<CaseSummary> ByInstance(std::string_view tenant, std::string_view instance_id);
  // Ranked full-text search over cases (and whatever else IndexTextInTx added). kInvalidArgument: no word.
  // Relevance order within the newest kSearchWindow matching texts (see SearchResult).
  // `cursor`: next_cursor of the previous page ("" : the first page); kInvalidArgument /cursor.
  core::Result<SearchResult> Search(std::string_view tenant, std::string_view query, int limit = 20,
                                    std::string_view cursor = "");
  // The ranked window's size (kSearchWindow); tests make it small to reach the walk beyond it.
  void set_search_window(int window) { search_window_ = window; }

  core::Result<std::vector<Note>> Notes(std::string_view tenant, std::string_view case_id);
  // kInvalidArgument /text (empty, > 10,000 bytes); kNotFound.
  void AddNote(std::string tenant, std::string case_id, Actor actor, std::string text,
               std::function<void(core::Result<Note>)> done);

  // Engine history, the case's audit entries and its notes, oldest first:
  // [{at, kind: process|audit|note, type, element?, actor?, details}].
  core::Result<core::Json> Timeline(std::string_view tenant, std::string_view case_id);
  // The progress a citizen may see, by tracking code (forgiving spelling) within
  // the tenant: trackingCode, service {id, name}, submittedAt, expectedBy and
  // CitizenProgress (progress.h) — stages and dates only, no names or notes.
  // kNotFound: unknown code or another tenant's case.
  core::Result<core::Json> CitizenStatus(std::string_view tenant, std::string_view tracking_code);

  // Hands the case to `to_department` with `reason`, in one transaction: the
  // case's department, the candidate groups of its open user tasks that named
  // the old department (their assignee cleared), the process variable
  // responsibleDepartment, a hand-over row and an audit entry.
  // Answer: {handoverId, from, to, tasksMoved}. kInvalidArgument /department,
  // /reason; kNotFound; kFailedPrecondition: the case is closed.
  void HandOver(std::string tenant, std::string case_id, std::string to_department, std::string reason, Actor actor,
                std::function<void(core::Result<core::Json>)> done);

  // Sets a case's status by hand (in_progress <-> waiting). kInvalidArgument /status;
  // kFailedPrecondition: closed.
  void SetStatus(std::string tenant, std::string case_id, std::string status, Actor actor,
                 std::function<void(core::Status)> done);

  core::Result<InboxPage> Inbox(std::string_view tenant, const InboxFilter& filter);
  // One open user task of the tenant. kNotFound.
  core::Result<engine::UserTask> Task(std::string_view tenant, std::string_view task_id);

  // Task work. `assignee`: a login (the API checks it is a user of the tenant);
  // nullopt unassigns. `take_over`: also when someone else holds it (assign by
  // a manager); otherwise kFailedPrecondition. The case's assignee and status follow.
  void AssignTask(std::string tenant, std::string task_id, std::optional<std::string> assignee, bool take_over,
                  Actor actor, std::function<void(core::Status)> done);
  // Validates `data` against the task's form (formKey → latest catalogue form,
  // forms::Validate like intake: 422 per field) and completes the task with the
  // cleaned data in one transaction with the case update and audit entry. A
  // task held by someone else: kFailedPrecondition. No formKey: `data` must be
  // an object and is passed as is. Answer: {caseStatus, instanceState}.
  void CompleteTask(std::string tenant, std::string task_id, core::Json data, forms::Language language, Actor actor,
                    std::function<void(core::Result<core::Json>)> done);

  // Cursor helpers (also used by tests).
  static std::string EncodeCursor(const core::Json& key);
  static core::Result<core::Json> DecodeCursor(std::string_view cursor, std::string_view param);
  // Cursors of the newest-first text walks (list with q, search): a JSON object.
  static core::Result<core::Json> DecodeObjectCursor(std::string_view cursor, std::string_view param);

 private:
  core::Timestamp Now() const { return clock_->Now(); }
  store::Database& db_;
  engine::Engine& engine_;
  catalog::Catalog& catalog_;
  core::Clock* clock_;
  int search_window_ = kSearchWindow;
};

core::Json ToJson(const CaseSummary& c);
core::Json ToJson(const Note& n);
core::Json ToJson(const engine::UserTask& t);

}  // namespace amtsweg::cases
