#include "records/records_store.h"

#include <fmt/format.h>

#include "core/json.h"
#include "store/history_batch.h"

namespace amtsweg::records::internal {

using store::Value;

namespace {

CaseRow ToCase(const store::Row& r) {
  return CaseRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7)};
}

constexpr std::string_view kCaseColumns =
    "case_id, case_number, tracking_code, service_id, department_id, instance_id, stage, submitted_at";

}  // namespace

core::Result<std::optional<CaseRow>> SelectCase(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + std::string(kCaseColumns) +
                                                " FROM cases WHERE tenant_id = $1 AND case_id = $2",
                                            {tenant, case_id}));
  if (!row) return std::optional<CaseRow>();
  return std::optional<CaseRow>(ToCase(*row));
}

core::Result<std::vector<VersionRow>> SelectVersions(store::Tx& tx, std::string_view tenant,
                                                     std::string_view case_id, int64_t submitted_at) {
  std::vector<VersionRow> out;
  AW_ASSIGN_OR_RETURN(auto att, tx.Query("SELECT idx, ref, filename, content_type, size, sha256 FROM intake_attachments "
                                         "WHERE tenant_id = $1 AND case_id = $2 ORDER BY idx",
                                         {tenant, case_id}));
  for (const auto& r : att) {
    out.push_back(VersionRow{"intake-" + std::to_string(r.Int(0)), 1, "attachment", r.Text(2), r.Text(2), r.Text(3),
                             r.Int(4), r.Text(5), "citizen", submitted_at});
  }
  AW_ASSIGN_OR_RETURN(auto docs, tx.Query("SELECT document_id, version, kind, title, filename, content_type, size, "
                                          "sha256, created_by, created_at FROM records_documents "
                                          "WHERE tenant_id = $1 AND case_id = $2 ORDER BY document_id, version",
                                          {tenant, case_id}));
  for (const auto& r : docs) {
    out.push_back(VersionRow{r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Text(7),
                             r.Text(8), r.Int(9)});
  }
  return out;
}

core::Result<int64_t> LatestVersion(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                    std::string_view document_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT MAX(version) FROM records_documents WHERE tenant_id = $1 AND "
                                            "case_id = $2 AND document_id = $3",
                                            {tenant, case_id, document_id}));
  if (row && !row->IsNull(0)) return row->Int(0);
  if (document_id.starts_with("intake-")) {
    std::string idx(document_id.substr(7));
    bool digits = !idx.empty() && idx.size() < 10;
    for (char ch : idx) digits = digits && ch >= '0' && ch <= '9';
    if (!digits) return int64_t{0};
    AW_ASSIGN_OR_RETURN(auto att, tx.QueryOne("SELECT 1 FROM intake_attachments WHERE tenant_id = $1 AND "
                                              "case_id = $2 AND idx = $3",
                                              {tenant, case_id, std::stoll(idx)}));
    if (att) return int64_t{1};
  }
  return int64_t{0};
}

core::Status InsertVersion(store::Tx& tx, std::string_view tenant, std::string_view case_id, const VersionRow& v) {
  AW_TRY(tx.Exec("INSERT INTO records_documents (tenant_id, case_id, document_id, version, kind, title, filename, "
                 "content_type, size, sha256, created_by, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                 {tenant, case_id, v.document_id, v.version, v.kind, v.title, v.filename, v.content_type, v.size,
                  v.sha256, v.created_by, v.created_at}));
  return core::OkStatus();
}

core::Result<std::optional<std::string>> SelectFormData(store::Tx& tx, std::string_view tenant,
                                                        std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT data FROM intake_submissions WHERE tenant_id = $1 AND case_id = $2",
                                            {tenant, case_id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

core::Status UpsertTemplate(store::Tx& tx, std::string_view tenant, std::string_view service_id,
                            std::string_view name, std::string_view doc, int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO records_templates (tenant_id, service_id, name, doc, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, service_id, name) "
                 "DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at",
                 {tenant, service_id, name, doc, now}));
  return core::OkStatus();
}

