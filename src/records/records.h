// records/: the documents of a case (E-Akte), the Bescheid, the case export
// and the retention job (DSGVO).
//
//   Documents: every document of a case has versions; a version names its
//   bytes by SHA-256, content-addressed on disk (intake::AttachmentStore,
//   fsync'd before the transaction that references them commits). Intake's
//   attachments are version 1 of documents 'intake-<idx>' (read from
//   intake_attachments, not copied). Every new version is one writer command
//   with its audit entry.
//
//   Bescheid (bescheid.h): a per-service template rendered to PDF with the
//   tenant's letterhead and the case data; stored as a document of kind
//   "bescheid" in the same transaction that completes the engine job.
//
//   Export (export.h): a ZIP with a PDF summary, every document version and case.json.
//   Retention (retention.h): deletes/anonymises what the service's retention
//   period lets expire, with a report.
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/engine.h"
#include "intake/attachment_store.h"
#include "store/database.h"

namespace amtsweg::records {

struct DocumentVersion {
  std::string document_id;
  int64_t version = 0;
  std::string kind;  // attachment | upload | bescheid | other
  std::string title;
  std::string filename;
  std::string content_type;  // detected from the bytes
  int64_t size = 0;
  std::string sha256;
  std::string created_by;  // "citizen", "user:<id>", "token:<id>", "system"
  core::Timestamp created_at{};
};

struct Document {
  std::string document_id;
  std::vector<DocumentVersion> versions;  // oldest first
};

// A new document (document_id empty) or a new version of one.
struct NewDocument {
  std::string case_id{};
  std::string document_id{};  // empty: a new document (id generated)
  std::string kind = "upload";
  std::string title{};     // empty: the file name
  std::string filename{};  // required
  std::string bytes{};
  std::string actor{};  // audit actor
};

// Called inside the writer command that stores a Bescheid (and completes its
// job), so the delivery commits with it. Must only write rows with `tx`
// (re-runnable: the writer may replay the command). Set at wiring time by the
// postbox (postfach/); unset: the Bescheid is stored but not delivered.
struct BescheidDelivery {
  std::string tenant;
  std::string case_id;
  std::string case_number;
  std::string document_id;
  int64_t version = 0;
  std::string title;     // e.g. "Sondernutzungserlaubnis"
  std::string subject;   // the letter's subject line
  std::string filename;  // bescheid-<vorlage>-<case number>.pdf
  std::string sha256;
  int64_t size = 0;
};
using DeliveryHook = std::function<core::Status(store::Tx&, const BescheidDelivery&)>;

// Hook for full-text indexing of a document's text (cases::IndexTextInTx at
// merge time). Runs in the writer command that stores the version.
using IndexHook = std::function<core::Status(store::Tx&, std::string_view tenant, std::string_view case_id,
                                             std::string_view document_id, std::string_view text)>;

struct RecordsOptions {
  std::filesystem::path files_dir{};  // the same root as intake's attachments
  core::Clock* clock = nullptr;     // null: system clock
  int64_t max_file_bytes = 20 * 1024 * 1024;
  std::vector<std::string> allowed_types = {"application/pdf", "image/png", "image/jpeg", "image/tiff",
                                            "text/plain", "application/xml", "text/xml"};
};

class Records {
 public:
  // Borrows everything; they outlive the Records.
  Records(store::Database& db, catalog::Catalog& catalog, engine::Engine& engine, RecordsOptions options);

  // Documents of a case, ordered by id. kNotFound: no such case of the tenant.
  core::Result<std::vector<Document>> ListDocuments(std::string_view tenant, std::string_view case_id);
  // Stores a new document or version: type by content, size limit, file
  // fsync'd, then one writer command (row + audit entry). `done` runs after
  // the commit (writer thread) or at once for errors found before.
  // kInvalidArgument (field named): filename, title, kind, empty or
  // disallowed content; kResourceExhausted: too large; kNotFound: case or
  // document unknown.
  void AddDocument(std::string tenant, NewDocument doc, std::function<void(core::Result<DocumentVersion>)> done);
  core::Result<DocumentVersion> AddDocumentSync(std::string tenant, NewDocument doc);
  // One version and its bytes. kNotFound.
  core::Result<std::pair<DocumentVersion, std::string>> ReadVersion(std::string_view tenant, std::string_view case_id,
                                                                    std::string_view document_id, int64_t version);

  void SetDeliveryHook(DeliveryHook hook);
  void SetIndexHook(IndexHook hook);

  store::Database& db() { return db_; }
  catalog::Catalog& catalog() { return catalog_; }
  engine::Engine& engine() { return engine_; }
  intake::AttachmentStore& files() { return files_; }
  const RecordsOptions& options() const { return options_; }
  core::Timestamp Now() const { return clock_->Now(); }
  core::Clock& clock() { return *clock_; }

  // Inside a writer command: stores a version whose bytes are already on
  // disk (Put before the command). Used by AddDocument and the Bescheid worker.
  core::Result<DocumentVersion> InsertVersionInTx(store::Tx& tx, const std::string& tenant, const NewDocument& doc,
                                                  const std::string& sha256, const std::string& content_type,
                                                  const std::string& new_id, core::Timestamp now);
  DeliveryHook delivery_hook();
  IndexHook index_hook();

 private:
  core::Result<std::string> CheckUpload(const NewDocument& doc) const;  // content type

  store::Database& db_;
  catalog::Catalog& catalog_;
  engine::Engine& engine_;
  RecordsOptions options_;
  core::Clock* clock_;
  intake::AttachmentStore files_;
  std::mutex mu_;
  DeliveryHook delivery_;  // GUARDED_BY(mu_)
  IndexHook index_;        // GUARDED_BY(mu_)
};

core::Json ToJson(const DocumentVersion& v);
core::Json ToJson(const Document& d);

}  // namespace amtsweg::records
