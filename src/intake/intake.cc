#include "intake/intake.h"

#include "audit/audit.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/id.h"
#include "forms/utf8.h"
#include "intake/codes.h"
#include "intake/intake_store.h"
#include "intake/receipt_pdf.h"

namespace amtsweg::intake {

using core::Json;
using forms::Component;
using forms::ComponentType;

namespace {

const Json* At(const Json& obj, const std::vector<std::string>& path) {
  const Json* cur = &obj;
  for (const auto& seg : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(seg);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string Pointer(const std::string& base, const std::vector<std::string>& path) {
  std::string p = base;
  for (const auto& s : path) p += "/" + forms::EscapePointerToken(s);
  return p;
}

// Visits every keyed component with its value in the (cleaned) data, following
// groups with a path and the items of dynamic lists, as forms/ lays data out.
void Walk(const std::vector<Component>& comps, const Json& obj, const std::string& ptr, const std::string& prefix,
          const std::function<void(const Component&, const Json&, const std::string&, const std::string&)>& visit) {
  for (const Component& c : comps) {
    if (c.type == ComponentType::kGroup) {
      if (c.path_segments.empty()) {
        Walk(c.components, obj, ptr, prefix, visit);
      } else if (const Json* sub = At(obj, c.path_segments); sub != nullptr && sub->is_object()) {
        Walk(c.components, *sub, Pointer(ptr, c.path_segments), prefix + c.label + " – ", visit);
      }
    } else if (c.type == ComponentType::kDynamicList) {
      const Json* list = At(obj, c.path_segments);
      if (list == nullptr || !list->is_array()) continue;
      for (size_t i = 0; i < list->size(); ++i) {
        Walk(c.components, (*list)[i], Pointer(ptr, c.path_segments) + "/" + std::to_string(i),
             fmt::format("{}{} {} – ", prefix, c.label, i + 1), visit);
      }
    } else if (forms::IsKeyed(c.type) && !c.key_path.empty()) {
      if (const Json* v = At(obj, c.key_path)) visit(c, *v, Pointer(ptr, c.key_path), prefix);
    }
  }
}

struct FileRef {
  std::string pointer;
  std::string ref;
  const Component* component;
};

std::vector<FileRef> CollectFileRefs(const forms::Form& form, const Json& data) {
  std::vector<FileRef> out;
  Walk(form.components(), data, "", "", [&](const Component& c, const Json& v, const std::string& p, const std::string&) {
    if (c.type != ComponentType::kFilepicker) return;
    if (v.is_string() && !v.get_ref<const std::string&>().empty()) out.push_back({p, v.get<std::string>(), &c});
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string()) out.push_back({p + "/" + std::to_string(i), v[i].get<std::string>(), &c});
      }
    }
  });
  return out;
}

bool MentionsString(const Json& j, const std::string& s) {
  if (j.is_string()) return j.get_ref<const std::string&>() == s;
  if (j.is_structured()) {
    for (const auto& e : j) {
      if (MentionsString(e, s)) return true;
    }
  }
  return false;
}

// MIME types a filepicker's `accept` (".pdf,image/png,image/*") allows.
std::vector<std::string> AcceptedTypes(const Component& c, const std::vector<std::string>& defaults) {
  auto it = c.raw.find("accept");
  if (it == c.raw.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return defaults;
  static const std::map<std::string, std::vector<std::string>> kExt = {
      {".pdf", {"application/pdf"}},          {".png", {"image/png"}},
      {".jpg", {"image/jpeg"}},               {".jpeg", {"image/jpeg"}},
      {".tif", {"image/tiff"}},               {".tiff", {"image/tiff"}},
      {".txt", {"text/plain"}},               {".xml", {"application/xml", "text/xml"}},
      {".gml", {"application/xml", "text/xml"}}, {".csv", {"text/plain", "text/csv"}}};
  std::vector<std::string> out;
  std::string accept = it->get<std::string>();
  size_t i = 0;
  while (i <= accept.size()) {
    size_t comma = accept.find(',', i);
    if (comma == std::string::npos) comma = accept.size();
    std::string item = accept.substr(i, comma - i);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    for (char& ch : item) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (auto e = kExt.find(item); e != kExt.end()) {
      out.insert(out.end(), e->second.begin(), e->second.end());
    } else if (item.find('/') != std::string::npos) {
      out.push_back(item);
    }
    i = comma + 1;
  }
  return out;
}

bool TypeAllowed(const std::string& detected, const std::vector<std::string>& allowed) {
  for (const auto& a : allowed) {
    if (a == detected) return true;
    if (a.ends_with("/*") && detected.starts_with(a.substr(0, a.size() - 1))) return true;
  }
  return false;
}

int64_t IntProperty(const Json& raw, const char* name, int64_t fallback) {
  auto props = raw.find("properties");
  if (props == raw.end() || !props->is_object()) return fallback;
  auto v = props->find(name);
  if (v == props->end()) return fallback;
  if (v->is_number_integer() && v->get<int64_t>() > 0) return v->get<int64_t>();
  if (v->is_string()) {
    try {
      return std::stoll(v->get<std::string>());
    } catch (...) {
      return fallback;
    }
  }
  return fallback;
}

const char* LanguageCode(forms::Language l) { return l == forms::Language::kEnglish ? "en" : "de"; }

std::string Msg(forms::Language l, std::string de, std::string en) {
  return l == forms::Language::kEnglish ? std::move(en) : std::move(de);
}

std::string HumanTime(core::Timestamp t) {
  std::string iso = core::FormatIso8601(t, 0);  // 2026-01-05T08:00:00Z
  if (iso.size() < 16) return iso;
  return fmt::format("{}.{}.{}, {} Uhr (UTC)", iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4), iso.substr(11, 5));
}

std::string ValueText(const Component& c, const Json& v, const std::map<std::string, std::string>& file_names) {
  auto one = [&](const Json& x) -> std::string {
    if (x.is_string()) {
      const auto& s = x.get_ref<const std::string&>();
      if (c.type == ComponentType::kFilepicker) {
        auto f = file_names.find(s);
        return f != file_names.end() ? f->second : s;
      }
      for (const auto& o : c.values) {
        if (o.value == x && !o.label.empty()) return o.label;
      }
      return s;
    }
    if (x.is_boolean()) return x.get<bool>() ? "Ja" : "Nein";
    for (const auto& o : c.values) {
      if (o.value == x && !o.label.empty()) return o.label;
    }
    return core::DumpJson(x);
  };
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + one(e);
    return out;
  }
  return one(v);
}

}  // namespace

