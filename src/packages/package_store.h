// The SQL of packages/ (migration 0015_packages.sql). Internal to the layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace amtsweg::packages::internal {

struct TrustedKeyRow {
  std::string key_id, public_key_b64, label;
  int64_t added_at = 0;
};

struct ServiceParametersRow {
  std::string service_id, package_name, declarations, binding, values;
  int64_t updated_at = 0;
};

struct InstallRow {
  std::string install_id, service_id, package_name, package_version, manifest_sha256, key_id, deployment_id;
  int64_t process_version = 0;
  std::string values;
  int64_t installed_at = 0;
};

// Inserts or replaces (same key id) the tenant's trusted key.
core::Status UpsertTrustedKey(store::Tx& tx, std::string_view tenant, const TrustedKeyRow& k);
core::Result<std::vector<TrustedKeyRow>> SelectTrustedKeys(store::Tx& tx, std::string_view tenant);

core::Status UpsertServiceParameters(store::Tx& tx, std::string_view tenant, const ServiceParametersRow& r);
core::Result<std::optional<ServiceParametersRow>> SelectServiceParameters(store::Tx& tx, std::string_view tenant,
                                                                          std::string_view service_id);

core::Status InsertInstall(store::Tx& tx, std::string_view tenant, const InstallRow& r);
// Newest first.
core::Result<std::vector<InstallRow>> SelectInstalls(store::Tx& tx, std::string_view tenant,
                                                     std::string_view service_id);

struct ReferenceModelRow {
  std::string model_id, version, name, bpmn, report;
  int64_t imported_at = 0;
};
// Inserts or replaces (same model and version).
core::Status UpsertReferenceModel(store::Tx& tx, std::string_view tenant, const ReferenceModelRow& r);
core::Result<std::optional<ReferenceModelRow>> SelectReferenceModel(store::Tx& tx, std::string_view tenant,
                                                                    std::string_view model_id,
                                                                    std::string_view version);

}  // namespace amtsweg::packages::internal