core::Result<std::optional<std::string>> SelectTemplate(store::Tx& tx, std::string_view tenant,
                                                        std::string_view service_id, std::string_view name) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT doc FROM records_templates WHERE tenant_id = $1 AND "
                                            "service_id = $2 AND name = $3",
                                            {tenant, service_id, name}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

core::Result<std::vector<std::pair<std::string, std::string>>> SelectTemplates(store::Tx& tx, std::string_view tenant,
                                                                               std::string_view service_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT name, doc FROM records_templates WHERE tenant_id = $1 AND "
                                          "service_id = $2 ORDER BY name",
                                          {tenant, service_id}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

core::Result<std::vector<EndedCase>> SelectEndedCases(store::Tx& tx, std::string_view tenant,
                                                      std::string_view service_id, int64_t ended_before, int limit) {
  AW_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT c.case_id, c.case_number, c.tracking_code, c.service_id, c.department_id, c.instance_id, "
               "c.stage, c.submitted_at, i.ended_at FROM cases c JOIN engine_instances i "
               "ON i.tenant_id = c.tenant_id AND i.instance_id = c.instance_id "
               "WHERE c.tenant_id = $1 AND c.service_id = $4 AND i.state <> 'active' AND i.ended_at IS NOT NULL AND i.ended_at <= $2 "
               "AND NOT EXISTS (SELECT 1 FROM records_anonymised a WHERE a.tenant_id = c.tenant_id "
               "AND a.case_id = c.case_id) ORDER BY i.ended_at, c.case_id LIMIT $3",
               {tenant, ended_before, limit, service_id}));
  std::vector<EndedCase> out;
  for (const auto& r : rows) out.push_back({ToCase(r), r.Int(8)});
  return out;
}

core::Result<std::vector<std::string>> SelectTenantsWithCases(store::Tx& tx) {
  // Reads the tenant list itself (the only statement not keyed by one tenant).
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT tenant_id FROM catalog_tenants ORDER BY tenant_id"));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

core::Result<bool> HashReferencedElsewhere(store::Tx& tx, std::string_view tenant, std::string_view sha256,
                                           std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto a, tx.QueryOne("SELECT 1 FROM intake_attachments WHERE tenant_id = $1 AND sha256 = $2 "
                                          "AND case_id <> $3 LIMIT 1",
                                          {tenant, sha256, case_id}));
  if (a) return true;
  AW_ASSIGN_OR_RETURN(auto d, tx.QueryOne("SELECT 1 FROM records_documents WHERE tenant_id = $1 AND sha256 = $2 "
                                          "AND case_id <> $3 LIMIT 1",
                                          {tenant, sha256, case_id}));
  return d.has_value();
}

core::Result<bool> IsAnonymised(store::Tx& tx, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM records_anonymised WHERE tenant_id = $1 AND case_id = $2",
                                            {tenant, case_id}));
  return row.has_value();
}

namespace {

// Rewrites the instance's history rows (one per engine command, its events in
// one text column: store/history_batch.h) without the events' data; rows
// without data stay untouched, so a second run changes nothing. Returns the
// number of events whose data was cleared.
core::Result<int64_t> ClearHistoryData(store::Tx& tx, std::string_view tenant, std::string_view instance_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, events FROM engine_history WHERE tenant_id = $1 AND "
                                          "instance_id = $2 ORDER BY seq",
                                          {tenant, instance_id}));
  int64_t cleared = 0;
  std::string stripped;
  for (const store::Row& r : rows) {
    stripped.clear();
    int64_t with_data = 0;
    AW_TRY(store::ForEachHistoryEvent(r.Text(1), [&](const store::HistoryEventView& e) -> core::Status {
      if (!e.data.empty()) ++with_data;
      store::AppendHistoryEvent(stripped, e.event, e.element_id, e.element_key, {});
      return core::OkStatus();
    }));
    if (with_data == 0) continue;
    store::FinishHistoryBatch(stripped);
    AW_TRY(tx.Exec("UPDATE engine_history SET events = $4 WHERE tenant_id = $1 AND instance_id = $2 AND seq = $3",
                   {tenant, instance_id, r.Int(0), stripped}));
    cleared += with_data;
  }
  return cleared;
}

}  // namespace

