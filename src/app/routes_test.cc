#include "app/routes.h"

#include <gtest/gtest.h>

#include "app/process_test_util.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "intake/intake.h"
#include "core/json.h"
#include "http/openapi.h"
#include "store/database.h"

namespace amtsweg::app {
namespace {

// Every route the app registers must be described in the OpenAPI document:
// integrators generate clients from it, so an undocumented route is a bug.
TEST(Routes, EveryRegisteredRouteIsInTheOpenApiDocument) {
  testutil::TempDir dir;
  store::Options options;
  options.url = "sqlite:" + (dir.path() / "r.db").string();
  auto db = store::Database::Open(options);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  core::metrics::Registry metrics;
  http::Router router;
  engine::Engine engine(**db);
  catalog::Catalog catalog(**db);
  intake::Intake intake(**db, catalog, engine, {.files_dir = dir.path() / "files"});
  RegisterRoutes(router, {db->get(), &metrics, &engine, &catalog, &intake});
  ASSERT_FALSE(router.routes().empty());

  core::Json doc = http::RenderOpenApi(router, {});
  for (const auto& route : router.routes()) {
    std::string method = route->method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(doc["paths"].contains(route->pattern)) << route->pattern << " missing from openapi.json";
    const auto& op = doc["paths"][route->pattern];
    ASSERT_TRUE(op.contains(method)) << route->method << " " << route->pattern << " missing";
    EXPECT_FALSE(op[method].value("summary", "").empty()) << route->pattern << " has no summary";
    EXPECT_TRUE(op[method].contains("responses")) << route->pattern;
  }
}

}  // namespace
}  // namespace amtsweg::app