Intake::Intake(store::Database& db, catalog::Catalog& catalog, engine::Engine& engine, IntakeOptions options)
    : db_(db),
      catalog_(catalog),
      engine_(engine),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &core::SystemClock::Instance()),
      files_(options_.files_dir, options_.clock) {}

void Intake::Submit(SubmitRequest req, std::function<void(core::Result<Json>)> done) {
  auto fail = [&](core::Error e) { done(std::move(e)); };
  forms::Language lang = req.language;

  auto service = catalog_.FindService(req.service_id);
  if (!service.ok()) return fail(std::move(service).error());
  if (!service->published) return fail(core::NotFound(fmt::format("no service '{}'", req.service_id)));
  auto form = catalog_.CompiledForm(service->tenant_id, service->form_id, service->form_version);
  if (!form.ok()) return fail(std::move(form).error());

  core::Timestamp now = Now();
  forms::ValidateOptions vo;
  vo.language = lang;
  vo.today = feel::Date{std::chrono::floor<std::chrono::days>(now).time_since_epoch().count()};
  auto clean = forms::Validate(**form, req.data, vo);
  if (!clean.ok()) return fail(std::move(clean).error());

  // Attachments: every reference in the cleaned data needs its file; a file
  // referenced only by a hidden field is dropped (hidden fields are not
  // stored); a file nothing refers to is an unknown field.
  std::vector<FileRef> refs = CollectFileRefs(**form, *clean);
  std::map<std::string, const Upload*> uploads;
  std::vector<core::FieldError> errors;
  for (const Upload& u : req.files) {
    if (!uploads.emplace(u.ref, &u).second) {
      errors.push_back({"/files/" + forms::EscapePointerToken(u.ref),
                        Msg(lang, "Datei doppelt hochgeladen", "file uploaded twice")});
    }
  }
  std::set<std::string> used;
  const Json& form_raw = (*form)->schema();
  int64_t max_total = IntProperty(form_raw, "maxAttachmentBytes", options_.max_total_bytes);
  int64_t total = 0;
  struct Checked {
    const Upload* upload;
    std::string pointer;
    std::string content_type;
    std::string sha256;
  };
  std::vector<Checked> checked;
  for (const FileRef& r : refs) {
    auto it = uploads.find(r.ref);
    if (it == uploads.end()) {
      errors.push_back({r.pointer, Msg(lang, "Die Datei „" + r.ref + "“ fehlt in der Sendung",
                                       "the file '" + r.ref + "' is missing from the request")});
      continue;
    }
    if (!used.insert(r.ref).second) continue;
    const Upload& u = *it->second;
    int64_t max_file = IntProperty(r.component->raw, "maxFileBytes", options_.max_file_bytes);
    int64_t size = static_cast<int64_t>(u.bytes.size());
    total += size;
    std::string fp = "/files/" + forms::EscapePointerToken(u.ref);
    if (size == 0) {
      errors.push_back({fp, Msg(lang, "Die Datei ist leer", "the file is empty")});
      continue;
    }
    if (size > max_file) {
      errors.push_back({fp, Msg(lang, fmt::format("Die Datei ist größer als {} Bytes", max_file),
                                fmt::format("the file is larger than {} bytes", max_file))});
      continue;
    }
    if (!forms::IsValidUtf8(u.filename) || u.filename.size() > 255) {
      errors.push_back({fp, Msg(lang, "Ungültiger Dateiname", "invalid file name")});
      continue;
    }
    auto type = DetectContentType(u.bytes);
    if (!type.ok()) return fail(std::move(type).error());
    auto allowed = AcceptedTypes(*r.component, options_.allowed_types);
    if (!TypeAllowed(*type, allowed)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      errors.push_back({fp, Msg(lang, fmt::format("Der Inhalt ist {}; erlaubt sind: {}", *type, list),
                                fmt::format("the content is {}; allowed: {}", *type, list))});
      continue;
    }
    checked.push_back({&u, r.pointer, *type, Sha256Hex(u.bytes)});
  }
  for (const Upload& u : req.files) {
    if (used.contains(u.ref)) continue;
    if (!MentionsString(req.data, u.ref)) {
      errors.push_back({"/files/" + forms::EscapePointerToken(u.ref),
                        Msg(lang, "Keine Angabe des Formulars verweist auf diese Datei",
                            "no field of the form refers to this file")});
    }
  }
  if (checked.size() > options_.max_files) {
    errors.push_back({"/files", Msg(lang, fmt::format("Mehr als {} Dateien", options_.max_files),
                                    fmt::format("more than {} files", options_.max_files))});
  }
  if (total > max_total) {
    errors.push_back({"/files", Msg(lang, fmt::format("Die Dateien sind zusammen größer als {} Bytes", max_total),
                                    fmt::format("the files together are larger than {} bytes", max_total))});
  }
  if (!errors.empty()) {
    std::string first = errors.front().pointer + ": " + errors.front().message;
    return fail(core::InvalidArgument(Msg(lang, "Die Anlagen sind ungültig (", "invalid attachments (") + first + ")",
                                      std::move(errors)));
  }
  struct Pending {
    catalog::Service service;
    std::shared_ptr<const forms::Form> form;
    Json data;
    std::string form_id;
    int form_version = 0;
    std::vector<internal::AttachmentRow> attachments;
    std::string language;
    std::string idem_key, request_hash;
    int64_t now_ms = 0;
    std::string year;
    Json response;  // the answer, set by the command
  };
  auto p = std::make_shared<Pending>();
  p->service = std::move(*service);
  p->form = *form;
  p->data = std::move(*clean);
  p->form_id = p->service.form_id;
  p->form_version = p->service.form_version;
  for (size_t i = 0; i < checked.size(); ++i) {
    const Checked& c = checked[i];
    p->attachments.push_back({static_cast<int64_t>(i), c.upload->ref, c.upload->filename, c.content_type,
                              static_cast<int64_t>(c.upload->bytes.size()), c.sha256});
  }
  p->language = LanguageCode(lang);
  p->idem_key = std::move(req.idempotency_key);
  p->request_hash = std::move(req.request_hash);
  p->now_ms = core::ToUnixMillis(now);
  p->year = core::FormatIso8601(now, 0).substr(0, 4);

  auto cmd = [this, p, lang](store::Tx& tx) -> core::Status {
    const std::string& tenant = p->service.tenant_id;
    if (!p->idem_key.empty()) {
      AW_ASSIGN_OR_RETURN(auto seen, internal::FindIdempotency(tx, tenant, p->idem_key));
      if (seen) {
        if (seen->request_hash != p->request_hash) {
          return core::InvalidArgument(
              "Idempotency-Key was used for a different request",
              {{"", Msg(lang, "Der Idempotency-Key wurde schon für eine andere Sendung verwendet",
                        "the Idempotency-Key was already used for a different request")}});
        }
        AW_ASSIGN_OR_RETURN(p->response, core::ParseJson(seen->response));
        return core::OkStatus();
      }
    }
    // Routing: the responsible department.
    std::string department;
    if (p->service.responsibility.kind == catalog::Responsibility::Kind::kFixed) {
      department = p->service.responsibility.department_id;
    } else {
      AW_ASSIGN_OR_RETURN(Json r, engine_.EvaluateDecisionInTx(tx, tenant, p->service.responsibility.decision_id,
                                                                p->data));
      const Json& v = r["result"];
      if (!v.is_string()) {
        return core::FailedPrecondition(fmt::format("routing decision '{}' gave no department for this submission",
                                                    p->service.responsibility.decision_id));
      }
      department = v.get<std::string>();
    }
    AW_ASSIGN_OR_RETURN(bool dep_ok, catalog::Catalog::DepartmentExists(tx, tenant, department));
    if (!dep_ok) {
      return core::FailedPrecondition(fmt::format("routing gave department '{}', which tenant '{}' does not have",
                                                  department, tenant));
    }
    AW_ASSIGN_OR_RETURN(int64_t n, internal::NextCaseNumber(tx, tenant, std::stoll(p->year)));
    internal::CaseRow c;
    c.tenant_id = tenant;
    c.case_id = core::NewId();
    c.case_number = fmt::format("{}-{:06}", p->year, n);
    c.tracking_code = NewTrackingCode();
    std::string secret = NewSecret();
    c.receipt_secret_hash = Sha256Hex(secret);
    c.service_id = p->service.id;
    c.department_id = department;
    c.stage = "received";
    c.submitted_at = p->now_ms;
    Json vars = p->data;
    vars["caseId"] = c.case_id;
    vars["caseNumber"] = c.case_number;
    vars["serviceId"] = c.service_id;
    vars["responsibleDepartment"] = department;
    AW_ASSIGN_OR_RETURN(c.instance_id, engine_.StartInstanceInTx(tx, tenant, p->service.process_id, vars,
                                                                  p->service.process_version));
    AW_TRY(internal::InsertCase(tx, c));
    if (options_.on_case_created) {
      AW_TRY(options_.on_case_created(tx, CaseCreated{.tenant = tenant, .case_id = c.case_id,
                                                      .case_number = c.case_number,
                                                      .tracking_code = c.tracking_code,
                                                      .department_id = department, .instance_id = c.instance_id,
                                                      .service = &p->service, .form = p->form.get(),
                                                      .data = &p->data,
                                                      .submitted_at = core::FromUnixMillis(p->now_ms)}));
    }
    AW_TRY(internal::InsertSubmissionData(tx, tenant, c.case_id, p->form_id, p->form_version, p->language,
                                          core::DumpJson(p->data)));
    Json files = Json::array();
    for (const auto& a : p->attachments) {
      AW_TRY(internal::InsertAttachment(tx, tenant, c.case_id, a));
      files.push_back({{"filename", a.filename}, {"contentType", a.content_type}, {"size", a.size}, {"sha256", a.sha256}});
    }
    Json audit{{"caseNumber", c.case_number}, {"serviceId", c.service_id}, {"department", department},
               {"instanceId", c.instance_id}, {"attachments", p->attachments.size()}};
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = "anonymous", .action = "intake.case_submitted",
                          .object_type = "case", .object_id = c.case_id, .details = std::move(audit)},
                         core::FromUnixMillis(p->now_ms)));
    std::string code = FormatTrackingCode(c.tracking_code);
    p->response = Json{{"trackingCode", code},
                       {"caseNumber", c.case_number},
                       {"submittedAt", core::FormatIso8601(core::FromUnixMillis(p->now_ms))},
                       {"service", {{"id", c.service_id}, {"name", p->service.name_de}}},
                       {"attachments", files},
                       {"statusUrl", "/api/v1/submissions/" + code},
                       {"receipt", {{"url", fmt::format("/api/v1/submissions/{}/receipt.pdf?key={}", code, secret)},
                                    {"key", secret}}}};
    if (!p->idem_key.empty()) {
      AW_TRY(internal::InsertIdempotency(tx, tenant, p->idem_key, p->request_hash, c.case_id,
                                         core::DumpJson(p->response), p->now_ms));
    }
    return core::OkStatus();
  };
  auto finish = std::make_shared<std::function<void(core::Result<Json>)>>(std::move(done));
  auto run = [this, p, cmd = std::move(cmd), finish]() mutable {
    db_.writer().Submit(std::move(cmd), [p, finish](core::Status s) {
      if (!s.ok()) return (*finish)(std::move(s).error());
      (*finish)(std::move(p->response));
    });
  };
  if (checked.empty()) return run();
  // Bytes are durable before the transaction that references them commits:
  // the file threads write and fsync them (folders once per batch), then the
  // writer command is submitted from there. The uploads stay alive until then.
  std::vector<AttachmentStore::PutItem> items;
  for (const Checked& c : checked) items.push_back({c.sha256, c.upload->bytes});
  auto held = std::make_shared<std::vector<Upload>>(std::move(req.files));  // element addresses kept
  files_.PutAsync(p->service.tenant_id, std::move(items), [held, finish, run](core::Status s) mutable {
    held.reset();
    if (!s.ok()) return (*finish)(std::move(s).error());
    run();
  });
}

