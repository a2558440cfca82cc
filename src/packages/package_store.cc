#include "packages/package_store.h"

namespace amtsweg::packages::internal {

core::Status UpsertTrustedKey(store::Tx& tx, std::string_view tenant, const TrustedKeyRow& k) {
  AW_TRY(tx.Exec("INSERT INTO package_trusted_keys (tenant_id, key_id, public_key, label, added_at) "
                 "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, key_id) DO UPDATE SET "
                 "public_key = excluded.public_key, label = excluded.label",
                 {std::string(tenant), k.key_id, k.public_key_b64, k.label, k.added_at}));
  return core::OkStatus();
}

core::Result<std::vector<TrustedKeyRow>> SelectTrustedKeys(store::Tx& tx, std::string_view tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT key_id, public_key, label, added_at FROM package_trusted_keys "
                                          "WHERE tenant_id = $1 ORDER BY key_id",
                                          {std::string(tenant)}));
  std::vector<TrustedKeyRow> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  return out;
}

core::Status UpsertServiceParameters(store::Tx& tx, std::string_view tenant, const ServiceParametersRow& r) {
  AW_TRY(tx.Exec("INSERT INTO package_service_parameters (tenant_id, service_id, package_name, declarations, binding, "
                 "param_values, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                 "ON CONFLICT (tenant_id, service_id) DO UPDATE SET package_name = excluded.package_name, "
                 "declarations = excluded.declarations, binding = excluded.binding, "
                 "param_values = excluded.param_values, updated_at = excluded.updated_at",
                 {std::string(tenant), r.service_id, r.package_name, r.declarations, r.binding, r.values,
                  r.updated_at}));
  return core::OkStatus();
}

core::Result<std::optional<ServiceParametersRow>> SelectServiceParameters(store::Tx& tx, std::string_view tenant,
                                                                          std::string_view service_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT service_id, package_name, declarations, binding, param_values, "
                                            "updated_at FROM package_service_parameters "
                                            "WHERE tenant_id = $1 AND service_id = $2",
                                            {std::string(tenant), std::string(service_id)}));
  if (!row) return std::optional<ServiceParametersRow>();
  return std::optional<ServiceParametersRow>(
      ServiceParametersRow{row->Text(0), row->Text(1), row->Text(2), row->Text(3), row->Text(4), row->Int(5)});
}

core::Status InsertInstall(store::Tx& tx, std::string_view tenant, const InstallRow& r) {
  AW_TRY(tx.Exec("INSERT INTO package_installs (tenant_id, install_id, service_id, package_name, package_version, "
                 "manifest_sha256, key_id, deployment_id, process_version, param_values, installed_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                 {std::string(tenant), r.install_id, r.service_id, r.package_name, r.package_version,
                  r.manifest_sha256, r.key_id, r.deployment_id, r.process_version, r.values, r.installed_at}));
  return core::OkStatus();
}

core::Result<std::vector<InstallRow>> SelectInstalls(store::Tx& tx, std::string_view tenant,
                                                     std::string_view service_id) {
  AW_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT install_id, service_id, package_name, package_version, manifest_sha256, key_id, "
                               "deployment_id, process_version, param_values, installed_at FROM package_installs "
                               "WHERE tenant_id = $1 AND service_id = $2 ORDER BY installed_at DESC, install_id DESC",
                               {std::string(tenant), std::string(service_id)}));
  std::vector<InstallRow> out;
  for (const auto& r : rows) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7), r.Text(8),
                   r.Int(9)});
  }
  return out;
}

core::Status UpsertReferenceModel(store::Tx& tx, std::string_view tenant, const ReferenceModelRow& r) {
  AW_TRY(tx.Exec("INSERT INTO package_reference_models (tenant_id, model_id, version, name, bpmn, report, imported_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, model_id, version) DO UPDATE SET "
                 "name = excluded.name, bpmn = excluded.bpmn, report = excluded.report, "
                 "imported_at = excluded.imported_at",
                 {std::string(tenant), r.model_id, r.version, r.name, r.bpmn, r.report, r.imported_at}));
  return core::OkStatus();
}

core::Result<std::optional<ReferenceModelRow>> SelectReferenceModel(store::Tx& tx, std::string_view tenant,
                                                                    std::string_view model_id,
                                                                    std::string_view version) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT model_id, version, name, bpmn, report, imported_at "
                                            "FROM package_reference_models WHERE tenant_id = $1 AND model_id = $2 "
                                            "AND version = $3",
                                            {std::string(tenant), std::string(model_id), std::string(version)}));
  if (!row) return std::optional<ReferenceModelRow>();
  return std::optional<ReferenceModelRow>(
      ReferenceModelRow{row->Text(0), row->Text(1), row->Text(2), row->Text(3), row->Text(4), row->Int(5)});
}

}  // namespace amtsweg::packages::internal
