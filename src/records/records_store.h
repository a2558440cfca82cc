// SQL of records/ (documents, Bescheid templates, retention). Every statement
// is keyed by tenant. Reads the tables of intake/ (cases, submissions,
// attachments) and the engine's instance rows, and — only in the retention
// job — removes personal data from them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/tx.h"

namespace amtsweg::records::internal {

struct CaseRow {
  std::string case_id, case_number, tracking_code, service_id, department_id, instance_id, stage;
  int64_t submitted_at = 0;
};

struct VersionRow {
  std::string document_id;
  int64_t version = 0;
  std::string kind, title, filename, content_type;
  int64_t size = 0;
  std::string sha256, created_by;
  int64_t created_at = 0;
};

core::Result<std::optional<CaseRow>> SelectCase(store::Tx& tx, std::string_view tenant, std::string_view case_id);

// Every version of every document of a case: intake attachments as version 1
// of 'intake-<idx>' first, then records_documents, ordered by document and version.
core::Result<std::vector<VersionRow>> SelectVersions(store::Tx& tx, std::string_view tenant,
                                                     std::string_view case_id, int64_t submitted_at);
core::Result<int64_t> LatestVersion(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                    std::string_view document_id);
core::Status InsertVersion(store::Tx& tx, std::string_view tenant, std::string_view case_id, const VersionRow& v);
// The form data JSON text, nullopt when there is none (or it was removed).
core::Result<std::optional<std::string>> SelectFormData(store::Tx& tx, std::string_view tenant,
                                                        std::string_view case_id);

core::Status UpsertTemplate(store::Tx& tx, std::string_view tenant, std::string_view service_id,
                            std::string_view name, std::string_view doc, int64_t now);
core::Result<std::optional<std::string>> SelectTemplate(store::Tx& tx, std::string_view tenant,
                                                        std::string_view service_id, std::string_view name);
// (name, doc) of every template of a service, by name.
core::Result<std::vector<std::pair<std::string, std::string>>> SelectTemplates(store::Tx& tx, std::string_view tenant,
                                                                               std::string_view service_id);

// Retention: cases of `tenant` and `service_id` whose process instance ended (completed or
// terminated) at or before `ended_before` and that are not yet anonymised,
// with the end time; at most `limit`, oldest end first.
struct EndedCase {
  CaseRow c;
  int64_t ended_at = 0;
};
core::Result<std::vector<EndedCase>> SelectEndedCases(store::Tx& tx, std::string_view tenant,
                                                      std::string_view service_id, int64_t ended_before, int limit);
// Tenants that have cases.
core::Result<std::vector<std::string>> SelectTenantsWithCases(store::Tx& tx);
// True when a row other than those of `case_id` refers to `sha256` (intake attachments or documents of the tenant).
core::Result<bool> HashReferencedElsewhere(store::Tx& tx, std::string_view tenant, std::string_view sha256,
                                           std::string_view case_id);
// True when the retention job has anonymised the case already (another node).
core::Result<bool> IsAnonymised(store::Tx& tx, std::string_view tenant, std::string_view case_id);
// Removes the personal data of one case; returns the number of rows removed per table.
struct Removed {
  int64_t form_data = 0, attachments = 0, documents = 0, variables = 0, history_data = 0;
};
// What else a case left behind in other layers' tables (cases/, postfach/, webhooks):
// counted (apply = false, dry run) or removed/blanked (apply = true).
struct Traces {
  int64_t search_texts = 0;      // case_texts rows (SQLite: their FTS5 rows go by trigger)
  int64_t applicant_fields = 0;  // cases.applicant_name / applicant_email blanked (1 per case)
  int64_t notes = 0;             // case_notes rows
  int64_t handover_reasons = 0;  // case_handovers.reason blanked
  int64_t messages = 0;          // postfach_messages rows (subject, body)
  int64_t message_attachments = 0;
  int64_t mails = 0;             // postfach_mail_outbox rows (recipient address, text)
  int64_t webhook_payloads = 0;  // webhook_deliveries.payload reduced to type, time, case id
  int64_t preview_links = 0;     // records_preview_links rows (a Bescheid preview's form values)
  int64_t audit_entries = 0;     // kept (the hash chain): ids, numbers, counts, hashes, staff actors
  std::vector<std::string> message_hashes;  // postbox attachment files no other message of the tenant uses
};
core::Result<Traces> EraseCaseTraces(store::Tx& tx, std::string_view tenant, std::string_view case_id, bool apply);
core::Result<Removed> AnonymiseCase(store::Tx& tx, std::string_view tenant, const CaseRow& c,
                                    std::string_view report_id, int64_t now);
core::Status InsertReport(store::Tx& tx, std::string_view tenant, std::string_view report_id, int64_t now,
                          bool dry_run, std::string_view report);
// Reports of a tenant, newest first: (report_id, ran_at, dry_run, report JSON).
struct ReportRow {
  std::string report_id;
  int64_t ran_at = 0;
  bool dry_run = false;
  std::string report;
};
core::Result<std::vector<ReportRow>> SelectReports(store::Tx& tx, std::string_view tenant, int limit);

}  // namespace amtsweg::records::internal