core::Result<Removed> AnonymiseCase(store::Tx& tx, std::string_view tenant, const CaseRow& c,
                                    std::string_view report_id, int64_t now) {
  Removed r;
  AW_ASSIGN_OR_RETURN(r.form_data, tx.Exec("DELETE FROM intake_submissions WHERE tenant_id = $1 AND case_id = $2",
                                           {tenant, c.case_id}));
  AW_ASSIGN_OR_RETURN(r.attachments, tx.Exec("DELETE FROM intake_attachments WHERE tenant_id = $1 AND case_id = $2",
                                             {tenant, c.case_id}));
  AW_ASSIGN_OR_RETURN(r.documents, tx.Exec("DELETE FROM records_documents WHERE tenant_id = $1 AND case_id = $2",
                                           {tenant, c.case_id}));
  AW_TRY(tx.Exec("DELETE FROM intake_idempotency WHERE tenant_id = $1 AND case_id = $2", {tenant, c.case_id}));
  // The process variables hold the form data too; the history's data may hold
  // variables. Element ids, times and events stay (statistics, process mining).
  AW_ASSIGN_OR_RETURN(r.variables, tx.Exec("UPDATE engine_variables SET vars = '{}' WHERE tenant_id = $1 AND "
                                           "instance_id = $2 AND vars <> '{}'",
                                           {tenant, c.instance_id}));
  // The process scope is a column of the instance row (engine migration 0005).
  AW_ASSIGN_OR_RETURN(int64_t process_scope, tx.Exec("UPDATE engine_instances SET vars = '{}' WHERE tenant_id = $1 AND "
                                                     "instance_id = $2 AND vars <> '{}'",
                                                     {tenant, c.instance_id}));
  r.variables += process_scope;
  AW_ASSIGN_OR_RETURN(r.history_data, ClearHistoryData(tx, tenant, c.instance_id));
  // The receipt secret's hash is useless without data but is cleared too.
  AW_TRY(tx.Exec("UPDATE cases SET receipt_secret = '', stage = 'anonymised' WHERE tenant_id = $1 AND case_id = $2",
                 {tenant, c.case_id}));
  AW_TRY(tx.Exec("INSERT INTO records_anonymised (tenant_id, case_id, anonymised_at, report_id) "
                 "VALUES ($1, $2, $3, $4)",
                 {tenant, c.case_id, now, report_id}));
  return r;
}

