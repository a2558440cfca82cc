#include "packages/installer.h"

#include <set>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "audit/audit.h"
#include "bpmn/importer.h"
#include "bpmn/lint.h"
#include "core/hash.h"
#include "core/id.h"
#include "packages/package_store.h"

namespace amtsweg::packages {

using core::Json;

namespace {

std::string Local(const char* name) {
  std::string n = name;
  size_t colon = n.find(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Attribute `attr` of every element named `local` (any namespace prefix).
std::vector<std::string> AttributeValues(const std::string& xml, const char* local, const char* attr) {
  std::vector<std::string> out;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return out;
  std::set<std::string> seen;
  std::function<void(pugi::xml_node)> walk = [&](pugi::xml_node n) {
    for (auto c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      if (Local(c.name()) == local) {
        std::string v = c.attribute(attr).value();
        if (!v.empty() && !v.starts_with("=") && seen.insert(v).second) out.push_back(v);
      }
      walk(c);
    }
  };
  walk(doc);
  return out;
}

Json BindingToJson(const Manifest::Binding& b) {
  if (b.file.empty()) return Json::object();
  return Json{{"file", b.file}, {"element", b.element}, {"variable", b.variable}};
}

Manifest::Binding BindingFromJson(const Json& j) {
  Manifest::Binding b;
  if (!j.is_object() || !j.contains("file")) return b;
  b.file = j.value("file", "");
  b.element = j.value("element", "");
  b.variable = j.value("variable", "params");
  return b;
}

core::Result<Json> ParseStored(const std::string& text) {
  auto j = core::ParseJson(text);
  if (!j.ok()) return core::Internal("stored package JSON is corrupt: " + j.error().message());
  return std::move(*j);
}

}  // namespace

struct Installer::Prepared {
  std::string service_id;
  bool service_exists = false;
  bool published = true;
  std::string department;
  std::vector<ResolvedParameter> params;
  std::vector<engine::Resource> resources;
  std::vector<Json> forms;
  Json service_body;  // without form.version
  Json plan;
};

Installer::Installer(store::Database& db, engine::Engine& engine, catalog::Catalog& catalog, core::Clock* clock)
    : db_(db), engine_(engine), catalog_(catalog),
      clock_(clock != nullptr ? clock : &core::SystemClock::Instance()) {}

core::Result<std::vector<PublicKey>> Installer::TrustedKeys(std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) { return internal::SelectTrustedKeys(tx, tenant); }));
  std::vector<PublicKey> out;
  for (const auto& r : rows) {
    auto k = PublicKeyFromBase64(r.public_key_b64);
    if (!k.ok()) return core::Internal(fmt::format("stored trusted key {} is corrupt", r.key_id));
    out.push_back(std::move(*k));
  }
  return out;
}

core::Status Installer::TrustKey(std::string_view tenant, const PublicKey& key, std::string_view label) {
  AW_TRY(catalog_.GetTenant(tenant));
  internal::TrustedKeyRow row{key.id, Base64Encode(key.bytes), std::string(label), core::ToUnixMillis(Now())};
  return db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(internal::UpsertTrustedKey(tx, tenant, row));
    AW_TRY(audit::Append(tx,
                         {.tenant = std::string(tenant), .actor = "cli", .action = "package.key_trusted",
                          .object_type = "package_key", .object_id = key.id, .details = {{"label", label}}},
                         Now()));
    return core::OkStatus();
  });
}

core::Status Installer::DeclareParameters(std::string_view tenant, std::string_view service_id,
                                          std::string_view package_name, const std::vector<ParameterDecl>& decls,
                                          const Manifest::Binding& binding, const Json& values) {
  AW_TRY(CheckParameterDecls(decls, "/parameters"));
  AW_ASSIGN_OR_RETURN(auto resolved, ResolveParameters(decls, values));
  Json decl_json = Json::array();
  for (const auto& d : decls) decl_json.push_back(ParameterDeclToJson(d));
  internal::ServiceParametersRow row{std::string(service_id), std::string(package_name), core::DumpJson(decl_json),
                                     core::DumpJson(BindingToJson(binding)), core::DumpJson(ParameterValues(resolved)),
                                     core::ToUnixMillis(Now())};
  AW_TRY(catalog_.GetService(tenant, service_id));
  return db_.writer().Run([&](store::Tx& tx) { return internal::UpsertServiceParameters(tx, tenant, row); });
}

