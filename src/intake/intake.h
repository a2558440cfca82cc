// Intake: a citizen's submission of a service's form, from validated data to
// a durable case in the responsible department's inbox.
//
//   Submit: catalog service → compiled form → forms::Validate (hidden fields
//   dropped, unknown keys refused) → attachments checked (count, size, type by
//   content) and written content-addressed + fsync'd → ONE writer command:
//   idempotency check, routing (fixed department or a DMN decision on the
//   data), gap-free case number, case row, form data, attachment rows, audit
//   entry, process start (runs to its first wait state) → answer after the
//   commit: {trackingCode, caseNumber, receipt}.
//
// Also: status by tracking code (no personal data), the receipt PDF (needs the
// receipt secret from the answer), drafts with a resume token, and the sweep
// of orphaned attachment files.
//
// Thread-safety: all methods are thread-safe. Submit answers on the store's
// writer thread (after the commit), on a file thread of the attachment store
// (a file could not be written) or, for errors found before, on the calling
// thread. Attachment files are written and fsync'd by those file threads, so
// the caller's (HTTP) thread never waits for the disk.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/engine.h"
#include "forms/validator.h"
#include "intake/attachment_store.h"
#include "store/database.h"

namespace amtsweg::intake {

// One uploaded file; `ref` is the value the form data uses for it (the
// filepicker field holds it, e.g. "files::plan").
struct Upload {
  std::string ref;
  std::string filename;
  std::string bytes;
};

struct SubmitRequest {
  std::string service_id;
  core::Json data;            // the form data (parsed with bounded depth)
  std::vector<Upload> files;
  forms::Language language = forms::Language::kGerman;
  std::string idempotency_key;  // empty: none
  std::string request_hash;     // SHA-256 of what the client sent (body + content type); for the key
};

// A new case, as the layers above intake (cases/) see it: passed to
// IntakeOptions::on_case_created inside the submission's transaction, after the
// case row is written, so what the hook writes commits or rolls back with the
// case (and is re-run with it when the writer replays the batch).
struct CaseCreated {
  std::string tenant, case_id, case_number, tracking_code, department_id, instance_id;
  const catalog::Service* service = nullptr;
  const forms::Form* form = nullptr;
  const core::Json* data = nullptr;  // the cleaned form data
  core::Timestamp submitted_at{};
};
using CaseCreatedHook = std::function<core::Status(store::Tx&, const CaseCreated&)>;

struct IntakeOptions {
  std::filesystem::path files_dir;  // attachment root
  core::Clock* clock = nullptr;     // null: system clock
  // Attachment limits unless the form says otherwise: a filepicker's
  // `properties.maxFileBytes`, the form's `properties.maxAttachmentBytes`.
  int64_t max_file_bytes = 10 * 1024 * 1024;
  int64_t max_total_bytes = 20 * 1024 * 1024;
  size_t max_files = 20;
  // Allowed types (by content) unless a filepicker's `accept` narrows them.
  std::vector<std::string> allowed_types = {"application/pdf", "image/png", "image/jpeg", "image/tiff",
                                            "text/plain", "application/xml", "text/xml"};
  std::chrono::hours draft_lifetime{24 * 30};
  size_t max_draft_bytes = 1024 * 1024;
  // Called in the submission's transaction for each new case (empty: none);
  // its error fails the submission.
  CaseCreatedHook on_case_created{};
};

class Intake {
 public:
  // Borrows everything; they outlive the Intake.
  Intake(store::Database& db, catalog::Catalog& catalog, engine::Engine& engine, IntakeOptions options);

  // Validates and stores a submission; `done` gets the 201 body
  // {trackingCode, caseNumber, receipt: {url, secret}, submittedAt, ...}.
  // A retry with the same Idempotency-Key and request gets the same body.
  // kNotFound: no published service. kInvalidArgument with details: the form
  // data (one FieldError per field, in request.language), attachments
  // (/files/<ref>), an Idempotency-Key reused for another request.
  // kResourceExhausted: attachment limits. kFailedPrecondition: the routing
  // decision named no department of the tenant; process not deployed (kNotFound).
  void Submit(SubmitRequest request, std::function<void(core::Result<core::Json>)> done);

  // {trackingCode, service: {id, name}, stage, submittedAt, expectedProcessingDays,
  //  expectedBy} — no personal data. kNotFound (also for malformed codes).
  core::Result<core::Json> Status(std::string_view tracking_code);

  // The receipt PDF; `secret` from the submission's answer. kNotFound for an
  // unknown code or a wrong secret (indistinguishable on purpose).
  core::Result<std::string> ReceiptPdf(std::string_view tracking_code, std::string_view secret);

  // Drafts: any JSON object (not validated: it is work in progress, but
  // bounded and valid UTF-8), kept draft_lifetime from the last save.
  // Create: {token, resumeUrl, expiresAt}. Get: {serviceId, data, updatedAt,
  // expiresAt}. kNotFound for unknown or expired tokens.
  core::Result<core::Json> CreateDraft(std::string_view service_id, const core::Json& data);
  core::Result<core::Json> GetDraft(std::string_view token);
  core::Result<core::Json> UpdateDraft(std::string_view token, const core::Json& data);

  // Removes attachment files of `tenant` no row refers to, older than `min_age`
  // (age on the options' clock).
  core::Result<int> SweepOrphans(std::string_view tenant, std::chrono::seconds min_age = std::chrono::hours(1));

  // SweepOrphans for every tenant with an attachment folder. A tenant whose
  // sweep fails is counted in `failed` (and its first error kept); the others
  // are still swept.
  struct SweepReport {
    int tenants = 0;
    int removed = 0;
    int failed = 0;
    std::string first_error;
  };
  core::Result<SweepReport> SweepAllOrphans(std::chrono::seconds min_age);

  AttachmentStore& attachments() { return files_; }

 private:
  core::Timestamp Now() const { return clock_->Now(); }
  store::Database& db_;
  catalog::Catalog& catalog_;
  engine::Engine& engine_;
  IntakeOptions options_;
  core::Clock* clock_;
  AttachmentStore files_;
};

}  // namespace amtsweg::intake
