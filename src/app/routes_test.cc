#include "app/routes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

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
  engine::Engine engine(**db);
  catalog::Catalog catalog(**db);
  intake::Intake intake(**db, catalog, engine, {.files_dir = dir.path() / "files"});
  http::Router router;
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
    // Every {param} of the pattern is a documented path parameter with a description.
    std::set<std::string> documented;
    for (const auto& p : op[method].value("parameters", core::Json::array())) {
      if (p["in"] == "path") {
        documented.insert(p["name"].get<std::string>());
        EXPECT_FALSE(p.value("description", "").empty())
            << route->method << " " << route->pattern << ": path parameter " << p["name"] << " undescribed";
      }
    }
    for (const auto& name : route->param_names) {
      EXPECT_TRUE(documented.count(name)) << route->method << " " << route->pattern << ": {" << name << "} undocumented";
    }
  }
}

// The engine API's routes are all there, and the whole document is valid
// OpenAPI 3.1 by the official JSON schema (tools/openapi-check, npm).
TEST(Routes, OpenApiDocumentIsValidAndListsTheEngineApi) {
  testutil::TempDir dir;
  store::Options options;
  options.url = "sqlite:" + (dir.path() / "r.db").string();
  auto db = store::Database::Open(options);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  core::metrics::Registry metrics;
  engine::Engine engine(**db);
  http::Router router;
  RegisterRoutes(router, {db->get(), &metrics, &engine});
  core::Json doc = http::RenderOpenApi(router, {});
  for (const char* path : {"/api/v1/tenants/{tenant}/deployments", "/api/v1/tenants/{tenant}/process-instances",
                           "/api/v1/tenants/{tenant}/user-tasks/{id}/completion",
                           "/api/v1/tenants/{tenant}/jobs/activation", "/api/v1/tenants/{tenant}/incidents"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  std::string tool = std::string(AMTSWEG_SOURCE_DIR) + "/tools/openapi-check";
  if (!std::filesystem::exists(tool + "/node_modules/@seriousme/openapi-schema-validator")) {
    GTEST_SKIP() << "run `make setup` (npm ci in tools/openapi-check) for the schema validation";
  }
  std::string file = (dir.path() / "openapi.json").string();
  std::ofstream(file) << core::DumpJson(doc, 2);
  std::string cmd = "node " + tool + "/check.mjs " + file + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("valid OpenAPI 3.1"), std::string::npos) << out;
}

}  // namespace
}  // namespace amtsweg::app