core::Result<Json> Installer::ServiceParameters(std::string_view tenant, std::string_view service_id) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) {
    return internal::SelectServiceParameters(tx, tenant, service_id);
  }));
  if (!row) return core::NotFound(fmt::format("service '{}' of tenant '{}' declares no parameters", service_id, tenant));
  AW_ASSIGN_OR_RETURN(Json decls, ParseStored(row->declarations));
  AW_ASSIGN_OR_RETURN(Json binding, ParseStored(row->binding));
  AW_ASSIGN_OR_RETURN(Json values, ParseStored(row->values));
  return Json{{"packageName", row->package_name}, {"declarations", decls}, {"binding", binding}, {"values", values}};
}

// --- XProzess ------------------------------------------------------------------

core::Result<Json> Installer::ImportXProzess(std::string_view tenant, const XProzessProcess& p, bool dry_run) {
  AW_TRY(catalog_.GetTenant(tenant));
  AW_ASSIGN_OR_RETURN(auto defs, bpmn::ImportBpmn(p.bpmn));
  Json processes = Json::array();
  bool executable = false;
  for (const auto& proc : defs->processes) {
    executable = executable || proc.is_executable;
    processes.push_back({{"id", proc.id}, {"name", proc.name}, {"executable", proc.is_executable},
                         {"elements", proc.nodes.size()}, {"flows", proc.flows.size()}});
  }
  // What stands between the reference model and an executable process: the
  // lint's findings as if every process were executable.
  int errors = 0, warnings = 0;
  Json by_code = Json::object();
  std::string as_executable = p.bpmn;
  for (size_t at = 0; (at = as_executable.find("isExecutable=\"false\"", at)) != std::string::npos;) {
    as_executable.replace(at, 21, "isExecutable=\"true\"");
  }
  AW_ASSIGN_OR_RETURN(auto exec_defs, bpmn::ImportBpmn(as_executable));
  for (const auto& f : bpmn::Lint(*exec_defs)) {
    (f.severity == bpmn::Severity::kError ? errors : warnings)++;
    by_code[f.code] = by_code.value(f.code, 0) + 1;
  }
  Json report{{"id", p.id},
              {"version", p.version},
              {"name", p.name},
              {"definition", p.definition},
              {"legalBases", p.legal_bases},
              {"model", {{"file", p.bpmn_file}, {"bytes", p.bpmn.size()}, {"sha256", core::Sha256Hex(p.bpmn)}}},
              {"processes", processes},
              {"lint", {{"errors", errors}, {"warnings", warnings}, {"byCode", by_code}}},
              {"notTaken", p.skipped},
              {"deployment", nullptr}};
  if (dry_run) return report;
  if (executable) {
    AW_ASSIGN_OR_RETURN(engine::Deployment dep, engine_.Deploy(tenant, {{p.id + ".bpmn", p.bpmn}}));
    Json defs_json = Json::array();
    for (const auto& d : dep.definitions) defs_json.push_back({{"kind", d.kind}, {"id", d.id}, {"version", d.version}});
    report["deployment"] = {{"id", dep.deployment_id}, {"definitions", defs_json}};
  }
  internal::ReferenceModelRow row{p.id, p.version.empty() ? "-" : p.version, p.name, p.bpmn, core::DumpJson(report),
                                  core::ToUnixMillis(Now())};
  AW_TRY(db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(internal::UpsertReferenceModel(tx, tenant, row));
    AW_TRY(audit::Append(tx,
                         {.tenant = std::string(tenant), .actor = "cli", .action = "package.xprozess_imported",
                          .object_type = "reference_model", .object_id = p.id,
                          .details = {{"version", p.version}, {"sha256", core::Sha256Hex(p.bpmn)}}},
                         Now()));
    return core::OkStatus();
  }));
  return report;
}

core::Result<Json> Installer::ReferenceModel(std::string_view tenant, std::string_view id, std::string_view version) {
  AW_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) {
    return internal::SelectReferenceModel(tx, tenant, id, version);
  }));
  if (!row) return core::NotFound(fmt::format("no reference model {} version {} in tenant '{}'", id, version, tenant));
  AW_ASSIGN_OR_RETURN(Json report, ParseStored(row->report));
  return Json{{"id", row->model_id}, {"version", row->version}, {"name", row->name}, {"bpmn", row->bpmn},
              {"report", report}, {"importedAt", core::FormatIso8601(core::FromUnixMillis(row->imported_at))}};
}

// --- Export ---------------------------------------------------------------------

