#include "records/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <optional>

#include "audit/audit.h"
#include "core/hash.h"
#include "core/id.h"
#include "records/records_store.h"

namespace amtsweg::records {

using core::Json;

namespace {

DocumentVersion FromRow(const internal::VersionRow& r) {
  return DocumentVersion{r.document_id, r.version, r.kind,   r.title,      r.filename,
                         r.content_type, r.size,   r.sha256, r.created_by, core::FromUnixMillis(r.created_at)};
}

bool ValidKind(std::string_view k) { return k == "upload" || k == "bescheid" || k == "other" || k == "attachment"; }

// Printable UTF-8 without control characters or path separators.
bool ValidFilename(std::string_view f) {
  if (f.empty() || f.size() > 255 || f == "." || f == "..") return false;
  for (unsigned char c : f) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

}  // namespace

Json ToJson(const DocumentVersion& v) {
  return Json{{"documentId", v.document_id}, {"version", v.version},       {"kind", v.kind},
              {"title", v.title},            {"filename", v.filename},     {"contentType", v.content_type},
              {"size", v.size},              {"sha256", v.sha256},         {"createdBy", v.created_by},
              {"createdAt", core::FormatIso8601(v.created_at)}};
}

Json ToJson(const Document& d) {
  Json versions = Json::array();
  for (const auto& v : d.versions) versions.push_back(ToJson(v));
  Json out = d.versions.empty() ? Json::object() : ToJson(d.versions.back());
  out["documentId"] = d.document_id;
  out["versions"] = std::move(versions);
  return out;
}

Records::Records(store::Database& db, catalog::Catalog& catalog, engine::Engine& engine, RecordsOptions options)
    : db_(db),
      catalog_(catalog),
      engine_(engine),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &core::SystemClock::Instance()),
      files_(options_.files_dir) {}

void Records::SetDeliveryHook(DeliveryHook hook) {
  std::lock_guard lock(mu_);
  delivery_ = std::move(hook);
}
void Records::SetIndexHook(IndexHook hook) {
  std::lock_guard lock(mu_);
  index_ = std::move(hook);
}
DeliveryHook Records::delivery_hook() {
  std::lock_guard lock(mu_);
  return delivery_;
}
IndexHook Records::index_hook() {
  std::lock_guard lock(mu_);
  return index_;
}

core::Result<std::vector<Document>> Records::ListDocuments(std::string_view tenant, std::string_view case_id) {
  return db_.Read([&](store::Tx& tx) -> core::Result<std::vector<Document>> {
    AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, case_id));
    if (!c) return core::NotFound(fmt::format("no case {}", case_id));
    AW_ASSIGN_OR_RETURN(auto rows, internal::SelectVersions(tx, tenant, case_id, c->submitted_at));
    std::vector<Document> out;
    std::map<std::string, size_t> index;
    for (const auto& r : rows) {
      auto [it, fresh] = index.emplace(r.document_id, out.size());
      if (fresh) out.push_back({r.document_id, {}});
      out[it->second].versions.push_back(FromRow(r));
    }
    for (auto& d : out) {
      std::sort(d.versions.begin(), d.versions.end(),
                [](const DocumentVersion& a, const DocumentVersion& b) { return a.version < b.version; });
    }
    // Intake documents come first (they were there first), then by id (UUIDv7: creation order).
    std::stable_sort(out.begin(), out.end(), [](const Document& a, const Document& b) {
      bool ai = a.document_id.starts_with("intake-"), bi = b.document_id.starts_with("intake-");
      if (ai != bi) return ai;
      if (ai) return a.document_id.size() != b.document_id.size() ? a.document_id.size() < b.document_id.size()
                                                                   : a.document_id < b.document_id;
      return a.document_id < b.document_id;
    });
    return out;
  });
}

core::Result<std::string> Records::CheckUpload(const NewDocument& doc) const {
  std::vector<core::FieldError> errors;
  if (!ValidFilename(doc.filename)) {
    errors.push_back({"/filename", "a file name of 1-255 printable characters without / or \\ is required"});
  }
  if (doc.title.size() > 300) errors.push_back({"/title", "at most 300 characters"});
  if (!ValidKind(doc.kind)) errors.push_back({"/kind", "one of upload, bescheid, other"});
  if (doc.bytes.empty()) errors.push_back({"/file", "the file is empty"});
  if (!errors.empty()) return core::InvalidArgument("invalid document", std::move(errors));
  if (static_cast<int64_t>(doc.bytes.size()) > options_.max_file_bytes) {
    return core::ResourceExhausted(
        fmt::format("/file: the file has {} bytes; at most {} are accepted", doc.bytes.size(), options_.max_file_bytes));
  }
  AW_ASSIGN_OR_RETURN(std::string type, intake::DetectContentType(doc.bytes));
  bool allowed = false;
  for (const auto& t : options_.allowed_types) allowed = allowed || t == type;
  if (!allowed) {
    return core::InvalidArgument("invalid document",
                                 {{"/file", fmt::format("files of type {} are not accepted (allowed: {})", type,
                                                        fmt::join(options_.allowed_types, ", "))}});
  }
  return type;
}