core::Result<Json> Intake::Status(std::string_view tracking_code) {
  auto code = NormalizeTrackingCode(tracking_code);
  if (!code) return core::NotFound("no submission with this tracking code");
  AW_ASSIGN_OR_RETURN(auto c, db_.Read([&](store::Tx& tx) { return internal::FindCaseByTrackingCode(tx, *code); }));
  if (!c) return core::NotFound("no submission with this tracking code");
  AW_ASSIGN_OR_RETURN(catalog::Service s, catalog_.FindService(c->service_id));
  std::string stage = c->stage;
  if (auto inst = engine_.GetInstance(c->tenant_id, c->instance_id); inst.ok()) {
    if (inst->state == "completed") stage = "completed";
    if (inst->state == "terminated") stage = "closed";
  }
  core::Timestamp submitted = core::FromUnixMillis(c->submitted_at);
  Json out{{"trackingCode", FormatTrackingCode(c->tracking_code)},
           {"service", {{"id", s.id}, {"name", s.doc["name"]}}},
           {"stage", stage},
           {"submittedAt", core::FormatIso8601(submitted)},
           {"expectedProcessingDays", s.processing_days}};
  out["expectedBy"] = core::FormatIso8601(submitted + std::chrono::days(s.processing_days)).substr(0, 10);
  return out;
}