core::Result<std::string> Installer::Export(const ExportRequest& req, const SecretKey& key) {
  AW_ASSIGN_OR_RETURN(Json tenant, catalog_.GetTenant(req.tenant));
  AW_ASSIGN_OR_RETURN(Json service, catalog_.GetService(req.tenant, req.service_id));
  Manifest m;
  m.leika = service.value("leika", "");
  m.process_id = service["process"].value("id", "");
  m.form_id = service["form"].value("id", "");
  int form_version = service["form"].value("version", 0);
  for (const char* k : {"name", "description", "legalBasis", "fees", "requiredDocuments", "processingTimeDays"}) {
    if (service.contains(k)) m.service[k] = service[k];
  }
  m.publisher = {{"tenant", req.tenant}, {"name", tenant.value("name", "")}, {"ars", tenant.value("ars", "")}};
  m.created_at = core::FormatIso8601(Now());

  std::vector<PackageFile> files;
  // The process: its latest version.
  AW_ASSIGN_OR_RETURN(auto procs, engine_.ListDefinitions(req.tenant, {.kind = "process", .id = m.process_id,
                                                                        .latest_only = true}));
  if (procs.empty()) {
    return core::NotFound(fmt::format("service '{}': process '{}' is not deployed in tenant '{}'", req.service_id,
                                      m.process_id, req.tenant));
  }
  const engine::DefinitionInfo& proc = procs.back();
  AW_ASSIGN_OR_RETURN(std::string bpmn, engine_.DefinitionResource(req.tenant, proc.definition_key));
  std::string bpmn_path = "bpmn/" + Basename(proc.resource_name);
  files.push_back({bpmn_path, bpmn});
  m.version = req.version.empty() ? std::to_string(proc.version) : req.version;
  // Decisions its business rule tasks call (latest versions, each file once).
  std::set<std::string> taken;
  for (const std::string& decision : AttributeValues(bpmn, "calledDecision", "decisionId")) {
    AW_ASSIGN_OR_RETURN(auto defs, engine_.ListDefinitions(req.tenant, {.kind = "decision", .id = decision,
                                                                         .latest_only = true}));
    if (defs.empty()) {
      return core::NotFound(fmt::format("process '{}' calls decision '{}', which is not deployed", m.process_id, decision));
    }
    std::string path = "dmn/" + Basename(defs.back().resource_name);
    if (!taken.insert(path).second) continue;
    AW_ASSIGN_OR_RETURN(std::string dmn, engine_.DefinitionResource(req.tenant, defs.back().definition_key));
    files.push_back({path, std::move(dmn)});
  }
  // Forms: the application form (the service's version) and the user task forms (latest).
  AW_ASSIGN_OR_RETURN(catalog::FormVersion app_form, catalog_.GetForm(req.tenant, m.form_id, form_version));
  files.push_back({"forms/" + m.form_id + ".form", core::DumpJson(app_form.schema, 2) + "\n"});
  AW_ASSIGN_OR_RETURN(Json forms_list, catalog_.ListForms(req.tenant));
  for (const std::string& form_key : AttributeValues(bpmn, "formDefinition", "formKey")) {
    if (form_key == m.form_id) continue;
    int latest = 0;
    for (const auto& f : forms_list) {
      if (f.value("id", "") == form_key) latest = f.value("latestVersion", 0);
    }
    if (latest == 0) {
      return core::NotFound(fmt::format("user task form '{}' of process '{}' is not in the catalogue", form_key,
                                        m.process_id));
    }
    AW_ASSIGN_OR_RETURN(catalog::FormVersion fv, catalog_.GetForm(req.tenant, form_key, latest));
    files.push_back({"forms/" + form_key + ".form", core::DumpJson(fv.schema, 2) + "\n"});
  }
  for (const auto& f : req.extra_files) {
    if (!f.path.starts_with("templates/") && !f.path.starts_with("texts/")) {
      return core::InvalidArgument(fmt::format("extra file '{}' must be under templates/ or texts/", f.path));
    }
    files.push_back(f);
  }
  // Parameters: declared by the publisher; its values are the defaults.
  auto params = ServiceParameters(req.tenant, req.service_id);
  if (params.ok()) {
    m.name = (*params)["packageName"].get<std::string>();
    Manifest::Binding b = BindingFromJson((*params)["binding"]);
    if (!b.file.empty()) {
      if (b.file != Basename(proc.resource_name)) {
        return core::FailedPrecondition(fmt::format("parameter binding names {}, but the process is in {}", b.file,
                                                    proc.resource_name));
      }
      b.file = bpmn_path;
    }
    m.binding = b;
    const Json& values = (*params)["values"];
    for (size_t i = 0; i < (*params)["declarations"].size(); ++i) {
      AW_ASSIGN_OR_RETURN(ParameterDecl d, ParameterDeclFromJson((*params)["declarations"][i],
                                                                 fmt::format("/parameters/{}", i)));
      if (values.contains(d.name) && !values[d.name].is_null()) d.default_value = values[d.name];
      m.parameters.push_back(std::move(d));
    }
  } else if (params.error().code() != core::ErrorCode::kNotFound) {
    return std::move(params).error();
  }
  if (m.name.empty()) m.name = m.process_id;
  return BuildPackage(std::move(m), files, key);
}

