#include "cases/cases.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "audit/audit.h"
#include "core/hash.h"
#include "cases/cases_store.h"
#include "cases/extract.h"
#include "cases/progress.h"
#include "core/id.h"
#include "intake/codes.h"

namespace amtsweg::cases {

using core::Json;

bool IsStatus(std::string_view s) {
  return s == kStatusReceived || s == kStatusInProgress || s == kStatusWaiting || s == kStatusClosed;
}

namespace {

std::string Iso(core::Timestamp t) { return core::FormatIso8601(t); }
Json OptIso(const std::optional<core::Timestamp>& t) { return t ? Json(Iso(*t)) : Json(nullptr); }

core::Error Invalid(const std::string& field, const std::string& message) {
  return core::InvalidArgument(field + ": " + message, {{field, message}});
}

}  // namespace

Json ToJson(const CaseSummary& c) {
  return Json{{"id", c.case_id},
              {"caseNumber", c.case_number},
              {"trackingCode", c.tracking_code.size() == 12 ? c.tracking_code.substr(0, 4) + "-" +
                                                                  c.tracking_code.substr(4, 4) + "-" +
                                                                  c.tracking_code.substr(8)
                                                            : c.tracking_code},
              {"serviceId", c.service_id},
              {"departmentId", c.department_id},
              {"instanceId", c.instance_id},
              {"status", c.status},
              {"applicant", {{"name", c.applicant_name}, {"email", c.applicant_email}}},
              {"assignee", c.assignee ? Json(*c.assignee) : Json(nullptr)},
              {"submittedAt", Iso(c.submitted_at)},
              {"updatedAt", Iso(c.updated_at)},
              {"dueAt", OptIso(c.due_at)},
              {"closedAt", OptIso(c.closed_at)}};
}

Json ToJson(const Note& n) {
  return Json{{"id", n.note_id}, {"author", n.author}, {"text", n.text}, {"createdAt", Iso(n.created_at)}};
}

Json ToJson(const engine::UserTask& t) {
  return Json{{"id", t.task_id},
              {"name", t.name},
              {"elementId", t.element_id},
              {"instanceId", t.instance_id},
              {"assignee", t.assignee ? Json(*t.assignee) : Json(nullptr)},
              {"candidateGroups", t.candidate_groups},
              {"formKey", t.form_key},
              {"createdAt", Iso(t.created)},
              {"dueAt", t.due ? Json(Iso(*t.due)) : Json(nullptr)}};
}

// --- Hooks ---------------------------------------------------------------------------

core::Status IndexTextInTx(store::Tx& tx, std::string_view tenant, std::string_view case_id, std::string_view source,
                           std::string_view text) {
  if (source.empty()) return Invalid("/source", "must not be empty");
  return internal::UpsertText(tx, tenant, case_id, source, text);
}

core::Status OnCaseCreated(store::Tx& tx, const intake::CaseCreated& c) {
  static const Json kEmpty = Json::object();
  const Json& data = c.data != nullptr ? *c.data : kEmpty;
  Applicant a = ExtractApplicant(c.form, data);
  internal::CaseColumns cols;
  cols.applicant_name = a.name;
  cols.applicant_email = a.email;
  cols.status = std::string(kStatusReceived);
  int days = c.service != nullptr ? c.service->processing_days : 0;
  cols.due_at = core::ToUnixMillis(c.submitted_at + std::chrono::days(days));
  cols.updated_at = core::ToUnixMillis(c.submitted_at);
  AW_TRY(internal::SetCreatedColumns(tx, c.tenant, c.case_id, cols));
  std::string text = c.case_number + " " + c.tracking_code;
  if (c.service != nullptr) text += " " + c.service->name_de;
  text += " " + SearchText(data);
  return internal::UpsertText(tx, c.tenant, c.case_id, "case", text);
}

// --- Cursors -------------------------------------------------------------------------

std::string Cases::EncodeCursor(const Json& key) {
  std::string text = core::DumpJson(key);
  std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

namespace {

core::Result<Json> DecodeCursorJson(std::string_view cursor, const std::string& field) {
  if (cursor.size() > 512) return Invalid(field, "is not a cursor of this list");
  std::string bin(cursor.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), cursor.data(), cursor.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return Invalid(field, "is not a cursor of this list");
  }
  bin.resize(len);
  auto j = core::ParseJson(bin);
  if (!j.ok()) return Invalid(field, "is not a cursor of this list");
  return *j;
}

// A walk position: an integer (SQLite text rowid) or a string (PostgreSQL case id).
bool IsPos(const Json& j) { return j.is_number_integer() || j.is_string(); }

}  // namespace

core::Result<Json> Cases::DecodeCursor(std::string_view cursor, std::string_view param) {
  std::string field = "/" + std::string(param);
  AW_ASSIGN_OR_RETURN(Json j, DecodeCursorJson(cursor, field));
  if (j.is_object()) return Invalid(field, "belongs to another sort order or filter");
  if (!j.is_array() || j.size() != 2 || !j[1].is_string() || !(j[0].is_string() || j[0].is_number_integer())) {
    return Invalid(field, "is not a cursor of this list");
  }
  return j;
}

core::Result<Json> Cases::DecodeObjectCursor(std::string_view cursor, std::string_view param) {
  std::string field = "/" + std::string(param);
  AW_ASSIGN_OR_RETURN(Json j, DecodeCursorJson(cursor, field));
  if (j.is_array()) return Invalid(field, "belongs to another sort order or filter");
  if (!j.is_object()) return Invalid(field, "is not a cursor of this list");
  return j;
}

// --- Cases ---------------------------------------------------------------------------

Cases::Cases(store::Database& db, engine::Engine& engine, catalog::Catalog& catalog, core::Clock* clock)
    : db_(db), engine_(engine), catalog_(catalog), clock_(clock != nullptr ? clock : &core::SystemClock::Instance()) {}

core::Result<CasePage> Cases::List(std::string_view tenant, const CaseFilter& f) {
  if (f.limit < 1 || f.limit > 200) return Invalid("/limit", "must be between 1 and 200");
  if (!f.status.empty() && !IsStatus(f.status)) {
    return Invalid("/status", "must be one of received, in_progress, waiting, closed");
  }
  if (f.sort != "submitted" && f.sort != "due" && f.sort != "number") {
    return Invalid("/sort", "must be one of submitted, due, number");
  }
  if (!f.q.empty() && db_.dialect() == store::Dialect::kSqlite && Fts5Query(f.q).empty()) {
    return Invalid("/q", "holds no word to search for");
  }
  if (!f.q.empty() && f.sort == "submitted" && f.descending) {
    // Newest first through the matches, the other filters inside the walk,
    // stopped after limit + 1 cases (internal::WalkMatches).
    // SQLite: exact words first, as the search does (FTS5 reads an exact
    // word's doclist lazily but merges every token of a prefix in full before
    // the first row: 14 ms of CPU for "Kaufvertrag"* "Müller"* at 1,000,000
    // cases, 2 ms exact). When the exact form fills the first page, every page
    // uses it; otherwise (a rare or half-typed word) the prefix form. The
    // cursor carries the form. PostgreSQL matches stems (websearch_to_tsquery).
    Json after;
    std::optional<bool> prefix;
    if (!f.cursor.empty()) {
      AW_ASSIGN_OR_RETURN(Json k, DecodeObjectCursor(f.cursor, "cursor"));
      if (!k.contains("t") || !IsPos(k["t"]) || !k.contains("x") || !k["x"].is_boolean()) {
        return Invalid("/cursor", "is not a cursor of this list");
      }
      after = k["t"];
      prefix = k["x"].get<bool>();
    }
    bool used_prefix = true;
    AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) -> core::Result<std::vector<internal::WalkRow>> {
      bool sqlite = tx.dialect() == store::Dialect::kSqlite;
      if (prefix.has_value() || !sqlite) {
        used_prefix = prefix.value_or(true);
        return internal::WalkMatches(tx, tenant, f.q, used_prefix, f, after, Json(), f.limit + 1);
      }
      AW_ASSIGN_OR_RETURN(auto exact, internal::WalkMatches(tx, tenant, f.q, false, f, after, Json(), f.limit + 1));
      if (static_cast<int>(exact.size()) > f.limit) {
        used_prefix = false;
        return exact;
      }
      return internal::WalkMatches(tx, tenant, f.q, true, f, after, Json(), f.limit + 1);
    }));
    CasePage page;
    if (static_cast<int>(rows.size()) > f.limit) {
      rows.resize(f.limit);
      page.next_cursor = EncodeCursor(Json{{"t", rows.back().pos}, {"x", used_prefix}});
    }
    for (auto& r : rows) page.items.push_back(std::move(r.c));
    return page;
  }
  Json key;
  if (!f.cursor.empty()) {
    AW_ASSIGN_OR_RETURN(key, DecodeCursor(f.cursor, "cursor"));
    bool want_text = f.sort == "number";
    if (want_text != key[0].is_string()) return Invalid("/cursor", "belongs to another sort order");
  }
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) {
    return internal::SelectCases(tx, tenant, f, key, f.limit + 1);
  }));
  CasePage page;
  if (static_cast<int>(rows.size()) > f.limit) {
    rows.resize(f.limit);
    const CaseSummary& last = rows.back();
    Json k = f.sort == "number" ? Json(last.case_number)
             : f.sort == "due"  ? Json(core::ToUnixMillis(*last.due_at))
                                : Json(core::ToUnixMillis(last.submitted_at));
    page.next_cursor = EncodeCursor(Json::array({k, last.case_id}));
  }
  page.items = std::move(rows);
  return page;
}

