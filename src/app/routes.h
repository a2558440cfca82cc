// Every API route of Amtsweg, wired onto one router.
#pragma once

#include <string>

#include "core/config.h"
#include "core/metrics.h"
#include "core/time.h"
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
namespace amtsweg::records {
class Records;
}
namespace amtsweg::postfach {
class Postfach;
class Webhooks;
}
namespace amtsweg::cases {
class Cases;
}

namespace amtsweg::app {

struct RouteDeps {
  store::Database* db = nullptr;               // borrowed
  core::metrics::Registry* metrics = nullptr;  // borrowed
  engine::Engine* engine = nullptr;            // borrowed; null: no engine routes
  catalog::Catalog* catalog = nullptr;         // borrowed; catalogue routes when set
  intake::Intake* intake = nullptr;            // borrowed; citizen routes when set
  records::Records* records = nullptr;         // borrowed; case documents, export, retention when set
  core::AuthConfig auth{};                     // sessions, lockout ([auth] of amtsweg.toml)
  core::Clock* clock = nullptr;                // borrowed; null: the system clock
  postfach::Postfach* postfach = nullptr;      // borrowed; Postfach routes when set
  postfach::Webhooks* webhooks = nullptr;      // borrowed; webhook routes when set
  cases::Cases* cases = nullptr;               // borrowed; workspace routes (inbox, cases) when set
};

// Registers every route of the API on `router` (ops, auth; domains add theirs
// here) and the authorizer that checks each route's declared roles first.
// `deps.db`'s writer must be running when requests arrive.
void RegisterRoutes(http::Router& router, const RouteDeps& deps);

// "0.1.0 (commit abc123def456)".
std::string VersionString();

}  // namespace amtsweg::app