core::Result<std::string> Intake::ReceiptPdf(std::string_view tracking_code, std::string_view secret) {
  auto code = NormalizeTrackingCode(tracking_code);
  if (!code) return core::NotFound("no receipt for this tracking code and key");
  struct Loaded {
    internal::CaseRow c;
    internal::SubmissionRow sub;
    std::vector<internal::AttachmentRow> files;
  };
  AW_ASSIGN_OR_RETURN(auto loaded, db_.Read([&](store::Tx& tx) -> core::Result<std::optional<Loaded>> {
    AW_ASSIGN_OR_RETURN(auto c, internal::FindCaseByTrackingCode(tx, *code));
    if (!c || !ConstantTimeEquals(Sha256Hex(secret), c->receipt_secret_hash)) return std::optional<Loaded>();
    AW_ASSIGN_OR_RETURN(auto sub, internal::SelectSubmission(tx, c->tenant_id, c->case_id));
    if (!sub) return core::Internal("case without form data: " + c->case_id);
    AW_ASSIGN_OR_RETURN(auto files, internal::SelectAttachments(tx, c->tenant_id, c->case_id));
    return std::optional<Loaded>(Loaded{std::move(*c), std::move(*sub), std::move(files)});
  }));
  if (!loaded) return core::NotFound("no receipt for this tracking code and key");
  AW_ASSIGN_OR_RETURN(Json tenant, catalog_.GetTenant(loaded->c.tenant_id));
  AW_ASSIGN_OR_RETURN(catalog::Service service, catalog_.FindService(loaded->c.service_id));
  AW_ASSIGN_OR_RETURN(auto form, catalog_.CompiledForm(loaded->c.tenant_id, loaded->sub.form_id,
                                                       loaded->sub.form_version));
  AW_ASSIGN_OR_RETURN(Json data, core::ParseJson(loaded->sub.data));
  Receipt r;
  r.authority = tenant.value("name", loaded->c.tenant_id);
  r.service = service.name_de;
  r.case_number = loaded->c.case_number;
  r.tracking_code = FormatTrackingCode(loaded->c.tracking_code);
  r.submitted_at = HumanTime(core::FromUnixMillis(loaded->c.submitted_at));
  std::map<std::string, std::string> names;
  for (const auto& f : loaded->files) names[f.ref] = f.filename;
  Walk(form->components(), data, "", "",
       [&](const Component& c, const Json& v, const std::string&, const std::string& prefix) {
         r.data.push_back({prefix + (c.label.empty() ? c.key : c.label), ValueText(c, v, names)});
       });
  for (const auto& f : loaded->files) r.attachments.push_back({f.filename, f.content_type, f.size, f.sha256});
  return RenderReceiptPdf(r);
}

