// Export of a tenant's service as a signed package, and import of a package
// into a tenant as a new version of its service.
//
//   packages::Installer inst(db, engine, catalog);
//   AW_ASSIGN_OR_RETURN(std::string zip, inst.Export({.tenant = "amt-musterland",
//                                                     .service_id = "musterland-plakatierung"}, key));
//   AW_ASSIGN_OR_RETURN(Package pkg, OpenPackage(zip, "x.zip", inst.TrustedKeys(tenant), true, version));
//   AW_ASSIGN_OR_RETURN(Json plan, inst.Plan(pkg, {.tenant = "gemeinde-beispielstadt", .parameters = values}));
//   AW_ASSIGN_OR_RETURN(Json done, inst.Install(pkg, {...}));
//
// Install is ONE command of the store's writer (one transaction): the
// deployment (BPMN with the tenant's parameters bound, DMN, forms), the form
// versions in the catalogue, the catalogue service (created, or pointed at
// the new form version; its process is the latest version, so running
// instances keep theirs), the parameter values, the install record and the
// audit entry commit together or not at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "engine/engine.h"
#include "packages/package.h"
#include "packages/params.h"
#include "packages/xprozess.h"
#include "store/database.h"

namespace amtsweg::packages {

struct ExportRequest {
  std::string tenant{};
  std::string service_id{};
  std::string version{};                   // "" : the process definition's version number
  std::vector<PackageFile> extra_files{};  // templates/..., texts/... (e.g. Bescheid templates read by app/)
};

struct ImportRequest {
  std::string tenant{};
  std::string service_id{};  // "" : "<tenant>-<package name>"
  core::Json parameters = core::Json::object();  // the tenant's values by name
  std::string actor = "cli";
};

class Installer {
 public:
  Installer(store::Database& db, engine::Engine& engine, catalog::Catalog& catalog, core::Clock* clock = nullptr);

  // The service, its latest process version, the decisions its business rule
  // tasks call, its forms (application and user task forms), the declared
  // parameters and `extra_files`, signed with `key`. kNotFound naming what is missing.
  core::Result<std::string> Export(const ExportRequest& req, const SecretKey& key);

  // What Install would do, without writing: {service{id, exists}, package{name, version, leika, signer},
  // previous{version, processVersion}|null, responsibleDepartment, parameters[{name, type, value, source,
  // description}], files[]}. Errors as Install.
  core::Result<core::Json> Plan(const Package& pkg, const ImportRequest& req);

  // Installs `pkg` (already verified by OpenPackage) into req.tenant.
  // kInvalidArgument naming the parameter (missing, wrong type, unknown
  // department) or the file; kNotFound: no such tenant. Returns the plan plus
  // {deploymentId, processVersion, formVersion, installId}.
  core::Result<core::Json> Install(const Package& pkg, const ImportRequest& req);

  // Keys the tenant trusts (package_trusted_keys).
  core::Result<std::vector<PublicKey>> TrustedKeys(std::string_view tenant);
  core::Status TrustKey(std::string_view tenant, const PublicKey& key, std::string_view label);

  // Declares the parameters of a service the tenant built itself (what its
  // packages will carry), with the tenant's own values. kInvalidArgument
  // naming the declaration or value.
  core::Status DeclareParameters(std::string_view tenant, std::string_view service_id, std::string_view package_name,
                                 const std::vector<ParameterDecl>& decls, const Manifest::Binding& binding,
                                 const core::Json& values);

  // Imports the BPMN model of an XProzess message (ParseXProzess): the
  // report {id, version, name, legalBases[], model, processes[{id, name,
  // executable, elements, flows}], lint{errors, warnings, byCode{}}, notTaken[],
  // deployment|null}. Executable processes are deployed (engine); FIM
  // reference models (isExecutable="false") are stored as reference models of
  // the tenant with this report. `dry_run`: report only.
  core::Result<core::Json> ImportXProzess(std::string_view tenant, const XProzessProcess& p, bool dry_run);
  // A stored reference model: {id, version, name, bpmn, report, importedAt}. kNotFound.
  core::Result<core::Json> ReferenceModel(std::string_view tenant, std::string_view id, std::string_view version);

  // The service's parameters: {packageName, declarations[], binding, values} or kNotFound.
  core::Result<core::Json> ServiceParameters(std::string_view tenant, std::string_view service_id);

 private:
  struct Prepared;
  core::Result<Prepared> Prepare(const Package& pkg, const ImportRequest& req);
  core::Timestamp Now() const { return clock_->Now(); }

  store::Database& db_;
  engine::Engine& engine_;
  catalog::Catalog& catalog_;
  core::Clock* clock_;
};

}  // namespace amtsweg::packages
