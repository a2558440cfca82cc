// The Bescheid: a per-service template (JSON) rendered with the case data to
// a PDF letter with the tenant's letterhead, stored as a document of kind
// "bescheid" of the case.
//
// Template (JSON object; strings may hold placeholders):
//   title                   required  "Sondernutzungserlaubnis"
//   subject                 required  the subject line
//   addressee               required  lines of the address block
//   salutation              optional  default "Sehr geehrte Damen und Herren,"
//   body                    required  paragraphs (strings); a paragraph (or an
//                                     address line) whose placeholders are all
//                                     optional and empty is left out
//   legalBasis              optional  "Rechtsgrundlage: ..."
//   rechtsbehelfsbelehrung  optional  the notice of legal remedy (heading added)
//   closing                 optional  default "Mit freundlichen Grüßen"
//   signature               optional  default "Im Auftrag" and the department
// Placeholders: {{path.to.value}} from the case data (process variables: the
// form data and what the process added), plus caseNumber, today, tenant.name,
// tenant.anschrift ("Amtsplatz 1, 24999 Musterdorf"), service.name, department.name. {{x?}} may be missing (empty); {{x}} must
// exist, else rendering fails naming the placeholder. Filters: {{x|datum}}
// ("1. März 2026"), {{x|betrag}} ("1.234,50 €"), {{x|ja-nein}}. Numbers are
// written with a decimal comma, lists joined with ", ". ASCII double quotes in
// the result become German typographic quotes („…“).
//
// Worker: jobs of type `amtsweg:bescheid` (task header `vorlage` names the
// template of the case's service) are taken by RunBescheidJobs: render, write
// the file (fsync), then ONE writer command completes the job, stores the
// document version, appends the audit entry and calls the delivery hook.
// A missing template or placeholder fails the job with no retries, so the
// engine raises an incident with that message.
#pragma once

#include <chrono>
#include <functional>

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "records/records.h"

namespace amtsweg::records {

inline constexpr std::string_view kBescheidJobType = "amtsweg:bescheid";

struct BescheidTemplate {
  std::string title, subject;
  std::vector<std::string> addressee;
  std::string salutation = "Sehr geehrte Damen und Herren,";
  std::vector<std::string> body;
  std::string legal_basis;
  std::string rechtsbehelfsbelehrung;
  std::string closing = "Mit freundlichen Grüßen";
  std::string signature;
};

// kInvalidArgument with one detail per bad field (JSON pointer).
core::Result<BescheidTemplate> ParseTemplate(const core::Json& doc);

struct Letterhead {
  std::string authority;   // tenant name
  std::string department;  // responsible department's name
  std::string street, postal_code, city;
  std::string email, phone;
};

struct BescheidInput {
  Letterhead letterhead;
  std::string case_number;
  std::string service_name;
  core::Timestamp date{};
  core::Json data = core::Json::object();  // substitution values
};

struct RenderedBescheid {
  std::string title, subject;
  std::string text;  // the letter's text as laid out (for indexing)
  std::string pdf;
};

// kInvalidArgument: a required placeholder has no value (named), a bad filter.
core::Result<RenderedBescheid> RenderBescheid(const BescheidTemplate& t, const BescheidInput& in);

// Helpers (exposed for tests).
std::string GermanDate(core::Timestamp t);  // "27. November 2026" (Europe/Berlin)
std::string TypographicQuotes(std::string_view s);
struct SubstituteStats {
  int placeholders = 0;     // placeholders in the text
  int empty_optional = 0;   // of them: optional ones without a value
};
core::Result<std::string> Substitute(std::string_view text, const core::Json& data, SubstituteStats* stats = nullptr);

// Templates of a service: stored per tenant, service and name. Put validates.
core::Status PutTemplate(Records& r, std::string_view tenant, std::string_view service_id, std::string_view name,
                         const core::Json& doc, std::string_view actor = "system");
core::Result<core::Json> ListTemplates(Records& r, std::string_view tenant, std::string_view service_id);

// Renders the Bescheid `vorlage` for case `case_id` with `data` and stores it
// as a new document in `tx`-less mode (own writer command). For the CLI and tests.
core::Result<DocumentVersion> GenerateBescheid(Records& r, std::string_view tenant, std::string_view case_id,
                                               std::string_view vorlage, const core::Json& data,
                                               std::string_view actor);

// Takes up to `max_jobs` jobs of kBescheidJobType of every tenant that has
// some and handles each as described above. Returns how many it handled.
// "bescheid-<vorlage>-<case number>.pdf", the file name of a generated Bescheid.
std::string BescheidFileName(std::string_view vorlage, std::string_view case_number);

struct BescheidPreview {
  std::string title, filename, pdf;
};
// Renders template `vorlage` of the case's service exactly as the worker would
// — the case's process variables with `overrides` (the deciding task's form
// values, merged as a JSON merge patch) laid over them — WITHOUT storing,
// delivering or auditing anything. kNotFound: case (of this tenant) or
// template; kInvalidArgument: a value the template needs is missing (named).
core::Result<BescheidPreview> PreviewBescheid(Records& r, std::string_view tenant, std::string_view case_id,
                                              std::string_view vorlage, const core::Json& overrides);
// A preview as a link the case view can put into a frame: CreatePreviewLink
// renders it once (so errors are PreviewBescheid's, answered before anything
// is kept), then stores what it rendered — template and `overrides`, not the
// PDF — under a random token for kPreviewLinkTtl (durable, so any node of a
// multi-node installation opens it). Expired links of the tenant are removed
// in the same command. OpenPreviewLink renders it again; kNotFound when the
// token is unknown, expired, or of another case or tenant.
inline constexpr std::chrono::minutes kPreviewLinkTtl{10};
struct PreviewLink {
  std::string token, title, filename;
};
void CreatePreviewLink(Records& r, std::string tenant, std::string case_id, std::string vorlage, core::Json overrides,
                       std::function<void(core::Result<PreviewLink>)> done);
core::Result<BescheidPreview> OpenPreviewLink(Records& r, std::string_view tenant, std::string_view case_id,
                                              std::string_view token);
// The Bescheid the process would send next if open user task `task_id` of
// the case were completed with `data` (the form's current values): the
// `vorlage` of the first `amtsweg:bescheid` task the engine's look-ahead
// reaches (engine/look_ahead.h). `vorlage` is empty when none is reached;
// `undetermined` then says why when the way is not clear yet (a field the
// gateway needs is empty, a decision decides). Nothing is written.
// kNotFound: case, or task not of this case's process instance.
struct ExpectedBescheid {
  std::string vorlage, title, element_id, element_name;
  std::string undetermined;
  std::vector<std::string> waits;  // where the process waits next ("userTask nachfassen")
};
core::Result<ExpectedBescheid> ExpectBescheid(Records& r, std::string_view tenant, std::string_view case_id,
                                              std::string_view task_id, const core::Json& data);
// The Bescheid templates of the case's service: [{name, title}].
core::Result<core::Json> CaseTemplates(Records& r, std::string_view tenant, std::string_view case_id);

core::Result<int> RunBescheidJobs(Records& r, int max_jobs = 16);

}  // namespace amtsweg::records
