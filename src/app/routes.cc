#include "app/routes.h"

#include <fmt/format.h>

#include "api/audit_api.h"
#include "api/auth_api.h"
#include "api/ops.h"
#include "app/build_info.h"

namespace amtsweg::app {

std::string VersionString() { return fmt::format("{} (commit {})", kVersion, kCommit); }

void RegisterRoutes(http::Router& router, const RouteDeps& deps) {
  api::RegisterOpsRoutes(router, {deps.db, deps.metrics, VersionString()});
  core::Clock& clock = deps.clock != nullptr ? *deps.clock : core::SystemClock::Instance();
  api::RegisterAuthRoutes(router, std::make_shared<auth::Service>(*deps.db, deps.auth, clock));
  api::RegisterAuditRoutes(router, deps.db);
}

}  // namespace amtsweg::app
