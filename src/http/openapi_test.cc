#include "http/openapi.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace amtsweg::http {
namespace {

Handler Ok() {
  return [](Request&) -> core::Result<Response> { return Response::NoContent(); };
}

Router& SampleRouter() {
  static Router* r = [] {
    auto* router = new Router;
    router->Get("/api/v1/cases/{id}", Ok(),
                {.summary = "Get a case",
                 .description = "One case file with its history.",
                 .tag = "cases",
                 .path_params = {{.name = "id", .description = "Case id (UUID)"}},
                 .response_schema = core::Json{{"type", "object"}}});
    router->Post("/api/v1/services/{serviceId}/submissions", Ok(),
                 {.summary = "Submit an application",
                  .tag = "intake",
                  .request_schema = core::Json{{"type", "object"}, {"required", {"data"}}},
                  .success_status = 201});
    router->Get("/api/v1/cases", Ok(),
                {.summary = "List cases",
                 .tag = "cases",
                 .operation_id = "listCases",
                 .query_params = {{.name = "limit", .description = "Page size", .type = "integer"}}});
    router->Delete("/api/v1/cases/{id}", Ok(), {.summary = "Delete a case", .tag = "cases", .success_status = 204});
    auto s = router->Add("PROPFIND", "/dav", Ok(), {.summary = "not expressible"});
    (void)s;
    return router;
  }();
  return *r;
}

TEST(OpenApi, EveryRouteAppearsWithItsSummary) {
  const Router& router = SampleRouter();
  core::Json doc = RenderOpenApi(router, {.title = "Amtsweg API", .version = "1.2.3"});
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["version"], "1.2.3");
  int described = 0;
  for (const auto& route : router.routes()) {
    if (route->method == "PROPFIND") continue;
    std::string key = route->method;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(doc["paths"].contains(route->pattern)) << route->pattern;
    ASSERT_TRUE(doc["paths"][route->pattern].contains(key)) << route->method << " " << route->pattern;
    EXPECT_EQ(doc["paths"][route->pattern][key]["summary"], route->doc.summary);
    ++described;
  }
  EXPECT_EQ(described, 4);
  EXPECT_FALSE(doc["paths"].contains("/dav"));
}

TEST(OpenApi, DescribesParametersBodiesAndProblems) {
  core::Json doc = RenderOpenApi(SampleRouter(), {});
  const auto& get = doc["paths"]["/api/v1/cases/{id}"]["get"];
  ASSERT_EQ(get["parameters"].size(), 1u);
  EXPECT_EQ(get["parameters"][0]["in"], "path");
  EXPECT_EQ(get["parameters"][0]["required"], true);
  EXPECT_EQ(get["parameters"][0]["description"], "Case id (UUID)");
  EXPECT_EQ(get["operationId"], "getApiV1CasesById");
  EXPECT_EQ(get["tags"][0], "cases");
  EXPECT_EQ(get["responses"]["200"]["content"]["application/json"]["schema"]["type"], "object");
  EXPECT_EQ(get["responses"]["default"]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem");

  const auto& post = doc["paths"]["/api/v1/services/{serviceId}/submissions"]["post"];
  EXPECT_EQ(post["parameters"][0]["name"], "serviceId");
  EXPECT_EQ(post["requestBody"]["content"]["application/json"]["schema"]["required"][0], "data");
  EXPECT_TRUE(post["responses"].contains("201"));

  const auto& list = doc["paths"]["/api/v1/cases"]["get"];
  EXPECT_EQ(list["operationId"], "listCases");
  EXPECT_EQ(list["parameters"][0]["in"], "query");
  EXPECT_EQ(list["parameters"][0]["schema"]["type"], "integer");

  EXPECT_FALSE(doc["paths"]["/api/v1/cases/{id}"]["delete"]["responses"]["204"].contains("content"));
  EXPECT_TRUE(doc["components"]["schemas"]["Problem"]["properties"].contains("errors"));
  EXPECT_EQ(doc["tags"].size(), 2u);
}

// Others read this document (generated TypeScript types): changes show up as
// a golden diff. Regenerate with AW_UPDATE_GOLDEN=1 and review.
TEST(OpenApi, MatchesGoldenFile) {
  std::string path = std::string(AW_HTTP_TESTDATA) + "/openapi_golden.json";
  std::string rendered = core::DumpJson(RenderOpenApi(SampleRouter(), {}), 2) + "\n";
  if (std::getenv("AW_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << rendered;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " missing; run with AW_UPDATE_GOLDEN=1";
  std::string golden((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(rendered, golden);
}

}  // namespace
}  // namespace amtsweg::http