// --- Drafts ------------------------------------------------------------------------

namespace {

core::Status CheckDraftData(const Json& data, size_t max_bytes) {
  if (!data.is_object()) return core::InvalidArgument("a draft is a JSON object", {{"/data", "must be a JSON object"}});
  if (core::DumpJson(data).size() > max_bytes) {
    return core::InvalidArgument("draft too large", {{"/data", fmt::format("is larger than {} bytes", max_bytes)}});
  }
  return core::OkStatus();
}

}  // namespace

core::Result<Json> Intake::CreateDraft(std::string_view service_id, const Json& data) {
  AW_TRY(CheckDraftData(data, options_.max_draft_bytes));
  AW_ASSIGN_OR_RETURN(catalog::Service s, catalog_.FindService(service_id));
  if (!s.published) return core::NotFound(fmt::format("no service '{}'", service_id));
  std::string token = NewSecret(24);
  int64_t now = core::ToUnixMillis(Now());
  int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.draft_lifetime).count();
  std::string text = core::DumpJson(data);
  AW_TRY(db_.writer().Run([&](store::Tx& tx) {
    return internal::InsertDraft(tx, s.tenant_id, Sha256Hex(token), s.id, text, now, expires);
  }));
  return Json{{"token", token},
              {"resumeUrl", "/api/v1/drafts/" + token},
              {"serviceId", s.id},
              {"expiresAt", core::FormatIso8601(core::FromUnixMillis(expires))}};
}

