// Who may call a route: the role lists the API modules put into
// RouteDoc::roles (every route declares roles or public_route; the
// authorizer in auth_api enforces them, app/routes_test.cc checks them).
#pragma once

#include <string>
#include <vector>

#include "auth/auth.h"

namespace amtsweg::api::roles {

// Any signed-in caller of the tenant (staff session or API token).
inline std::vector<std::string> Anyone() { return {std::string(auth::kAnyRole)}; }
inline std::vector<std::string> Administrators() { return {std::string(auth::kAdministrator)}; }
// Model and deploy processes, decisions and forms; run integrations (job workers).
inline std::vector<std::string> Designers() {
  return {std::string(auth::kAdministrator), std::string(auth::kProcessDesigner)};
}
// Work on cases: complete tasks, change variables, cancel.
inline std::vector<std::string> CaseWorkers() {
  return {std::string(auth::kAdministrator), std::string(auth::kCaseWorker)};
}
// Hand tasks to people: case workers and their managers.
inline std::vector<std::string> Assigners() {
  return {std::string(auth::kAdministrator), std::string(auth::kCaseWorker), std::string(auth::kManager)};
}
// Start processes and publish messages: people at work and integrations.
inline std::vector<std::string> Starters() {
  return {std::string(auth::kAdministrator), std::string(auth::kProcessDesigner), std::string(auth::kCaseWorker)};
}

// Read process analytics and dashboards.
inline std::vector<std::string> Analysts() {
  return {std::string(auth::kAdministrator), std::string(auth::kManager), std::string(auth::kProcessDesigner)};
}

// Platform-wide work (creating tenants): the platform operator only — an
// account of the reserved tenant "platform", not any tenant's administrator.
inline std::vector<std::string> Operators() { return {std::string(auth::kOperator)}; }

}  // namespace amtsweg::api::roles
