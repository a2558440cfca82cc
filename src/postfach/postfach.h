// Postfach: the message thread of a case between the office and the citizen.
//
//   Office → citizen: staff (API), a process step (job type
//   `amtsweg:postfach-nachricht`, German templates by task header `vorlage`),
//   or another layer inside its own transaction (PostOfficeMessageInTx, e.g.
//   the Bescheid of records/). Each such message also queues an e-mail
//   ("a message is waiting", no content) when the case's form data has an
//   address and SMTP is configured.
//   Citizen → office: reached with the tracking code plus the receipt key (no
//   account; the key's SHA-256 is compared in constant time; a wrong code or
//   key is the same 404). A reply publishes the BPMN message
//   `reply_message_name` (default "angaben-nachgereicht") with the case id as
//   correlation key in the same transaction, so a process waiting for
//   "Angaben nachgereicht" continues.
//
// Attachments: type detected from the bytes (libmagic), size and count limits,
// written content-addressed and fsync'd BEFORE the transaction (intake's
// AttachmentStore under <files_dir>/_postfach/<tenant>/...).
//
// Every write is one command of the store's group-commit writer, re-runnable
// (ids and timestamps are computed before submitting). Audit entries
// (object type "case") go into the same transaction; webhooks follow them.
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/engine.h"
#include "intake/attachment_store.h"
#include "store/database.h"
#include "store/tx.h"

namespace amtsweg::postfach {

// The postbox's attachment files: an AttachmentStore under <files_dir>/<kFilesSubdir>.
inline constexpr const char* kFilesSubdir = "_postfach";

// A file to attach, as uploaded or generated.
struct NewAttachment {
  std::string filename;
  std::string bytes;
};

// An attachment already written by AttachmentStore::Put (see PrepareAttachments).
struct StoredAttachment {
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
};

struct Limits {
  int64_t max_file_bytes = 10 * 1024 * 1024;
  int64_t max_total_bytes = 20 * 1024 * 1024;
  size_t max_files = 10;
  size_t max_subject_chars = 200;
  size_t max_body_bytes = 64 * 1024;
  std::vector<std::string> allowed_types = {"application/pdf", "image/png", "image/jpeg", "image/tiff",
                                            "text/plain", "application/xml", "text/xml"};
};

struct Options {
  std::filesystem::path files_dir{};  // the storage root; postfach uses <files_dir>/_postfach
  core::Clock* clock = nullptr;      // null: the system clock
  Limits limits{};
  // The BPMN message a citizen's reply publishes (correlation key: case id).
  std::string reply_message_name = "angaben-nachgereicht";
  // E-mail notification: when false no outbox rows are written (SMTP off).
  bool mail_enabled = false;
  // Base of the link in the e-mail: <public_url>/portal/postfach/<tracking code>.
  std::string public_url = "http://localhost:8080";
};

// Hook for full-text indexing of message text (cases::IndexTextInTx of the
// "cases" layer, not yet on main). Called inside the message's transaction;
// its error fails the command. Unset: nothing is indexed.
using IndexTextHook = std::function<core::Status(store::Tx&, std::string_view tenant, std::string_view case_id,
                                                 std::string_view object_id, std::string_view text)>;

class Postfach {
 public:
  // Borrows db and engine (they outlive the Postfach).
  Postfach(store::Database& db, engine::Engine& engine, Options options);

  // ---- staff side (tenant from the path, actor "user:<id>" / "token:<id>") ----