core::Result<Json> Intake::GetDraft(std::string_view token) {
  std::string hash = Sha256Hex(token);
  AW_ASSIGN_OR_RETURN(auto d, db_.Read([&](store::Tx& tx) { return internal::SelectDraft(tx, hash); }));
  if (!d || d->expires_at <= core::ToUnixMillis(Now())) return core::NotFound("no draft with this token");
  AW_ASSIGN_OR_RETURN(Json data, core::ParseJson(d->data));
  return Json{{"serviceId", d->service_id},
              {"data", std::move(data)},
              {"updatedAt", core::FormatIso8601(core::FromUnixMillis(d->updated_at))},
              {"expiresAt", core::FormatIso8601(core::FromUnixMillis(d->expires_at))}};
}

core::Result<Json> Intake::UpdateDraft(std::string_view token, const Json& data) {
  AW_TRY(CheckDraftData(data, options_.max_draft_bytes));
  std::string hash = Sha256Hex(token);
  AW_ASSIGN_OR_RETURN(auto d, db_.Read([&](store::Tx& tx) { return internal::SelectDraft(tx, hash); }));
  if (!d) return core::NotFound("no draft with this token");
  int64_t now = core::ToUnixMillis(Now());
  int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.draft_lifetime).count();
  std::string text = core::DumpJson(data);
  AW_ASSIGN_OR_RETURN(bool updated, db_.writer().Write([&](store::Tx& tx) {
    return internal::UpdateDraft(tx, d->tenant_id, hash, text, now, expires);
  }));
  if (!updated) return core::NotFound("no draft with this token");
  return GetDraft(token);
}

core::Result<int> Intake::SweepOrphans(std::string_view tenant, std::chrono::seconds min_age) {
  return files_.SweepOrphans(tenant, min_age, [&](const std::string& sha) {
    return db_.Read([&](store::Tx& tx) { return internal::AttachmentReferenced(tx, tenant, sha); });
  });
}

core::Result<Intake::SweepReport> Intake::SweepAllOrphans(std::chrono::seconds min_age) {
  AW_ASSIGN_OR_RETURN(std::vector<std::string> tenants, files_.Tenants());
  SweepReport report;
  for (const std::string& t : tenants) {
    ++report.tenants;
    auto n = SweepOrphans(t, min_age);
    if (n.ok()) {
      report.removed += *n;
    } else {
      if (report.failed++ == 0) report.first_error = t + ": " + n.error().ToString();
    }
  }
  return report;
}

}  // namespace amtsweg::intake
