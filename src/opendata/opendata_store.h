// The SQL of opendata/ (internal): settings, dataset definitions,
// publications, and the facts the computation reads from cases, engine
// instances, services and tenants. Every query is keyed by tenant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "opendata/opendata.h"
#include "store/tx.h"

namespace amtsweg::opendata::internal {

core::Result<std::optional<TenantInfo>> LoadTenant(store::Tx& tx, const std::string& tenant);
// The settings document and dataset definitions; nullopt without a definition.
core::Result<std::optional<Settings>> LoadSettings(store::Tx& tx, const std::string& tenant);
// Replaces the tenant's settings and datasets; drops publications of removed datasets.
core::Status SaveSettings(store::Tx& tx, const std::string& tenant, const Settings& s, int64_t now_ms);
// Tenants with a definition.
core::Result<std::vector<std::string>> ListTenants(store::Tx& tx);

core::Result<std::vector<CaseFacts>> LoadCases(store::Tx& tx, const std::string& tenant);
core::Result<std::vector<ServiceFacts>> LoadServices(store::Tx& tx, const std::string& tenant);

// Upsert: issued_at stays the first computation's.
core::Status SavePublication(store::Tx& tx, const std::string& tenant, const Publication& p);
core::Result<std::vector<Publication>> LoadPublications(store::Tx& tx, const std::string& tenant);

}  // namespace amtsweg::opendata::internal
