// Engine::DeployInTx: a deployment inside the caller's write command (packages/
// installs a deployment, forms and a catalogue service in one transaction);
// Engine::Deploy runs it in a command of its own and then warms the cache.
#include <fmt/format.h>

#include "bpmn/importer.h"
#include "bpmn/lint.h"
#include "core/id.h"
#include "dmn/engine.h"
#include "dmn/importer.h"
#include "engine/engine.h"
#include "store/migrations.h"

namespace amtsweg::engine {

namespace {

std::string ResourceKind(std::string_view name) {
  if (name.ends_with(".bpmn") || name.ends_with(".bpmn20.xml")) return "bpmn";
  if (name.ends_with(".dmn")) return "dmn";
  if (name.ends_with(".form")) return "form";
  return "";
}

core::Error Named(core::Error e, const std::string& name) {
  e.WithContext(name);
  return e;
}

}  // namespace

core::Result<Deployment> Engine::DeployInTx(store::Tx& tx, std::string_view tenant_view,
                                            const std::vector<Resource>& resources) {
  std::string tenant(tenant_view);
  if (resources.empty()) return core::InvalidArgument("a deployment needs at least one resource");
  for (const Resource& r : resources) {
    if (ResourceKind(r.name).empty()) {
      return core::InvalidArgument("unknown resource kind (expected .bpmn, .dmn or .form): " + r.name);
    }
  }
  core::Timestamp now = Now();
  int64_t now_ms = core::ToUnixMillis(now);
  Deployment d;
  d.deployment_id = core::NewId();
  AW_TRY(tx.Exec("INSERT INTO engine_deployments (tenant_id, deployment_id, created_at) VALUES ($1, $2, $3)",
                 {tenant, d.deployment_id, now_ms}));
  auto next_version = [&](const std::string& kind, const std::string& id, const std::string& checksum,
                          DeployedDefinition* out) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto latest, tx.QueryOne("SELECT version, checksum, definition_key FROM engine_definitions "
                                                 "WHERE tenant_id = $1 AND kind = $2 AND definition_id = $3 "
                                                 "ORDER BY version DESC LIMIT 1",
                                                 {tenant, kind, id}));
    out->kind = kind;
    out->id = id;
    if (latest && latest->Text(1) == checksum) {
      out->version = static_cast<int>(latest->Int(0));
      out->definition_key = latest->Text(2);
      out->is_new = false;
    } else {
      out->version = latest ? static_cast<int>(latest->Int(0)) + 1 : 1;
      out->definition_key = core::NewId();
      out->is_new = true;
    }
    return core::OkStatus();
  };
  auto insert_definition = [&](const DeployedDefinition& def, const Resource& r,
                               const std::string& checksum) -> core::Status {
    if (!def.is_new) return core::OkStatus();
    definitions_generation_.fetch_add(1);  // the latest versions FindProcess keeps are stale from here on
    AW_TRY(tx.Exec("INSERT INTO engine_definitions (tenant_id, kind, definition_id, version, definition_key, "
                   "deployment_id, resource_name, checksum, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   {tenant, def.kind, def.id, def.version, def.definition_key, d.deployment_id, r.name, checksum,
                    now_ms}));
    return core::OkStatus();
  };
  for (const Resource& r : resources) {
    std::string kind = ResourceKind(r.name);
    std::string checksum = store::MigrationChecksum(r.content);
    auto inserted = tx.Exec("INSERT INTO engine_resources (tenant_id, deployment_id, name, kind, checksum, content) "
                            "VALUES ($1, $2, $3, $4, $5, $6)",
                            {tenant, d.deployment_id, r.name, kind, checksum, r.content});
    if (!inserted.ok()) {
      if (inserted.error().code() == core::ErrorCode::kAlreadyExists) {
        return core::InvalidArgument("resource name used twice in one deployment: " + r.name);
      }
      return std::move(inserted).error();
    }
    if (kind == "bpmn") {
      auto defs = bpmn::ImportBpmn(r.content);
      if (!defs.ok()) return Named(std::move(defs).error(), r.name);
      auto exec = bpmn::CheckExecutable(**defs);
      if (!exec.ok()) return Named(std::move(exec).error(), r.name);
      for (size_t i = 0; i < (*defs)->processes.size(); ++i) {
        const bpmn::Process& p = (*defs)->processes[i];
        if (!p.is_executable) continue;
        DeployedDefinition def;
        AW_TRY(next_version("process", p.id, checksum, &def));
        auto cp = CompiledProcess::Compile(*defs, i, def.definition_key, def.version);
        if (!cp.ok()) return Named(std::move(cp).error(), r.name);
        AW_TRY(insert_definition(def, r, checksum));
        if (def.is_new) AW_TRY(RegisterSignalStarts(tx, tenant, **cp));
        if (def.is_new) AW_TRY(RegisterStartEvents(tx, tenant, **cp, now));
        d.definitions.push_back(def);
      }
    } else if (kind == "dmn") {
      auto model = dmn::ParseDmnXml(r.content);
      if (!model.ok()) return Named(std::move(model).error(), r.name);
      auto engine = dmn::ImportDmn(r.content);
      if (!engine.ok()) return Named(std::move(engine).error(), r.name);
      if (!(*engine)->problems().empty()) {
        return core::InvalidArgument(fmt::format("{}: {}", r.name, (*engine)->problems().front()));
      }
      for (const auto& decision : model->decisions) {
        DeployedDefinition def;
        AW_TRY(next_version("decision", decision.id, checksum, &def));
        AW_TRY(insert_definition(def, r, checksum));
        d.definitions.push_back(def);
      }
    } else {
      auto form = core::ParseJson(r.content);
      if (!form.ok()) return Named(std::move(form).error(), r.name);
      if (!form->is_object() || !form->contains("id") || !(*form)["id"].is_string()) {
        return core::InvalidArgument(r.name + ": a form needs a string \"id\"");
      }
      DeployedDefinition def;
      AW_TRY(next_version("form", (*form)["id"].get<std::string>(), checksum, &def));
      AW_TRY(insert_definition(def, r, checksum));
      d.definitions.push_back(def);
    }
  }
  return d;
}

}  // namespace amtsweg::engine
