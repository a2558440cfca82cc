#include "intake/intake_store.h"

namespace amtsweg::intake::internal {

core::Result<std::optional<IdempotencyRow>> FindIdempotency(store::Tx& tx, std::string_view tenant,
                                                            std::string_view key) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT request_hash, response FROM intake_idempotency "
                                          "WHERE tenant_id = $1 AND idem_key = $2",
                                          {tenant, key}));
  if (!r) return std::optional<IdempotencyRow>();
  return std::optional<IdempotencyRow>(IdempotencyRow{r->Text(0), r->Text(1)});
}

core::Status InsertIdempotency(store::Tx& tx, std::string_view tenant, std::string_view key, std::string_view hash,
                               std::string_view case_id, std::string_view response, int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO intake_idempotency (tenant_id, idem_key, request_hash, case_id, response, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6)",
                 {tenant, key, hash, case_id, response, now}));
  return core::OkStatus();
}

core::Result<int64_t> NextCaseNumber(store::Tx& tx, std::string_view tenant, int64_t year) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("UPDATE case_counters SET last = last + 1 "
                                          "WHERE tenant_id = $1 AND year = $2 RETURNING last",
                                          {tenant, year}));
  if (r) return r->Int(0);
  AW_TRY(tx.Exec("INSERT INTO case_counters (tenant_id, year, last) VALUES ($1, $2, 1)", {tenant, year}));
  return int64_t{1};
}

core::Status InsertCase(store::Tx& tx, const CaseRow& c) {
  AW_TRY(tx.Exec("INSERT INTO cases (tenant_id, case_id, case_number, tracking_code, receipt_secret, service_id, "
                 "department_id, instance_id, stage, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {c.tenant_id, c.case_id, c.case_number, c.tracking_code, c.receipt_secret_hash, c.service_id,
                  c.department_id, c.instance_id, c.stage, c.submitted_at}));
  return core::OkStatus();
}

core::Status InsertSubmissionData(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                  std::string_view form_id, int form_version, std::string_view language,
                                  std::string_view data) {
  AW_TRY(tx.Exec("INSERT INTO intake_submissions (tenant_id, case_id, form_id, form_version, language, data) "
                 "VALUES ($1, $2, $3, $4, $5, $6)",
                 {tenant, case_id, form_id, int64_t{form_version}, language, data}));
  return core::OkStatus();
}

core::Status InsertAttachment(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                              const AttachmentRow& a) {
  AW_TRY(tx.Exec("INSERT INTO intake_attachments (tenant_id, case_id, idx, ref, filename, content_type, size, sha256) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                 {tenant, case_id, a.idx, a.ref, a.filename, a.content_type, a.size, a.sha256}));
  return core::OkStatus();
}

core::Result<std::optional<CaseRow>> FindCaseByTrackingCode(store::Tx& tx, std::string_view code) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT tenant_id, case_id, case_number, tracking_code, receipt_secret, "
                                          "service_id, department_id, instance_id, stage, submitted_at FROM cases "
                                          "WHERE tracking_code = $1",
                                          {code}));
  if (!r) return std::optional<CaseRow>();
  return std::optional<CaseRow>(CaseRow{r->Text(0), r->Text(1), r->Text(2), r->Text(3), r->Text(4), r->Text(5),
                                        r->Text(6), r->Text(7), r->Text(8), r->Int(9)});
}

core::Result<std::optional<SubmissionRow>> SelectSubmission(store::Tx& tx, std::string_view tenant,
                                                            std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT form_id, form_version, language, data FROM intake_submissions "
                                          "WHERE tenant_id = $1 AND case_id = $2",
                                          {tenant, case_id}));
  if (!r) return std::optional<SubmissionRow>();
  return std::optional<SubmissionRow>(SubmissionRow{r->Text(0), static_cast<int>(r->Int(1)), r->Text(2), r->Text(3)});
}

core::Result<std::vector<AttachmentRow>> SelectAttachments(store::Tx& tx, std::string_view tenant,
                                                           std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT idx, ref, filename, content_type, size, sha256 FROM intake_attachments "
                                          "WHERE tenant_id = $1 AND case_id = $2 ORDER BY idx",
                                          {tenant, case_id}));
  std::vector<AttachmentRow> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5)});
  return out;
}

core::Result<bool> AttachmentReferenced(store::Tx& tx, std::string_view tenant, std::string_view sha256) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT 1 FROM intake_attachments WHERE tenant_id = $1 AND sha256 = $2 LIMIT 1",
                                          {tenant, sha256}));
  if (r) return true;
  // records/ keeps case documents (uploads, Bescheide) in the same file store
  // (migration 0011): the orphan sweep must not take their files.
  AW_ASSIGN_OR_RETURN(auto d, tx.QueryOne("SELECT 1 FROM records_documents WHERE tenant_id = $1 AND sha256 = $2 LIMIT 1",
                                          {tenant, sha256}));
  return d.has_value();
}

core::Status InsertDraft(store::Tx& tx, std::string_view tenant, std::string_view token_hash,
                         std::string_view service_id, std::string_view data, int64_t now, int64_t expires) {
  AW_TRY(tx.Exec("INSERT INTO intake_drafts (tenant_id, token_hash, service_id, data, created_at, updated_at, expires_at) "
                 "VALUES ($1, $2, $3, $4, $5, $5, $6)",
                 {tenant, token_hash, service_id, data, now, expires}));
  return core::OkStatus();
}

core::Result<std::optional<DraftRow>> SelectDraft(store::Tx& tx, std::string_view token_hash) {
  AW_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT tenant_id, service_id, data, created_at, updated_at, expires_at "
                                          "FROM intake_drafts WHERE token_hash = $1",
                                          {token_hash}));
  if (!r) return std::optional<DraftRow>();
  return std::optional<DraftRow>(DraftRow{r->Text(0), r->Text(1), r->Text(2), r->Int(3), r->Int(4), r->Int(5)});
}

core::Result<bool> UpdateDraft(store::Tx& tx, std::string_view tenant, std::string_view token_hash,
                               std::string_view data, int64_t now, int64_t expires) {
  AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE intake_drafts SET data = $3, updated_at = $4, expires_at = $5 "
                                         "WHERE tenant_id = $1 AND token_hash = $2 AND expires_at > $4",
                                         {tenant, token_hash, data, now, expires}));
  return n > 0;
}

}  // namespace amtsweg::intake::internal