// --- Import ---------------------------------------------------------------------

core::Result<Installer::Prepared> Installer::Prepare(const Package& pkg, const ImportRequest& req) {
  const Manifest& m = pkg.manifest;
  AW_ASSIGN_OR_RETURN(Json tenant, catalog_.GetTenant(req.tenant));
  Prepared p;
  p.service_id = req.service_id.empty() ? req.tenant + "-" + m.name : req.service_id;
  AW_ASSIGN_OR_RETURN(p.params, ResolveParameters(m.parameters, req.parameters));
  // Departments: each department parameter must name one of the tenant's.
  AW_ASSIGN_OR_RETURN(Json departments, catalog_.ListDepartments(req.tenant));
  std::set<std::string> ids;
  std::string id_list;
  for (const auto& d : departments) {
    ids.insert(d.value("id", ""));
    id_list += (id_list.empty() ? "" : ", ") + d.value("id", "");
  }
  for (const auto& r : p.params) {
    if (r.decl->type != "department" || !r.value.is_string()) continue;
    std::string v = r.value.get<std::string>();
    if (!ids.contains(v)) {
      std::string msg = fmt::format("parameter '{}' ({}): tenant '{}' has no department '{}' (it has: {})", r.decl->name,
                                    r.decl->description_de, req.tenant, v, id_list.empty() ? "none" : id_list);
      return core::InvalidArgument(msg, {{"/" + r.decl->name, msg}});
    }
    if (r.decl->responsibility) p.department = v;
  }
  auto existing = catalog_.GetService(req.tenant, p.service_id);
  if (existing.ok()) {
    p.service_exists = true;
    p.published = existing->value("published", true);
    if (p.department.empty() && existing->contains("responsibility")) {
      p.department = (*existing)["responsibility"].value("department", "");
    }
  } else if (existing.error().code() != core::ErrorCode::kNotFound) {
    return std::move(existing).error();
  }
  if (p.department.empty()) {
    return core::InvalidArgument(fmt::format("package {} declares no responsibility parameter and tenant '{}' has no "
                                             "service '{}' to take the responsible department from",
                                             m.name, req.tenant, p.service_id));
  }
  // Resources: the tenant's values bound into the process.
  Json files = Json::array();
  for (const auto& f : pkg.files) {
    std::string name = Basename(f.path);
    std::string kind = f.path.substr(0, f.path.find('/'));
    files.push_back({{"path", f.path}, {"sha256", core::Sha256Hex(f.data)}});
    if (kind == "bpmn") {
      auto bound = BindParameters(f.data, m.binding, p.params, f.path == m.binding.file);
      if (!bound.ok()) {
        core::Error e = std::move(bound).error();
        e.WithContext(f.path);
        return e;
      }
      p.resources.push_back({name, std::move(*bound)});
    } else if (kind == "dmn") {
      p.resources.push_back({name, f.data});
    } else if (kind == "forms") {
      auto schema = core::ParseJson(f.data);
      if (!schema.ok()) {
        core::Error e = std::move(schema).error();
        e.WithContext(f.path);
        return e;
      }
      p.forms.push_back(*schema);
      p.resources.push_back({name, f.data});
    }
  }
  bool has_app_form = false;
  for (const auto& f : p.forms) has_app_form = has_app_form || f.value("id", "") == m.form_id;
  if (!has_app_form) return core::InvalidArgument(fmt::format("the package has no form '{}' (forms/)", m.form_id));
  p.service_body = Json{{"id", p.service_id},
                        {"leika", m.leika},
                        {"published", p.published},
                        {"form", {{"id", m.form_id}, {"version", 0}}},
                        {"process", {{"id", m.process_id}}},
                        {"responsibility", {{"department", p.department}}}};
  for (const char* k : {"name", "description", "legalBasis", "fees", "requiredDocuments", "processingTimeDays"}) {
    if (m.service.contains(k)) p.service_body[k] = m.service[k];
  }
  for (const auto& r : p.params) {  // the importer's own fee text, legal basis, processing time
    if (!r.decl->service_field.empty() && !r.value.is_null()) p.service_body[r.decl->service_field] = r.value;
  }
  AW_ASSIGN_OR_RETURN(auto installs, db_.Read([&](store::Tx& tx) {
    return internal::SelectInstalls(tx, req.tenant, p.service_id);
  }));
  Json params = Json::array();
  for (const auto& r : p.params) {
    params.push_back({{"name", r.decl->name},
                      {"type", r.decl->type},
                      {"value", r.value},
                      {"source", r.from_default ? "default" : (r.value.is_null() ? "unset" : "given")},
                      {"description", r.decl->description_de}});
  }
  p.plan = Json{{"tenant", req.tenant},
                {"service", {{"id", p.service_id}, {"exists", p.service_exists}}},
                {"package", {{"name", m.name}, {"version", m.version}, {"leika", m.leika}, {"signer", pkg.key_id},
                             {"publisher", m.publisher}}},
                {"previous", installs.empty() ? Json() : Json{{"version", installs.front().package_version},
                                                              {"processVersion", installs.front().process_version}}},
                {"process", m.process_id},
                {"responsibleDepartment", p.department},
                {"parameters", params},
                {"files", files}};
  return p;
}