  // {items: [{id, direction, subject, text, author, createdAt, readByCitizenAt,
  //  readByOfficeAt, attachments: [{idx, filename, contentType, size, sha256}]}]},
  // oldest first. kNotFound: no such case of the tenant.
  core::Result<core::Json> ListForStaff(std::string_view tenant, std::string_view case_id);
  // Posts an office message (to the citizen); answers the stored message.
  // kInvalidArgument with details (/subject, /text, /files/<n>), kNotFound
  // (case), kResourceExhausted (sizes). `done` runs after the commit.
  void PostForStaff(std::string tenant, std::string case_id, std::string actor, std::string subject,
                    std::string text, std::vector<NewAttachment> files,
                    std::function<void(core::Result<core::Json>)> done);
  // Marks a citizen's message read by the office (first time only).
  core::Result<core::Json> MarkReadByOffice(std::string_view tenant, std::string_view case_id,
                                            std::string_view message_id, std::string_view actor);
  // The bytes of attachment `idx` of a message: (filename, content type, bytes).
  struct File {
    std::string filename, content_type, bytes;
  };
  core::Result<File> StaffAttachment(std::string_view tenant, std::string_view case_id, std::string_view message_id,
                                     int64_t idx);

  // ---- citizen side: tracking code + receipt key; kNotFound for either wrong ----

  core::Result<core::Json> ListForCitizen(std::string_view tracking_code, std::string_view key);
  void PostForCitizen(std::string tracking_code, std::string key, std::string subject, std::string text,
                      std::vector<NewAttachment> files, std::function<void(core::Result<core::Json>)> done);
  core::Result<core::Json> MarkReadByCitizen(std::string_view tracking_code, std::string_view key,
                                             std::string_view message_id);
  core::Result<File> CitizenAttachment(std::string_view tracking_code, std::string_view key,
                                       std::string_view message_id, int64_t idx);

  // ---- for other layers ----

  // Checks and writes attachment files (before a transaction). Errors as PostForStaff.
  core::Result<std::vector<StoredAttachment>> PrepareAttachments(std::string_view tenant,
                                                                 const std::vector<NewAttachment>& files);

  // Posts an office message inside the caller's write command: message row,
  // attachment rows, audit entry "postfach.message_sent", e-mail outbox row,
  // index hook. `attachments` must come from PrepareAttachments (records/:
  // the Bescheid PDF). `origin` (optional) makes the call idempotent: a second
  // message with the same origin is not written and the first one's id is
  // returned. `message_id` and `at` are chosen by the caller before the
  // command (re-runnable). Returns the message id.
  core::Result<std::string> PostOfficeMessageInTx(store::Tx& tx, std::string_view tenant, std::string_view case_id,
                                                  std::string_view message_id, std::string_view actor,
                                                  std::string_view subject, std::string_view text,
                                                  const std::vector<StoredAttachment>& attachments,
                                                  core::Timestamp at, std::string_view origin = {});

  // The in-process worker of job type `amtsweg:postfach-nachricht`: activates
  // the jobs of every tenant, renders the template named by task header
  // `vorlage` with the job's variables and posts it to the case in variable
  // `caseId` — the message and the job's completion in ONE transaction
  // (Engine::CompleteJobWith). An unknown template or case fails the job
  // (retries, then an incident naming the reason). Returns how many jobs it
  // completed. app/ calls it periodically (serve).
  core::Result<int> RunJobs(int max_jobs = 20);
  static constexpr const char* kJobType = "amtsweg:postfach-nachricht";

  void SetIndexTextHook(IndexTextHook hook) { index_text_ = std::move(hook); }
  intake::AttachmentStore& files() { return files_; }

 private:
  struct CaseRef;
  core::Result<CaseRef> CitizenCase(store::Tx& tx, std::string_view tracking_code, std::string_view key);
  core::Result<core::Json> Thread(store::Tx& tx, std::string_view tenant, std::string_view case_id);
  core::Timestamp Now() const { return clock_->Now(); }

  store::Database& db_;
  engine::Engine& engine_;
  Options options_;
  core::Clock* clock_;
  intake::AttachmentStore files_;
  IndexTextHook index_text_;
};

// ---- templates (German) for `vorlage` ----

struct RenderedMessage {
  std::string subject;
  std::string text;
};
// Renders template `name` with process variables (caseNumber, nachforderung,
// params.nachreichfristTage, ...). kNotFound: no template of that name.
core::Result<RenderedMessage> RenderTemplate(std::string_view name, const core::Json& variables);
// The names of every template.
std::vector<std::string> TemplateNames();

}  // namespace amtsweg::postfach