core::Result<CaseSummary> Cases::Get(std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto c, db_.Read([&](store::Tx& tx) { return internal::SelectCase(tx, tenant, case_id); }));
  if (!c) return core::NotFound(fmt::format("no case {}", case_id));
  return *c;
}

core::Result<CaseSummary> Cases::ByInstance(std::string_view tenant, std::string_view instance_id) {
  AW_ASSIGN_OR_RETURN(auto c, db_.Read([&](store::Tx& tx) {
    return internal::SelectCaseByInstance(tx, tenant, instance_id);
  }));
  if (!c) return core::NotFound(fmt::format("no case of process instance {}", instance_id));
  return *c;
}

core::Result<Json> Cases::Detail(std::string_view tenant, std::string_view case_id) {
  struct Loaded {
    CaseSummary c;
    std::vector<engine::UserTask> tasks;
    std::vector<internal::Handover> handovers;
    size_t notes = 0;
  };
  AW_ASSIGN_OR_RETURN(auto loaded, db_.Read([&](store::Tx& tx) -> core::Result<std::optional<Loaded>> {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return std::optional<Loaded>();
    Loaded l;
    l.c = std::move(*c);
    AW_ASSIGN_OR_RETURN(l.tasks, engine_.UserTasksOfInstancesInTx(tx, tenant, {l.c.instance_id}));
    AW_ASSIGN_OR_RETURN(l.handovers, internal::SelectHandovers(tx, tenant, case_id));
    AW_ASSIGN_OR_RETURN(auto notes, internal::SelectNotes(tx, tenant, case_id));
    l.notes = notes.size();
    return std::optional<Loaded>(std::move(l));
  }));
  if (!loaded) return core::NotFound(fmt::format("no case {}", case_id));
  Json out = ToJson(loaded->c);
  Json service{{"id", loaded->c.service_id}, {"name", nullptr}, {"processingTimeDays", nullptr}};
  if (auto s = catalog_.FindService(loaded->c.service_id); s.ok()) {
    service["name"] = s->name_de;
    service["processingTimeDays"] = s->processing_days;
  }
  out["service"] = std::move(service);
  Json dept{{"id", loaded->c.department_id}, {"name", nullptr}};
  if (auto d = catalog_.GetDepartment(tenant, loaded->c.department_id); d.ok()) dept["name"] = (*d).value("name", "");
  out["department"] = std::move(dept);
  Json process{{"instanceId", loaded->c.instance_id}, {"state", nullptr}, {"activeElements", Json::array()}};
  if (auto inst = engine_.GetInstance(tenant, loaded->c.instance_id); inst.ok()) {
    process["processId"] = inst->process_id;
    process["version"] = inst->version;
    process["state"] = inst->state;
    process["activeElements"] = inst->active_elements;
  }
  out["process"] = std::move(process);
  Json tasks = Json::array();
  for (const auto& t : loaded->tasks) tasks.push_back(ToJson(t));
  out["openTasks"] = std::move(tasks);
  Json hs = Json::array();
  for (const auto& h : loaded->handovers) {
    hs.push_back({{"id", h.handover_id}, {"from", h.from}, {"to", h.to}, {"reason", h.reason}, {"actor", h.actor},
                  {"tasksMoved", h.tasks_moved}, {"at", Iso(core::FromUnixMillis(h.at))}});
  }
  out["handovers"] = std::move(hs);
  out["noteCount"] = loaded->notes;
  return out;
}

