#include "records/export.h"

#include <zip.h>

#include <fmt/format.h>

#include <deque>

#include "records/pdf.h"
#include "records/records_store.h"

namespace amtsweg::records {

using core::Json;

namespace {

// Folds nested form data into "a.b: value" lines.
void Flatten(const Json& v, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object()) {
    for (const auto& [k, e] : v.items()) Flatten(e, prefix.empty() ? k : prefix + "." + k, out);
  } else if (v.is_array() && !v.empty() && (v[0].is_object() || v[0].is_array())) {
    for (size_t i = 0; i < v.size(); ++i) Flatten(v[i], fmt::format("{}[{}]", prefix, i + 1), out);
  } else if (v.is_string()) {
    out.emplace_back(prefix, v.get<std::string>());
  } else {
    out.emplace_back(prefix, v.dump());
  }
}

std::string SafeName(std::string_view f) {
  std::string s(f);
  for (char& c : s) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  return s;
}

class ZipWriter {
 public:
  ZipWriter() {
    zip_error_init(&err_);
    src_ = zip_source_buffer_create(nullptr, 0, 0, &err_);
    if (src_ != nullptr) {
      zip_source_keep(src_);
      za_ = zip_open_from_source(src_, ZIP_TRUNCATE, &err_);
    }
  }
  ~ZipWriter() {
    if (za_ != nullptr) zip_discard(za_);
    if (src_ != nullptr) zip_source_free(src_);
    zip_error_fini(&err_);
  }
  core::Status Add(const std::string& name, std::string bytes) {
    if (za_ == nullptr) return Fail("open");
    data_.push_back(std::move(bytes));
    zip_source_t* s = zip_source_buffer(za_, data_.back().data(), data_.back().size(), 0);
    if (s == nullptr) return Fail("buffer");
    if (zip_file_add(za_, name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(s);
      return Fail("add " + name);
    }
    return core::OkStatus();
  }
  core::Result<std::string> Finish() {
    if (za_ == nullptr) return Fail("open");
    if (zip_close(za_) < 0) return Fail("close");
    za_ = nullptr;
    if (zip_source_open(src_) < 0) return Fail("reopen");
    std::string out;
    char buf[65536];
    zip_int64_t n;
    while ((n = zip_source_read(src_, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_source_close(src_);
    if (n < 0) return Fail("read");
    return out;
  }

 private:
  core::Error Fail(const std::string& what) {
    const char* msg = za_ != nullptr ? zip_strerror(za_) : zip_error_strerror(&err_);
    return core::Internal(fmt::format("ZIP export: {}: {}", what, msg != nullptr ? msg : "error"));
  }
  zip_error_t err_;
  zip_source_t* src_ = nullptr;
  zip_t* za_ = nullptr;
  std::deque<std::string> data_;  // alive until zip_close
};

}  // namespace

core::Result<std::string> ExportCase(Records& r, std::string_view tenant, std::string_view case_id) {
  AW_ASSIGN_OR_RETURN(auto c, r.db().Read([&](store::Tx& tx) { return internal::SelectCase(tx, tenant, case_id); }));
  if (!c) return core::NotFound(fmt::format("no case {}", case_id));
  AW_ASSIGN_OR_RETURN(auto form_text,
                      r.db().Read([&](store::Tx& tx) { return internal::SelectFormData(tx, tenant, case_id); }));
  Json form = Json::object();
  if (form_text) {
    AW_ASSIGN_OR_RETURN(form, core::ParseJson(*form_text));
  }
  AW_ASSIGN_OR_RETURN(auto docs, r.ListDocuments(tenant, case_id));
  Json process = Json::object();
  Json history = Json::array();
  if (auto inst = r.engine().GetInstance(tenant, c->instance_id); inst.ok()) {
    process = Json{{"instanceId", inst->instance_id},
                   {"processId", inst->process_id},
                   {"version", inst->version},
                   {"state", inst->state},
                   {"activeElements", inst->active_elements}};
    AW_ASSIGN_OR_RETURN(auto events, r.engine().History(tenant, c->instance_id));
    for (const auto& e : events) {
      Json h{{"seq", e.seq}, {"at", core::FormatIso8601(e.at)}, {"event", e.event}, {"elementId", e.element_id}};
      if (!e.data.is_null()) h["data"] = e.data;
      history.push_back(std::move(h));
    }
  }
  std::string service_name = c->service_id;
  if (auto s = r.catalog().GetService(tenant, c->service_id); s.ok()) {
    service_name = s->value("name", Json::object()).value("de", c->service_id);
  }
  std::string authority(tenant);
  if (auto t = r.catalog().GetTenant(tenant); t.ok()) authority = t->value("name", authority);

  ZipWriter zip;
  Json doc_list = Json::array();
  for (const Document& d : docs) {
    for (const DocumentVersion& v : d.versions) {
      AW_ASSIGN_OR_RETURN(auto pair, r.ReadVersion(tenant, case_id, d.document_id, v.version));
      std::string path = fmt::format("dokumente/{}/v{}-{}", SafeName(d.document_id), v.version, SafeName(v.filename));
      AW_TRY(zip.Add(path, std::move(pair.second)));
      Json j = ToJson(v);
      j["path"] = path;
      doc_list.push_back(std::move(j));
    }
  }
  Json case_json{{"case",
                  {{"caseId", c->case_id},
                   {"caseNumber", c->case_number},
                   {"serviceId", c->service_id},
                   {"service", service_name},
                   {"departmentId", c->department_id},
                   {"stage", c->stage},
                   {"submittedAt", core::FormatIso8601(core::FromUnixMillis(c->submitted_at))}}},
                 {"formData", form},
                 {"process", process},
                 {"documents", doc_list},
                 {"history", history},
                 {"exportedAt", core::FormatIso8601(r.Now())}};
  AW_TRY(zip.Add("case.json", case_json.dump(2)));

  // The summary PDF.
  Pdf pdf;
  pdf.Paragraph(authority, 14, true);
  pdf.Paragraph("Aktenauszug " + c->case_number, 13, true);
  pdf.Gap(6);
  pdf.Paragraph("Leistung: " + service_name);
  pdf.Paragraph("Zuständig: " + c->department_id);
  pdf.Paragraph("Eingegangen: " + core::FormatIso8601(core::FromUnixMillis(c->submitted_at), 0));
  pdf.Paragraph("Verfahrensstand: " + process.value("state", c->stage));
  pdf.Paragraph("Erstellt: " + core::FormatIso8601(r.Now(), 0));
  pdf.Gap(8);
  pdf.Paragraph("Antragsdaten", 11.5, true);
  std::vector<std::pair<std::string, std::string>> lines;
  Flatten(form, "", lines);
  if (lines.empty()) pdf.Paragraph("(keine Antragsdaten gespeichert)");
  for (const auto& [k, v] : lines) pdf.Paragraph(k + ": " + v, 9.5);
  pdf.Gap(8);
  pdf.Paragraph("Dokumente", 11.5, true);
  if (doc_list.empty()) pdf.Paragraph("(keine Dokumente)");
  for (const auto& d : doc_list) {
    pdf.Paragraph(fmt::format("{} (Version {}, {}, {} Bytes, {})", d["title"].get<std::string>(),
                              d["version"].get<int64_t>(), d["contentType"].get<std::string>(),
                              d["size"].get<int64_t>(), d["createdAt"].get<std::string>()),
                  9.5);
    pdf.Paragraph("SHA-256 " + d["sha256"].get<std::string>(), 8, false, 12);
  }
  pdf.Gap(8);
  pdf.Paragraph("Verlauf", 11.5, true);
  for (const auto& h : history) {
    pdf.Paragraph(fmt::format("{}  {} {}", h["at"].get<std::string>(), h["event"].get<std::string>(),
                              h["elementId"].get<std::string>()),
                  8.5);
  }
  pdf.SetFooter(fmt::format("{} · Aktenzeichen {}", authority, c->case_number));
  AW_ASSIGN_OR_RETURN(std::string summary, pdf.Finish("Aktenauszug " + c->case_number));
  AW_TRY(zip.Add("zusammenfassung.pdf", std::move(summary)));
  return zip.Finish();
}

}  // namespace amtsweg::records