core::Result<Json> Installer::Plan(const Package& pkg, const ImportRequest& req) {
  AW_ASSIGN_OR_RETURN(Prepared p, Prepare(pkg, req));
  return p.plan;
}

core::Result<Json> Installer::Install(const Package& pkg, const ImportRequest& req) {
  AW_ASSIGN_OR_RETURN(Prepared p, Prepare(pkg, req));
  const Manifest& m = pkg.manifest;
  core::Timestamp now = Now();
  // Computed outside the command: the writer may run it twice.
  std::string install_id = core::NewId();
  std::string manifest_sha = pkg.manifest_sha256;
  Json decls = Json::array();
  for (const auto& d : m.parameters) decls.push_back(ParameterDeclToJson(d));
  Manifest::Binding binding = m.binding;
  binding.file = Basename(binding.file);
  Json values = ParameterValues(p.params);
  AW_ASSIGN_OR_RETURN(Json result, db_.writer().Write([&](store::Tx& tx) -> core::Result<Json> {
    for (const auto& r : p.params) {  // departments may have changed since Prepare
      if (r.decl->type != "department" || !r.value.is_string()) continue;
      AW_ASSIGN_OR_RETURN(bool ok, catalog::Catalog::DepartmentExists(tx, req.tenant, r.value.get<std::string>()));
      if (!ok) {
        return core::InvalidArgument(fmt::format("parameter '{}': department '{}' no longer exists", r.decl->name,
                                                 r.value.get<std::string>()),
                                     {{"/" + r.decl->name, "no such department"}});
      }
    }
    AW_ASSIGN_OR_RETURN(engine::Deployment dep, engine_.DeployInTx(tx, req.tenant, p.resources));
    int form_version = 0;
    for (const auto& schema : p.forms) {
      AW_ASSIGN_OR_RETURN(Json stored, catalog::Catalog::AddFormVersionInTx(tx, req.tenant, schema, now));
      if (stored.value("id", "") == m.form_id) form_version = stored.value("version", 0);
    }
    Json body = p.service_body;
    body["form"]["version"] = form_version;
    AW_TRY(catalog::Catalog::PutServiceInTx(tx, req.tenant, body, now));
    int process_version = 0;
    for (const auto& d : dep.definitions) {
      if (d.kind == "process" && d.id == m.process_id) process_version = d.version;
    }
    if (process_version == 0) {
      return core::InvalidArgument(fmt::format("the package's BPMN has no executable process '{}'", m.process_id));
    }
    AW_TRY(internal::UpsertServiceParameters(tx, req.tenant,
                                             {p.service_id, m.name, core::DumpJson(decls),
                                              core::DumpJson(BindingToJson(binding)), core::DumpJson(values),
                                              core::ToUnixMillis(now)}));
    AW_TRY(internal::InsertInstall(tx, req.tenant,
                                   {install_id, p.service_id, m.name, m.version, manifest_sha, pkg.key_id,
                                    dep.deployment_id, process_version, core::DumpJson(values),
                                    core::ToUnixMillis(now)}));
    Json details{{"package", m.name}, {"version", m.version}, {"signer", pkg.key_id},
                 {"deploymentId", dep.deployment_id}, {"processVersion", process_version},
                 {"formVersion", form_version}, {"parameters", values}};
    AW_TRY(audit::Append(tx,
                         {.tenant = req.tenant, .actor = req.actor, .action = "package.installed",
                          .object_type = "service", .object_id = p.service_id, .details = details},
                         now));
    return Json{{"installId", install_id}, {"deploymentId", dep.deployment_id}, {"processVersion", process_version},
                {"formVersion", form_version}};
  }));
  Json out = p.plan;
  out["installed"] = std::move(result);
  return out;
}

}  // namespace amtsweg::packages