core::Result<SearchResult> Cases::Search(std::string_view tenant, std::string_view query, int limit,
                                         std::string_view cursor) {
  if (limit < 1 || limit > 100) return Invalid("/limit", "must be between 1 and 100");
  if (query.size() > 500) return Invalid("/q", "is longer than 500 bytes");
  if (Fts5Query(query).empty()) return Invalid("/q", "holds no word to search for");
  // Cursor: {"p": "r", "o": offset in the ranked window, "b": its upper end}
  //      or {"p": "w", "a": walk position, "b": upper end, "x": prefix form}.
  Json bound, after;
  bool walking = false, prefix = true;
  int64_t offset = 0;
  if (!cursor.empty()) {
    AW_ASSIGN_OR_RETURN(Json k, DecodeObjectCursor(cursor, "cursor"));
    std::string phase = k.contains("p") && k["p"].is_string() ? k["p"].get<std::string>() : "";
    bool ok = k.contains("b") && IsPos(k["b"]);
    if (phase == "r") {
      ok = ok && k.contains("o") && k["o"].is_number_integer() && k["o"].get<int64_t>() >= 0;
      if (ok) offset = k["o"].get<int64_t>();
    } else if (phase == "w") {
      ok = ok && k.contains("a") && IsPos(k["a"]) && k.contains("x") && k["x"].is_boolean();
      if (ok) {
        walking = true;
        after = k["a"];
        prefix = k["x"].get<bool>();
      }
    } else {
      ok = false;
    }
    if (!ok) return Invalid("/cursor", "is not a cursor of this search");
    bound = k["b"];
  }
  const int window = search_window_;
  return db_.Read([&](store::Tx& tx) -> core::Result<SearchResult> {
    SearchResult out;
    out.window = window;
    std::vector<internal::WalkRow> walked;
    size_t taken = 0;
    if (!walking) {
      AW_ASSIGN_OR_RETURN(internal::RankedWindow w, internal::RankWindow(tx, tenant, query, window, bound));
      out.all_ranked = w.all_ranked;
      if (bound.is_null()) bound = w.newest;
      if (w.case_ids.empty()) return out;
      size_t n = w.case_ids.size();
      size_t from = std::min(static_cast<size_t>(offset), n);
      size_t to = std::min(from + static_cast<size_t>(limit), n);
      std::vector<std::string> ids(w.case_ids.begin() + static_cast<std::ptrdiff_t>(from),
                                   w.case_ids.begin() + static_cast<std::ptrdiff_t>(to));
      AW_ASSIGN_OR_RETURN(auto cases, internal::SelectCasesByIds(tx, tenant, ids));
      double dn = static_cast<double>(n);
      for (size_t i = 0; i < cases.size(); ++i) {
        out.hits.push_back({std::move(cases[i]), (dn - static_cast<double>(from + i)) / dn});
      }
      taken = to - from;
      if (to < n) {
        out.next_cursor = EncodeCursor(Json{{"p", "r"}, {"o", to}, {"b", bound}});
        return out;
      }
      if (w.all_ranked) return out;
      // The window is used up and older texts match: the page goes on with
      // the walk below the window's oldest text, in the window's query form.
      // (Its cases reappear there only with an older text, which the walk skips.)
      after = w.oldest;
      prefix = w.prefix;
    } else {
      out.all_ranked = false;
    }
    int need = limit - static_cast<int>(taken);
    AW_ASSIGN_OR_RETURN(walked, internal::WalkMatches(tx, tenant, query, prefix, CaseFilter{}, after, bound, need + 1));
    if (static_cast<int>(walked.size()) > need) {
      Json last = need > 0 ? walked[static_cast<size_t>(need) - 1].pos : after;
      walked.resize(static_cast<size_t>(need));
      out.next_cursor = EncodeCursor(Json{{"p", "w"}, {"a", last}, {"b", bound}, {"x", prefix}});
    }
    for (auto& r : walked) out.hits.push_back({std::move(r.c), 0});
    return out;
  });
}