core::Result<Traces> EraseCaseTraces(store::Tx& tx, std::string_view tenant, std::string_view case_id, bool apply) {
  Traces t;
  std::vector<Value> k{Value(tenant), Value(case_id)};
  // One trace: counted in a dry run, changed otherwise. `where` follows "FROM table ".
  auto one = [&](std::string_view table, std::string_view where, std::string_view change,
                 int64_t& into) -> core::Status {
    if (!apply) {
      AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(fmt::format("SELECT COUNT(*) FROM {} {}", table, where), k));
      into = row ? row->Int(0) : 0;
      return core::OkStatus();
    }
    AW_ASSIGN_OR_RETURN(into, tx.Exec(fmt::format("{} {}", change, where), k));
    return core::OkStatus();
  };
  AW_TRY(one("case_texts", "WHERE tenant_id = $1 AND case_id = $2", "DELETE FROM case_texts", t.search_texts));
  AW_TRY(one("cases", "WHERE tenant_id = $1 AND case_id = $2 AND (applicant_name <> '' OR applicant_email <> '')",
             "UPDATE cases SET applicant_name = '', applicant_email = ''", t.applicant_fields));
  AW_TRY(one("case_notes", "WHERE tenant_id = $1 AND case_id = $2", "DELETE FROM case_notes", t.notes));
  AW_TRY(one("case_handovers", "WHERE tenant_id = $1 AND case_id = $2 AND reason <> ''",
             "UPDATE case_handovers SET reason = ''", t.handover_reasons));
  // Postbox files: collected before their rows go; a file another message of
  // the tenant still uses (the same bytes sent twice) stays.
  AW_ASSIGN_OR_RETURN(auto hashes, tx.Query("SELECT DISTINCT sha256 FROM postfach_attachments "
                                            "WHERE tenant_id = $1 AND case_id = $2", k));
  for (const auto& h : hashes) {
    AW_ASSIGN_OR_RETURN(auto other, tx.QueryOne("SELECT 1 FROM postfach_attachments WHERE tenant_id = $1 AND "
                                                "sha256 = $2 AND case_id <> $3 LIMIT 1",
                                                {tenant, h.Text(0), case_id}));
    if (!other) t.message_hashes.push_back(h.Text(0));
  }
  AW_TRY(one("postfach_attachments", "WHERE tenant_id = $1 AND case_id = $2", "DELETE FROM postfach_attachments",
             t.message_attachments));
  AW_TRY(one("postfach_messages", "WHERE tenant_id = $1 AND case_id = $2", "DELETE FROM postfach_messages",
             t.messages));
  AW_TRY(one("postfach_mail_outbox", "WHERE tenant_id = $1 AND case_id = $2", "DELETE FROM postfach_mail_outbox",
             t.mails));
  AW_TRY(one("records_preview_links", "WHERE tenant_id = $1 AND case_id = $2", "DELETE FROM records_preview_links",
             t.preview_links));
  // Webhook deliveries of the case's audit entries keep what a receiver
  // needs to know the event happened (type, time, case id, audit seq); the
  // details and the actor go. Pending ones are sent like that.
  const char* of_case = "WHERE tenant_id = $1 AND audit_seq IN (SELECT seq FROM audit_log WHERE tenant_id = $1 AND "
                        "object_type = 'case' AND object_id = $2) AND payload NOT LIKE '%\"erased\":true%'";
  if (!apply) {
    AW_TRY(one("webhook_deliveries", of_case, "", t.webhook_payloads));
  } else {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT delivery_id, audit_seq, event_type, payload FROM "
                                                        "webhook_deliveries ") + of_case, k));
    for (const auto& r : rows) {
      auto old = core::ParseJson(r.Text(3));
      core::Json ts = old.ok() && old->is_object() ? old->value("timestamp", core::Json()) : core::Json();
      core::Json payload{{"type", r.Text(2)},
                         {"timestamp", ts},
                         {"erased", true},
                         {"data", {{"tenant", tenant}, {"auditSeq", r.Int(1)}, {"caseId", case_id}}}};
      AW_TRY(tx.Exec("UPDATE webhook_deliveries SET payload = $3 WHERE tenant_id = $1 AND delivery_id = $2",
                     {tenant, r.Text(0), core::DumpJson(payload)}));
      ++t.webhook_payloads;
    }
  }
  AW_ASSIGN_OR_RETURN(auto audit, tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1 AND "
                                              "object_type = 'case' AND object_id = $2", k));
  t.audit_entries = audit ? audit->Int(0) : 0;
  return t;
}

core::Status InsertReport(store::Tx& tx, std::string_view tenant, std::string_view report_id, int64_t now,
                          bool dry_run, std::string_view report) {
  AW_TRY(tx.Exec("INSERT INTO records_retention_reports (tenant_id, report_id, ran_at, dry_run, report) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 {tenant, report_id, now, dry_run ? 1 : 0, report}));
  return core::OkStatus();
}

core::Result<std::vector<ReportRow>> SelectReports(store::Tx& tx, std::string_view tenant, int limit) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT report_id, ran_at, dry_run, report FROM records_retention_reports "
                                          "WHERE tenant_id = $1 ORDER BY ran_at DESC, report_id DESC LIMIT $2",
                                          {tenant, limit}));
  std::vector<ReportRow> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Int(1), r.Int(2) != 0, r.Text(3)});
  return out;
}

}  // namespace amtsweg::records::internal
