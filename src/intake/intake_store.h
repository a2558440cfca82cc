// SQL of intake/ (cases, form data, attachments, audit, idempotency, drafts).
// Every statement is keyed by tenant except the lookups by tracking code and
// draft token, which are globally unique (the citizen holds only them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/tx.h"

namespace amtsweg::intake::internal {

struct CaseRow {
  std::string tenant_id, case_id, case_number, tracking_code, receipt_secret_hash, service_id, department_id,
      instance_id, stage;
  int64_t submitted_at = 0;
};

struct AttachmentRow {
  int64_t idx = 0;
  std::string ref, filename, content_type;
  int64_t size = 0;
  std::string sha256;
};

struct IdempotencyRow {
  std::string request_hash;
  std::string response;
};

core::Result<std::optional<IdempotencyRow>> FindIdempotency(store::Tx& tx, std::string_view tenant,
                                                            std::string_view key);
core::Status InsertIdempotency(store::Tx& tx, std::string_view tenant, std::string_view key, std::string_view hash,
                               std::string_view case_id, std::string_view response, int64_t now);

// The next number of `tenant` in `year` (1, 2, ...), in the caller's transaction:
// rolled back with it, so numbers have no gaps.
core::Result<int64_t> NextCaseNumber(store::Tx& tx, std::string_view tenant, int64_t year);

core::Status InsertCase(store::Tx& tx, const CaseRow& c);
core::Status InsertSubmissionData(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                  std::string_view form_id, int form_version, std::string_view language,
                                  std::string_view data);
core::Status InsertAttachment(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                              const AttachmentRow& a);
core::Status InsertAudit(store::Tx& tx, std::string_view tenant, std::string_view audit_id, int64_t at,
                         std::string_view actor, std::string_view action, std::string_view subject,
                         std::string_view data);

core::Result<std::optional<CaseRow>> FindCaseByTrackingCode(store::Tx& tx, std::string_view code);
// (form_id, form_version, data JSON text)
struct SubmissionRow {
  std::string form_id;
  int form_version = 0;
  std::string language;
  std::string data;
};
core::Result<std::optional<SubmissionRow>> SelectSubmission(store::Tx& tx, std::string_view tenant,
                                                            std::string_view case_id);
core::Result<std::vector<AttachmentRow>> SelectAttachments(store::Tx& tx, std::string_view tenant,
                                                           std::string_view case_id);
core::Result<bool> AttachmentReferenced(store::Tx& tx, std::string_view tenant, std::string_view sha256);

struct DraftRow {
  std::string tenant_id, service_id, data;
  int64_t created_at = 0, updated_at = 0, expires_at = 0;
};
core::Status InsertDraft(store::Tx& tx, std::string_view tenant, std::string_view token_hash,
                         std::string_view service_id, std::string_view data, int64_t now, int64_t expires);
core::Result<std::optional<DraftRow>> SelectDraft(store::Tx& tx, std::string_view token_hash);
core::Result<bool> UpdateDraft(store::Tx& tx, std::string_view tenant, std::string_view token_hash,
                               std::string_view data, int64_t now, int64_t expires);

}  // namespace amtsweg::intake::internal