core::Result<std::vector<Note>> Cases::Notes(std::string_view tenant, std::string_view case_id) {
  return db_.Read([&](store::Tx& tx) -> core::Result<std::vector<Note>> {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return core::NotFound(fmt::format("no case {}", case_id));
    return internal::SelectNotes(tx, tenant, case_id);
  });
}

void Cases::AddNote(std::string tenant, std::string case_id, Actor actor, std::string text,
                    std::function<void(core::Result<Note>)> done) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) text.pop_back();
  if (text.empty()) return done(Invalid("/text", "must not be empty"));
  if (text.size() > 10000) return done(Invalid("/text", "is longer than 10,000 bytes"));
  auto note = std::make_shared<Note>(Note{core::NewId(), actor.login, std::move(text), Now()});
  auto cmd = [tenant, case_id, actor, note](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return core::NotFound(fmt::format("no case {}", case_id));
    AW_TRY(internal::InsertNote(tx, tenant, case_id, *note, actor.audit_actor));
    AW_TRY(internal::UpsertText(tx, tenant, case_id, "note:" + note->note_id, note->text));
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor.audit_actor, .action = "cases.note_added",
                          .object_type = "case", .object_id = case_id,
                          .details = Json{{"noteId", note->note_id}, {"length", note->text.size()}}},
                         note->created_at));
    return core::OkStatus();
  };
  db_.writer().Submit(std::move(cmd), [note, done = std::move(done)](core::Status s) {
    if (!s.ok()) return done(std::move(s).error());
    done(*note);
  });
}

