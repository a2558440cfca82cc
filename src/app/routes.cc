#include "app/routes.h"

#include <fmt/format.h>

#include "api/audit_api.h"
#include "api/auth_api.h"
#include "api/analytics_api.h"
#include "api/cases_api.h"
#include "api/catalog_api.h"
#include "api/engine_api.h"
#include "api/intake_api.h"
#include "api/models_api.h"
#include "api/ops.h"
#include "api/opendata_api.h"
#include "api/records_api.h"
#include "api/postfach_api.h"
#include "api/webhooks_api.h"
#include "app/build_info.h"
#include "opendata/opendata.h"

namespace amtsweg::app {

std::string VersionString() { return fmt::format("{} (commit {})", kVersion, kCommit); }

void RegisterRoutes(http::Router& router, const RouteDeps& deps) {
  api::RegisterOpsRoutes(router, {deps.db, deps.metrics, VersionString()});
  api::RegisterModelRoutes(router);
  if (deps.engine != nullptr) api::RegisterEngineRoutes(router, *deps.engine);
  api::RegisterAnalyticsRoutes(router, {deps.db, nullptr});
  if (deps.catalog != nullptr) api::RegisterCatalogRoutes(router, *deps.catalog);
  if (deps.intake != nullptr) api::RegisterIntakeRoutes(router, *deps.intake);
  if (deps.records != nullptr) api::RegisterRecordsRoutes(router, *deps.records);
  core::Clock& clock = deps.clock != nullptr ? *deps.clock : core::SystemClock::Instance();
  auto accounts = std::make_shared<auth::Service>(*deps.db, deps.auth, clock);
  api::RegisterAuthRoutes(router, accounts);  // the router keeps `accounts` alive
  if (deps.cases != nullptr) api::RegisterCasesRoutes(router, *deps.cases, *accounts);
  api::RegisterAuditRoutes(router, deps.db);
  // Open data (definition, downloads, DCAT-AP.de, CKAN); the publishing worker is registered by serve.
  if (deps.engine != nullptr) {
    api::RegisterOpenDataRoutes(router, std::make_shared<opendata::OpenData>(*deps.db, *deps.engine, deps.clock));
  }
  if (deps.postfach != nullptr) api::RegisterPostfachRoutes(router, *deps.postfach);
  if (deps.webhooks != nullptr) api::RegisterWebhookRoutes(router, *deps.webhooks);
}

}  // namespace amtsweg::app