core::Result<DocumentVersion> Records::InsertVersionInTx(store::Tx& tx, const std::string& tenant,
                                                         const NewDocument& doc, const std::string& sha256,
                                                         const std::string& content_type, const std::string& new_id,
                                                         core::Timestamp now) {
  AW_ASSIGN_OR_RETURN(auto c, internal::SelectCase(tx, tenant, doc.case_id));
  if (!c) return core::NotFound(fmt::format("no case {}", doc.case_id));
  internal::VersionRow v;
  if (doc.document_id.empty()) {
    v.document_id = new_id;
    v.version = 1;
  } else {
    AW_ASSIGN_OR_RETURN(int64_t latest, internal::LatestVersion(tx, tenant, doc.case_id, doc.document_id));
    if (latest == 0) return core::NotFound(fmt::format("no document {} in case {}", doc.document_id, doc.case_id));
    v.document_id = doc.document_id;
    v.version = latest + 1;
  }
  v.kind = doc.kind;
  v.title = doc.title.empty() ? doc.filename : doc.title;
  v.filename = doc.filename;
  v.content_type = content_type;
  v.size = static_cast<int64_t>(doc.bytes.size());
  v.sha256 = sha256;
  v.created_by = doc.actor.empty() ? "system" : doc.actor;
  v.created_at = core::ToUnixMillis(now);
  AW_TRY(internal::InsertVersion(tx, tenant, doc.case_id, v));
  AW_TRY(audit::Append(tx,
                       {.tenant = tenant,
                        .actor = v.created_by,
                        .action = v.version == 1 ? "records.document_added" : "records.version_added",
                        .object_type = "case",
                        .object_id = doc.case_id,
                        .details = Json{{"documentId", v.document_id},
                                        {"version", v.version},
                                        {"kind", v.kind},
                                        {"filename", v.filename},
                                        {"sha256", v.sha256},
                                        {"size", v.size}}},
                       now));
  // Full-text search: the text of the document would be indexed here. The
  // cases layer wires cases::IndexTextInTx through SetIndexHook at merge time.
  if (IndexHook index = index_hook(); index && content_type == "text/plain") {
    AW_TRY(index(tx, tenant, doc.case_id, v.document_id, doc.bytes));
  }
  return FromRow(v);
}

void Records::AddDocument(std::string tenant, NewDocument doc,
                          std::function<void(core::Result<DocumentVersion>)> done) {
  auto type = CheckUpload(doc);
  if (!type.ok()) return done(std::move(type).error());
  std::string sha = core::Sha256Hex(doc.bytes);
  // The bytes are durable before the row that names them commits.
  if (auto s = files_.Put(tenant, sha, doc.bytes); !s.ok()) return done(std::move(s).error());
  // Computed once, outside the command (the writer may replay it).
  std::string new_id = core::NewId();
  core::Timestamp now = Now();
  auto state = std::make_shared<std::pair<NewDocument, std::optional<DocumentVersion>>>(std::move(doc), std::nullopt);
  std::string content_type = std::move(*type);
  db_.writer().Submit(
      [this, tenant, state, sha, content_type, new_id, now](store::Tx& tx) -> core::Status {
        AW_ASSIGN_OR_RETURN(auto v, InsertVersionInTx(tx, tenant, state->first, sha, content_type, new_id, now));
        state->second = std::move(v);
        return core::OkStatus();
      },
      [state, done = std::move(done)](core::Status s) {
        if (!s.ok()) return done(std::move(s).error());
        done(std::move(*state->second));
      });
}

core::Result<DocumentVersion> Records::AddDocumentSync(std::string tenant, NewDocument doc) {
  std::promise<core::Result<DocumentVersion>> p;
  auto f = p.get_future();
  AddDocument(std::move(tenant), std::move(doc), [&p](core::Result<DocumentVersion> r) { p.set_value(std::move(r)); });
  return f.get();
}

core::Result<std::pair<DocumentVersion, std::string>> Records::ReadVersion(std::string_view tenant,
                                                                           std::string_view case_id,
                                                                           std::string_view document_id,
                                                                           int64_t version) {
  AW_ASSIGN_OR_RETURN(auto docs, ListDocuments(tenant, case_id));
  for (const auto& d : docs) {
    if (d.document_id != document_id) continue;
    for (const auto& v : d.versions) {
      if (v.version != version) continue;
      AW_ASSIGN_OR_RETURN(std::string bytes, files_.Get(tenant, v.sha256));
      if (core::Sha256Hex(bytes) != v.sha256) {
        return core::Internal(fmt::format("the file of {} version {} does not match its SHA-256", document_id, version));
      }
      return std::make_pair(v, std::move(bytes));
    }
  }
  return core::NotFound(fmt::format("no version {} of document {} in case {}", version, document_id, case_id));
}

}  // namespace amtsweg::records