core::Result<Json> Cases::Timeline(std::string_view tenant, std::string_view case_id) {
  struct Loaded {
    CaseSummary c;
    std::vector<internal::AuditRow> audit;
    std::vector<Note> notes;
  };
  AW_ASSIGN_OR_RETURN(auto loaded, db_.Read([&](store::Tx& tx) -> core::Result<std::optional<Loaded>> {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return std::optional<Loaded>();
    Loaded l;
    l.c = std::move(*c);
    AW_ASSIGN_OR_RETURN(l.audit, internal::SelectCaseAudit(tx, tenant, case_id));
    AW_ASSIGN_OR_RETURN(l.notes, internal::SelectNotes(tx, tenant, case_id));
    return std::optional<Loaded>(std::move(l));
  }));
  if (!loaded) return core::NotFound(fmt::format("no case {}", case_id));
  AW_ASSIGN_OR_RETURN(auto history, engine_.History(tenant, loaded->c.instance_id));
  // (time µs, source order, sequence) → entry; a stable merge of three ordered lists.
  struct Item {
    int64_t at;
    int source;  // 0 process, 1 audit, 2 note: at equal times the process step comes first
    int64_t seq;
    Json entry;
  };
  std::vector<Item> items;
  for (const auto& h : history) {
    if (h.event.starts_with("variable")) continue;  // values, not steps (and may hold personal data)
    Json e{{"at", Iso(h.at)}, {"kind", "process"}, {"type", h.event}, {"element", h.element_id}};
    if (!h.data.is_null()) e["details"] = h.data;
    items.push_back({h.at.time_since_epoch().count(), 0, h.seq, std::move(e)});
  }
  for (const auto& a : loaded->audit) {
    Json details = core::ParseJson(a.details).value_or(Json(a.details));
    core::Timestamp at = core::FromUnixMillis(a.at);
    items.push_back({at.time_since_epoch().count(), 1, a.seq,
                     Json{{"at", Iso(at)}, {"kind", "audit"}, {"type", a.action}, {"actor", a.actor},
                          {"details", std::move(details)}}});
  }
  int64_t i = 0;
  for (const auto& n : loaded->notes) {
    items.push_back({n.created_at.time_since_epoch().count(), 2, i++,
                     Json{{"at", Iso(n.created_at)}, {"kind", "note"}, {"type", "note"}, {"actor", n.author},
                          {"details", {{"id", n.note_id}, {"text", n.text}}}}});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.source != b.source) return a.source < b.source;
    return a.seq < b.seq;
  });
  Json out = Json::array();
  for (auto& it : items) out.push_back(std::move(it.entry));
  return out;
}

core::Result<Json> Cases::CitizenStatus(std::string_view tenant, std::string_view tracking_code) {
  auto code = intake::NormalizeTrackingCode(tracking_code);
  if (!code) return core::NotFound("no submission with this tracking code");
  struct Loaded {
    CaseSummary c;
    std::vector<internal::AuditRow> audit;
  };
  AW_ASSIGN_OR_RETURN(auto loaded, db_.Read([&](store::Tx& tx) -> core::Result<std::optional<Loaded>> {
    AW_ASSIGN_OR_RETURN(auto id, internal::SelectCaseIdByTrackingCode(tx, tenant, *code));
    if (!id) return std::optional<Loaded>();
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, *id));
    if (!c) return std::optional<Loaded>();
    Loaded l;
    l.c = std::move(*c);
    AW_ASSIGN_OR_RETURN(l.audit, internal::SelectCaseAudit(tx, tenant, *id));
    return std::optional<Loaded>(std::move(l));
  }));
  if (!loaded) return core::NotFound("no submission with this tracking code");
  ProgressInput in;
  in.status = loaded->c.status;
  in.submitted_at = loaded->c.submitted_at;
  for (const auto& a : loaded->audit) {
    in.events.push_back({core::FromUnixMillis(a.at), a.action, core::ParseJson(a.details).value_or(Json(nullptr))});
  }
  if (auto inst = engine_.GetInstance(tenant, loaded->c.instance_id); inst.ok()) {
    in.instance_state = inst->state;
    if (inst->state != "active") {
      AW_ASSIGN_OR_RETURN(auto history, engine_.History(tenant, loaded->c.instance_id));
      for (const auto& h : history) {
        if (h.event == "instance_completed" || h.event == "instance_terminated") in.instance_ended_at = h.at;
      }
    }
  }
  Json out = CitizenProgress(in);
  out["trackingCode"] = intake::FormatTrackingCode(*code);
  out["submittedAt"] = core::FormatIso8601(loaded->c.submitted_at);
  if (loaded->c.due_at) out["expectedBy"] = core::FormatIso8601(*loaded->c.due_at).substr(0, 10);
  if (auto s = catalog_.FindService(loaded->c.service_id); s.ok()) {
    out["service"] = {{"id", s->id}, {"name", s->doc["name"]}};
    out["expectedProcessingDays"] = s->processing_days;
  }
  return out;
}

