// Retention (DSGVO, Aussonderung): a service's `retentionPeriod` (ISO 8601
// duration of years/months/weeks/days in the service doc) counts from the
// case's end — the completion (or termination) of its process instance in
// the engine. When it has passed, the job removes the case's personal data:
//   - the form data (intake_submissions) and idempotency answers,
//   - every document version row (intake attachments, records documents) and
//     each file whose SHA-256 no other row of the tenant references,
//   - the process variables (set to {}) and the data of its history events,
//   - the receipt secret's hash;
// and keeps an anonymised skeleton for statistics: case id and number,
// service, department, submission time, the process instance with its element
// history and times (stage 'anonymised', a row in records_anonymised).
// Services without a retention period are kept (and listed in the report).
//
// Each case is one writer command (all or nothing); files are removed after
// its commit (a crash in between leaves orphans for the attachment sweep).
// The report (what was removed, counts) is stored in
// records_retention_reports and appended to the audit chain
// ("records.retention_ran"). A dry run changes and stores nothing and returns
// the same report.
#pragma once

#include <optional>
#include <string>

#include "core/json.h"
#include "core/result.h"
#include "records/records.h"

namespace amtsweg::records {

struct RetentionOptions {
  bool dry_run = false;
  std::optional<std::string> tenant{};  // nullopt: every tenant
  int max_cases_per_service = 10000;  // per run
  std::string actor = "system";
};

// One report per tenant: {reportId, tenant, ranAt, dryRun, counts: {cases,
// formData, documentVersions, files, variables, historyEvents}, cases: [{caseId,
// caseNumber, serviceId, endedAt, expiredAt, removed: {...}}], keptServices: [...]}.
core::Result<core::Json> RunRetention(Records& r, const RetentionOptions& options);

// Stored reports of a tenant, newest first.
core::Result<core::Json> ListRetentionReports(Records& r, std::string_view tenant, int limit = 50);

}  // namespace amtsweg::records
