// Every API route of Amtsweg, wired onto one router.
#pragma once

#include <string>

#include "core/metrics.h"
#include "http/router.h"

namespace amtsweg::store {
class Database;
}
namespace amtsweg::engine {
class Engine;
}
namespace amtsweg::catalog {
class Catalog;
}
namespace amtsweg::intake {
class Intake;
}

namespace amtsweg::app {

struct RouteDeps {
  store::Database* db = nullptr;               // borrowed
  core::metrics::Registry* metrics = nullptr;  // borrowed
  engine::Engine* engine = nullptr;            // borrowed; null: no engine routes
  catalog::Catalog* catalog = nullptr;         // borrowed; catalogue routes when set
  intake::Intake* intake = nullptr;            // borrowed; citizen routes when set
};

// Registers every route of the API on `router` (ops today; domains add theirs here).
void RegisterRoutes(http::Router& router, const RouteDeps& deps);

// "0.1.0 (commit abc123def456)".
std::string VersionString();

}  // namespace amtsweg::app