void Cases::HandOver(std::string tenant, std::string case_id, std::string to, std::string reason, Actor actor,
                     std::function<void(core::Result<Json>)> done) {
  while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\n')) reason.pop_back();
  if (to.empty()) return done(Invalid("/department", "must not be empty"));
  if (reason.empty()) return done(Invalid("/reason", "must not be empty: say why the case is handed over"));
  if (reason.size() > 2000) return done(Invalid("/reason", "is longer than 2,000 bytes"));
  auto h = std::make_shared<internal::Handover>();
  h->handover_id = core::NewId();
  h->to = to;
  h->reason = reason;
  h->actor = actor.audit_actor;
  h->at = core::ToUnixMillis(Now());
  auto cmd = [this, tenant, case_id, h](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return core::NotFound(fmt::format("no case {}", case_id));
    if (c->status == kStatusClosed) return core::FailedPrecondition(fmt::format("case {} is closed", c->case_number));
    AW_ASSIGN_OR_RETURN(bool exists, catalog::Catalog::DepartmentExists(tx, tenant, h->to));
    if (!exists) return Invalid("/department", fmt::format("no department '{}' in this tenant", h->to));
    if (h->to == c->department_id) return Invalid("/department", "the case is already in this department");
    h->from = c->department_id;
    Json vars = Json::object();
    vars["responsibleDepartment"] = h->to;
    AW_ASSIGN_OR_RETURN(int moved, engine_.HandOverTasksInTx(tx, tenant, c->instance_id, h->from, h->to, vars));
    h->tasks_moved = moved;
    AW_TRY(internal::UpdateCaseDepartment(tx, tenant, case_id, h->to, h->at));
    AW_TRY(internal::InsertHandover(tx, tenant, case_id, *h));
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = h->actor, .action = "cases.handed_over", .object_type = "case",
                          .object_id = case_id,
                          // The reason is free text (may name people): the audit chain, which can
                          // never be erased, keeps its hash; the text is in case_handovers (retention blanks it).
                          .details = Json{{"from", h->from}, {"to", h->to},
                                          {"reasonSha256", core::Sha256Hex(h->reason)},
                                          {"tasksMoved", moved}, {"handoverId", h->handover_id}}},
                         core::FromUnixMillis(h->at)));
    return core::OkStatus();
  };
  db_.writer().Submit(std::move(cmd), [h, done = std::move(done)](core::Status s) {
    if (!s.ok()) return done(std::move(s).error());
    done(Json{{"handoverId", h->handover_id}, {"from", h->from}, {"to", h->to}, {"tasksMoved", h->tasks_moved}});
  });
}

void Cases::SetStatus(std::string tenant, std::string case_id, std::string status, Actor actor,
                      std::function<void(core::Status)> done) {
  if (status != kStatusInProgress && status != kStatusWaiting) {
    return done(Invalid("/status", "must be in_progress or waiting (a case closes when its process ends)"));
  }
  int64_t now = core::ToUnixMillis(Now());
  auto cmd = [tenant, case_id, status, actor, now](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return core::NotFound(fmt::format("no case {}", case_id));
    if (c->status == kStatusClosed) return core::FailedPrecondition(fmt::format("case {} is closed", c->case_number));
    if (c->status == status) return core::OkStatus();
    AW_TRY(internal::UpdateCaseStatus(tx, tenant, case_id, status, now));
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor.audit_actor, .action = "cases.status_changed",
                          .object_type = "case", .object_id = case_id,
                          .details = Json{{"from", c->status}, {"to", status}}},
                         core::FromUnixMillis(now)));
    return core::OkStatus();
  };
  db_.writer().Submit(std::move(cmd), std::move(done));
}

// --- Inbox and task work -------------------------------------------------------------

