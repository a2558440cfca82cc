#include "records/retention.h"

#include <fmt/format.h>

#include <set>

#include "audit/audit.h"
#include "core/id.h"
#include "engine/timer_spec.h"
#include "intake/attachment_store.h"
#include "postfach/postfach.h"
#include "records/records_store.h"

namespace amtsweg::records {

using core::Json;

namespace {

struct CasePlan {
  internal::EndedCase ec;
  core::Timestamp expired_at{};
  int64_t form_data = 0, versions = 0;
  std::vector<std::string> hashes;  // distinct hashes of the case's documents
};

Json TracesJson(const internal::Traces& t) {
  return Json{{"searchTexts", t.search_texts},         {"applicantFields", t.applicant_fields},
              {"notes", t.notes},                      {"handoverReasons", t.handover_reasons},
              {"messages", t.messages},                {"messageAttachments", t.message_attachments},
              {"messageFiles", t.message_hashes.size()}, {"mails", t.mails},
              {"webhookPayloads", t.webhook_payloads},     {"previewLinks", t.preview_links}};
}

core::Result<Json> RunTenant(Records& r, const std::string& tenant, const RetentionOptions& o) {
  core::Timestamp now = r.Now();
  int64_t now_ms = core::ToUnixMillis(now);
  std::string report_id = core::NewId();
  AW_ASSIGN_OR_RETURN(Json services, r.catalog().ListServices(tenant));
  Json kept = Json::array();
  std::vector<CasePlan> plans;
  for (const Json& s : services) {
    std::string service_id = s.value("id", "");
    std::string period_text = s.value("retentionPeriod", "");
    if (period_text.empty()) {
      kept.push_back(service_id);
      continue;
    }
    auto period = engine::ParseIsoDuration(period_text);
    if (!period.ok()) {
      return core::FailedPrecondition(
          fmt::format("service {}: retentionPeriod {}: {}", service_id, period_text, period.error().message()));
    }
    AW_ASSIGN_OR_RETURN(auto ended, r.db().Read([&](store::Tx& tx) {
      return internal::SelectEndedCases(tx, tenant, service_id, now_ms, o.max_cases_per_service);
    }));
    for (auto& ec : ended) {
      core::Timestamp expired = engine::AddDuration(core::FromUnixMillis(ec.ended_at), *period);
      if (expired > now) break;  // ordered by end: the rest expire later
      CasePlan p;
      p.ec = std::move(ec);
      p.expired_at = expired;
      AW_TRY(r.db().Read([&](store::Tx& tx) -> core::Status {
        AW_ASSIGN_OR_RETURN(auto form, internal::SelectFormData(tx, tenant, p.ec.c.case_id));
        p.form_data = form ? 1 : 0;
        AW_ASSIGN_OR_RETURN(auto versions, internal::SelectVersions(tx, tenant, p.ec.c.case_id, 0));
        p.versions = static_cast<int64_t>(versions.size());
        std::set<std::string> hashes;
        for (const auto& v : versions) hashes.insert(v.sha256);
        p.hashes.assign(hashes.begin(), hashes.end());
        return core::OkStatus();
      }));
      plans.push_back(std::move(p));
    }
  }

  Json cases = Json::array();
  int64_t total_form = 0, total_versions = 0, total_files = 0, total_vars = 0, total_history = 0;
  Json total_traces = TracesJson({});
  int64_t total_audit = 0;
  intake::AttachmentStore postbox(r.options().files_dir / postfach::kFilesSubdir);
  for (const CasePlan& p : plans) {
    internal::Removed removed;
    internal::Traces traces;
    std::vector<std::string> files_to_delete;
    if (o.dry_run) {
      AW_ASSIGN_OR_RETURN(traces, r.db().Read([&](store::Tx& tx) {
        return internal::EraseCaseTraces(tx, tenant, p.ec.c.case_id, false);
      }));
      removed.form_data = p.form_data;
      removed.attachments = p.versions;  // all versions, reported together below
      AW_TRY(r.db().Read([&](store::Tx& tx) -> core::Status {
        for (const auto& h : p.hashes) {
          AW_ASSIGN_OR_RETURN(bool other, internal::HashReferencedElsewhere(tx, tenant, h, p.ec.c.case_id));
          if (!other) files_to_delete.push_back(h);
        }
        return core::OkStatus();
      }));
    } else {
      const internal::CaseRow c = p.ec.c;
      bool skipped = false;
      AW_TRY(r.db().writer().Write([&](store::Tx& tx) -> core::Status {
        files_to_delete.clear();  // the command may be replayed
        removed = {};
        // Another serve process (shared PostgreSQL) may have taken it meanwhile.
        AW_ASSIGN_OR_RETURN(skipped, internal::IsAnonymised(tx, tenant, c.case_id));
        if (skipped) return core::OkStatus();
        for (const auto& h : p.hashes) {
          AW_ASSIGN_OR_RETURN(bool other, internal::HashReferencedElsewhere(tx, tenant, h, c.case_id));
          if (!other) files_to_delete.push_back(h);
        }
        AW_ASSIGN_OR_RETURN(traces, internal::EraseCaseTraces(tx, tenant, c.case_id, true));
        AW_ASSIGN_OR_RETURN(removed, internal::AnonymiseCase(tx, tenant, c, report_id, now_ms));
        return core::OkStatus();
      }));
      if (skipped) continue;
      removed.attachments += removed.documents;
      for (const auto& h : files_to_delete) {
        std::error_code ec;
        std::filesystem::remove(r.files().PathOf(tenant, h), ec);
      }
      for (const auto& h : traces.message_hashes) {
        std::error_code ec;
        std::filesystem::remove(postbox.PathOf(tenant, h), ec);
      }
    }
    Json tj = TracesJson(traces);
    for (auto& [k, v] : tj.items()) total_traces[k] = total_traces[k].get<int64_t>() + v.get<int64_t>();
    total_audit += traces.audit_entries;
    int64_t versions = o.dry_run ? p.versions : removed.attachments;
    total_form += removed.form_data;
    total_versions += versions;
    total_files += static_cast<int64_t>(files_to_delete.size());
    total_vars += removed.variables;
    total_history += removed.history_data;
    cases.push_back(Json{{"caseId", p.ec.c.case_id},
                         {"caseNumber", p.ec.c.case_number},
                         {"serviceId", p.ec.c.service_id},
                         {"endedAt", core::FormatIso8601(core::FromUnixMillis(p.ec.ended_at))},
                         {"expiredAt", core::FormatIso8601(p.expired_at)},
                         {"removed",
                          {{"formData", removed.form_data},
                           {"documentVersions", versions},
                           {"files", files_to_delete.size()},
                           {"variableScopes", removed.variables},
                           {"historyEvents", removed.history_data}}},
                         {"alsoRemoved", tj},
                         {"auditEntriesKept", traces.audit_entries}});
  }
  Json report{{"reportId", report_id},
              {"tenant", tenant},
              {"ranAt", core::FormatIso8601(now)},
              {"dryRun", o.dry_run},
              {"counts",
               {{"cases", cases.size()},
                {"formData", total_form},
                {"documentVersions", total_versions},
                {"files", total_files},
                {"variableScopes", total_vars},
                {"historyEvents", total_history},
                {"alsoRemoved", total_traces},
                {"auditEntriesKept", total_audit}}},
              {"cases", cases},
              // What stays, and why (the report names it rather than implying nothing remains).
              {"kept",
               {{"skeleton", "case id and number, tracking code, service, department, status, submission/due/closing "
                             "times; the process instance with element ids, events and times (statistics)"},
                {"auditEntries", "the hash chain cannot lose entries (audit verify); case entries hold ids, case "
                                 "numbers, counts, hashes, status names, staff actors and document file names, no "
                                 "applicant data; hand-over reasons are kept as a hash"},
                {"webhookDeliveries", "type, time, case id and audit seq of each event; details and actor removed"}}},
              {"keptServices", kept}};
  if (!o.dry_run) {
    std::string text = core::DumpJson(report);
    Json counts = report["counts"];
    AW_TRY(r.db().writer().Write([&](store::Tx& tx) -> core::Status {
      AW_TRY(internal::InsertReport(tx, tenant, report_id, now_ms, false, text));
      AW_TRY(audit::Append(tx,
                           {.tenant = tenant,
                            .actor = o.actor,
                            .action = "records.retention_ran",
                            .object_type = "retention_report",
                            .object_id = report_id,
                            .details = counts},
                           now));
    return core::OkStatus();
    }));
  }
  return report;
}

}  // namespace

core::Result<Json> RunRetention(Records& r, const RetentionOptions& o) {
  std::vector<std::string> tenants;
  if (o.tenant) {
    AW_TRY(r.catalog().GetTenant(*o.tenant));
    tenants.push_back(*o.tenant);
  } else {
    AW_ASSIGN_OR_RETURN(tenants, r.db().Read([](store::Tx& tx) { return internal::SelectTenantsWithCases(tx); }));
  }
  Json out = Json::array();
  for (const auto& t : tenants) {
    AW_ASSIGN_OR_RETURN(Json rep, RunTenant(r, t, o));
    out.push_back(std::move(rep));
  }
  return out;
}

core::Result<Json> ListRetentionReports(Records& r, std::string_view tenant, int limit) {
  AW_ASSIGN_OR_RETURN(auto rows,
                      r.db().Read([&](store::Tx& tx) { return internal::SelectReports(tx, tenant, limit); }));
  Json out = Json::array();
  for (const auto& row : rows) {
    AW_ASSIGN_OR_RETURN(Json rep, core::ParseJson(row.report));
    out.push_back(std::move(rep));
  }
  return out;
}

}  // namespace amtsweg::records