core::Result<InboxPage> Cases::Inbox(std::string_view tenant, const InboxFilter& f) {
  if (f.limit < 1 || f.limit > 200) return Invalid("/limit", "must be between 1 and 200");
  if (f.scope != "all" && f.scope != "mine" && f.scope != "departments" && f.scope != "unassigned") {
    return Invalid("/scope", "must be one of all, mine, departments, unassigned");
  }
  std::vector<std::string> groups = f.departments;
  if (!f.department.empty()) {
    if (std::find(groups.begin(), groups.end(), f.department) == groups.end()) {
      return Invalid("/department", "is not one of your departments");
    }
    groups = {f.department};
  }
  internal::TaskKey after;
  if (!f.cursor.empty()) {
    AW_ASSIGN_OR_RETURN(Json k, DecodeCursor(f.cursor, "cursor"));
    if (!k[0].is_number_integer()) return Invalid("/cursor", "is not a cursor of the inbox");
    after = {k[0].get<int64_t>(), k[1].get<std::string>()};
  }
  int want = f.limit + 1;
  return db_.Read([&](store::Tx& tx) -> core::Result<InboxPage> {
    std::set<internal::TaskKey> keys;  // merged, ordered, without duplicates (a task in two of my groups)
    if ((f.scope == "all" || f.scope == "mine") && !f.login.empty()) {
      AW_ASSIGN_OR_RETURN(auto ks, internal::SelectAssignedKeys(tx, tenant, f.login, f.service, after, want));
      keys.insert(ks.begin(), ks.end());
    }
    if (f.scope != "mine") {
      for (const auto& g : groups) {
        AW_ASSIGN_OR_RETURN(auto ks, internal::SelectGroupKeys(tx, tenant, g, f.scope == "unassigned", f.service,
                                                               after, want));
        keys.insert(ks.begin(), ks.end());
      }
    }
    InboxPage page;
    int n = 0;
    internal::TaskKey last;
    for (const auto& k : keys) {
      if (n == f.limit) {
        page.next_cursor = EncodeCursor(Json::array({last.created_at, last.task_id}));
        break;
      }
      auto task = engine_.GetUserTaskInTx(tx, tenant, k.task_id);
      if (!task.ok()) continue;  // gone between the two reads of this snapshot cannot happen; be safe
      InboxItem item;
      item.task = std::move(*task);
      page.items.push_back(std::move(item));
      last = k;
      ++n;
    }
    // The page's cases in one query (a round trip per task less on PostgreSQL).
    std::vector<std::string> instances;
    for (const auto& item : page.items) instances.push_back(item.task.instance_id);
    std::sort(instances.begin(), instances.end());
    instances.erase(std::unique(instances.begin(), instances.end()), instances.end());
    AW_ASSIGN_OR_RETURN(auto by_instance, internal::SelectCasesByInstances(tx, tenant, instances));
    for (auto& item : page.items) {
      auto it = by_instance.find(item.task.instance_id);
      if (it != by_instance.end()) item.case_summary = it->second;
    }
    return page;
  });
}

core::Result<engine::UserTask> Cases::Task(std::string_view tenant, std::string_view task_id) {
  return engine_.GetUserTask(tenant, task_id);
}

namespace {

// After a task changed: the case's assignee, status and closing follow.
core::Status FollowTask(store::Tx& tx, engine::Engine& engine, const std::string& tenant, const CaseSummary& c,
                        int64_t now, const std::optional<std::string>& assignee, bool completed) {
  AW_ASSIGN_OR_RETURN(std::string state, engine.InstanceStateInTx(tx, tenant, c.instance_id));
  std::string status = c.status == kStatusReceived ? std::string(kStatusInProgress) : c.status;
  std::optional<int64_t> closed_at = c.closed_at ? std::optional<int64_t>(core::ToUnixMillis(*c.closed_at)) : std::nullopt;
  if (state != "active") {
    status = std::string(kStatusClosed);
    if (!closed_at) closed_at = now;
  }
  std::optional<std::string> case_assignee = completed ? c.assignee : assignee;
  if (!completed && !assignee && status == kStatusInProgress && c.status == kStatusReceived) {
    status = std::string(kStatusReceived);  // unassigning an untouched case leaves it received
  }
  return internal::UpdateCaseWork(tx, tenant, c.case_id, case_assignee, status, now, closed_at);
}

}  // namespace

void Cases::AssignTask(std::string tenant, std::string task_id, std::optional<std::string> assignee, bool take_over,
                       Actor actor, std::function<void(core::Status)> done) {
  if (assignee && assignee->empty()) return done(Invalid("/assignee", "must not be empty"));
  int64_t now = core::ToUnixMillis(Now());
  auto cmd = [this, tenant, task_id, assignee, take_over, actor, now](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(engine::UserTask t, engine_.GetUserTaskInTx(tx, tenant, task_id));
    if (t.assignee == assignee) return core::OkStatus();
    AW_TRY(engine_.AssignUserTaskInTx(tx, tenant, task_id, assignee, take_over));
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCaseByInstance(tx, tenant, t.instance_id));
    if (!c) return core::OkStatus();  // a task of a process not started by intake: no case to follow
    AW_TRY(FollowTask(tx, engine_, tenant, *c, now, assignee, false));
    std::string action = !assignee                  ? "cases.task_unassigned"
                         : *assignee == actor.login ? "cases.task_claimed"
                                                    : "cases.task_assigned";
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor.audit_actor, .action = action, .object_type = "case",
                          .object_id = c->case_id,
                          .details = Json{{"taskId", task_id}, {"task", t.name},
                                          {"from", t.assignee ? Json(*t.assignee) : Json(nullptr)},
                                          {"to", assignee ? Json(*assignee) : Json(nullptr)}}},
                         core::FromUnixMillis(now)));
    return core::OkStatus();
  };
  db_.writer().Submit(std::move(cmd), std::move(done));
}

void Cases::CompleteTask(std::string tenant, std::string task_id, Json data, forms::Language language, Actor actor,
                         std::function<void(core::Result<Json>)> done) {
  if (!data.is_object()) return done(Invalid("/data", "must be a JSON object"));
  // Validation runs before the command, on the task as it is now; the command
  // checks again that the task is open and not held by someone else.
  auto task = engine_.GetUserTask(tenant, task_id);
  if (!task.ok()) return done(std::move(task).error());
  Json clean = data;
  if (!task->form_key.empty()) {
    auto forms_list = catalog_.ListForms(tenant);
    if (!forms_list.ok()) return done(std::move(forms_list).error());
    int version = 0;
    for (const auto& f : *forms_list) {
      if (f.value("id", "") == task->form_key) version = f.value("latestVersion", 0);
    }
    if (version == 0) {
      return done(core::FailedPrecondition(
          fmt::format("the task's form '{}' is not in the catalogue of tenant '{}'", task->form_key, tenant)));
    }
    auto form = catalog_.CompiledForm(tenant, task->form_key, version);
    if (!form.ok()) return done(std::move(form).error());
    forms::ValidateOptions vo;
    vo.language = language;
    core::Timestamp now = Now();
    vo.today = feel::Date{std::chrono::floor<std::chrono::days>(now).time_since_epoch().count()};
    auto checked = forms::Validate(**form, data, vo);
    if (!checked.ok()) return done(std::move(checked).error());
    clean = std::move(*checked);
  }
  int64_t now = core::ToUnixMillis(Now());
  auto out = std::make_shared<Json>();
  auto cmd = [this, tenant, task_id, clean, actor, now, out](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(engine::UserTask t, engine_.GetUserTaskInTx(tx, tenant, task_id));
    if (t.assignee && *t.assignee != actor.login) {
      return core::FailedPrecondition(fmt::format("user task {} is assigned to {}", task_id, *t.assignee));
    }
    AW_TRY(engine_.CompleteUserTaskWithinTx(tx, tenant, task_id, clean));
    AW_ASSIGN_OR_RETURN(std::string state, engine_.InstanceStateInTx(tx, tenant, t.instance_id));
    *out = Json{{"instanceState", state}, {"caseStatus", nullptr}};
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCaseByInstance(tx, tenant, t.instance_id));
    if (!c) return core::OkStatus();
    CaseSummary cur = *c;
    if (!cur.assignee) cur.assignee = actor.login;
    AW_TRY(FollowTask(tx, engine_, tenant, cur, now, cur.assignee, true));
    (*out)["caseStatus"] = state == "active" ? (c->status == kStatusReceived ? std::string(kStatusInProgress) : c->status)
                                             : std::string(kStatusClosed);
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor.audit_actor, .action = "cases.task_completed",
                          .object_type = "case", .object_id = c->case_id,
                          .details = Json{{"taskId", task_id}, {"task", t.name}, {"formKey", t.form_key},
                                          {"fields", clean.size()}}},
                         core::FromUnixMillis(now)));
    if (state != "active") {
      AW_TRY(audit::Append(tx,
                           {.tenant = tenant, .actor = "system", .action = "cases.closed", .object_type = "case",
                            .object_id = c->case_id, .details = Json{{"instanceState", state}}},
                           core::FromUnixMillis(now)));
    }
    return core::OkStatus();
  };
  db_.writer().Submit(std::move(cmd), [out, done = std::move(done)](core::Status s) {
    if (!s.ok()) return done(std::move(s).error());
    done(*out);
  });
}

core::Status CloseIfProcessEndedInTx(store::Tx& tx, engine::Engine& engine, std::string_view tenant,
                                     std::string_view case_id, core::Timestamp at) {
  AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
  if (!c || c->status == kStatusClosed || c->instance_id.empty()) return core::OkStatus();
  AW_ASSIGN_OR_RETURN(std::string state, engine.InstanceStateInTx(tx, tenant, c->instance_id));
  if (state == "active") return core::OkStatus();
  int64_t now = core::ToUnixMillis(at);
  AW_TRY(internal::UpdateCaseWork(tx, tenant, c->case_id, c->assignee, std::string(kStatusClosed), now, now));
  AW_TRY(audit::Append(tx,
                       {.tenant = std::string(tenant), .actor = "system", .action = "cases.closed",
                        .object_type = "case", .object_id = c->case_id, .details = Json{{"instanceState", state}}},
                       at));
  return core::OkStatus();
}

}  // namespace amtsweg::cases
