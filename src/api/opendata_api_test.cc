// The open data routes over real HTTP (SQLite and PostgreSQL): definition,
// downloads, the DCAT-AP.de catalogue and the CKAN action API's shapes.
#include "api/opendata_api.h"

#include <set>

#include <gtest/gtest.h>

#include "http/server.h"
#include "http/test_client.h"
#include "opendata/dcat.h"
#include "opendata/opendata_test_util.h"

namespace amtsweg::api {
namespace {

using core::Json;

class OpenDataRoutes : public opendata::testing::OpenDataTest {
 protected:
  void SetUp() override {
    OpenDataTest::SetUp();
    if (IsSkipped()) return;
    RegisterOpenDataRoutes(router_, od_);
    http::Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
    for (int i = 0; i < 6; ++i) AddCase("svc-a", 2 + i, true);
    AddCase("svc-a", 1, false);
    auto [status, body] = Send("PUT", "/api/v1/tenants/amt-musterland/opendata",
                               opendata::testing::SampleDefinition().dump());
    ASSERT_EQ(status, 200) << body.dump();
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(1));
    server_.reset();
    OpenDataTest::TearDown();
  }

  http::testutil::ClientResponse Get(const std::string& target, const std::string& extra = "") {
    auto r = http::testutil::Get(server_->port(), target, extra);
    EXPECT_TRUE(r.has_value());
    return r ? *r : http::testutil::ClientResponse{};
  }
  std::pair<int, Json> GetJson(const std::string& target) {
    auto r = Get(target);
    auto json = core::ParseJson(r.body);
    return {r.status, json.ok() ? *json : Json(r.body)};
  }
  std::pair<int, Json> Send(const std::string& method, const std::string& target, const std::string& body) {
    auto r = http::testutil::RoundTrip(
        server_->port(), http::testutil::MakeRequest(method, target, "Content-Type: application/json\r\n", body));
    EXPECT_TRUE(r.has_value());
    if (!r) return {0, Json()};
    auto json = core::ParseJson(r->body);
    return {r->status, json.ok() ? *json : Json(r->body)};
  }
  static std::set<std::string> Keys(const Json& o) {
    std::set<std::string> k;
    for (const auto& [key, v] : o.items()) k.insert(key);
    return k;
  }

  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(OpenDataRoutes, DefinitionIsValidatedAndReadBack) {
  Json bad = opendata::testing::SampleDefinition();
  bad["minCount"] = "five";
  auto [status, problem] = Send("PUT", "/api/v1/tenants/amt-musterland/opendata", bad.dump());
  EXPECT_EQ(status, 422) << problem.dump();
  EXPECT_NE(problem.dump().find("/minCount"), std::string::npos) << problem.dump();

  auto [gs, def] = GetJson("/api/v1/tenants/amt-musterland/opendata");
  ASSERT_EQ(gs, 200) << def.dump();
  EXPECT_EQ(def["minCount"], 5);
  ASSERT_EQ(def["publications"].size(), 3u);
  EXPECT_EQ(def["publications"][0]["csv"],
            "https://daten.amt-musterland.de/api/v1/opendata/amt-musterland/datasets/antraege-monatlich.csv");
  EXPECT_EQ(def["publications"][0]["modified"], core::FormatIso8601(clock_.Now(), 0));

  clock_.Advance(std::chrono::hours(1));
  auto [ps, pub] = Send("POST", "/api/v1/tenants/amt-musterland/opendata/publication", "");
  EXPECT_EQ(ps, 200);
  EXPECT_EQ(pub["publishedDatasets"], 3);
  EXPECT_EQ(GetJson("/api/v1/tenants/amt-musterland/opendata").second["publications"][0]["modified"],
            core::FormatIso8601(clock_.Now(), 0));
  EXPECT_EQ(GetJson("/api/v1/tenants/nowhere/opendata").first, 404);
}

TEST_P(OpenDataRoutes, DownloadsCsvAndJson) {
  auto csv = Get("/api/v1/opendata/amt-musterland/datasets/bearbeitungsdauer.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(csv.Header("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(csv.Header("Last-Modified").empty());
  // Six completed cases after 2..7 days: median (rank 3) 4 days, p90 (rank 6) 7 days.
  EXPECT_EQ(csv.body, "serviceId,leikaKey,serviceName,completed,medianDays,p90Days,suppressed\r\n"
                      "svc-a,,,6,4.0,7.0,false\r\n");
  auto [js, json] = GetJson("/api/v1/opendata/amt-musterland/datasets/rueckstand.json");
  ASSERT_EQ(js, 200);
  ASSERT_EQ(json["rows"].size(), 1u);
  EXPECT_EQ(json["rows"][0]["open"], nullptr);  // one open case: below 5
  EXPECT_EQ(json["rows"][0]["suppressed"], true);

  EXPECT_EQ(Get("/api/v1/opendata/amt-musterland/datasets/nope.csv").status, 404);
  EXPECT_EQ(Get("/api/v1/opendata/amt-musterland/datasets/rueckstand.xml").status, 404);
  EXPECT_EQ(Get("/api/v1/opendata/nowhere/datasets/rueckstand.csv").status, 404);
  auto iri = Get("/api/v1/opendata/amt-musterland/datasets/rueckstand");
  EXPECT_EQ(iri.status, 303);
  EXPECT_EQ(iri.Header("Location"), "https://daten.amt-musterland.de/api/v1/opendata/amt-musterland/catalog.ttl");
}

TEST_P(OpenDataRoutes, CatalogueAsTurtleAndJsonLd) {
  auto ttl = Get("/api/v1/opendata/amt-musterland/catalog.ttl");
  ASSERT_EQ(ttl.status, 200);
  EXPECT_EQ(ttl.Header("Content-Type"), "text/turtle; charset=utf-8");
  EXPECT_NE(ttl.body.find("a dcat:Catalog"), std::string::npos);
  auto jsonld = Get("/api/v1/opendata/amt-musterland/catalog.jsonld");
  ASSERT_EQ(jsonld.status, 200);
  EXPECT_EQ(jsonld.Header("Content-Type"), "application/ld+json");
  EXPECT_TRUE(core::ParseJson(jsonld.body).ok());
  // The catalogue's IRI negotiates.
  EXPECT_EQ(Get("/api/v1/opendata/amt-musterland/catalog", "Accept: application/ld+json\r\n").body, jsonld.body);
  EXPECT_EQ(Get("/api/v1/opendata/amt-musterland/catalog", "Accept: text/turtle\r\n").body, ttl.body);
}

// Shapes as documented for CKAN 2.10 (docs.ckan.org/en/2.10/api/): the envelope
// {help, success, result}; package, resource and organization dicts with their fields.
TEST_P(OpenDataRoutes, CkanActionApiShapes) {
  const std::set<std::string> envelope{"help", "success", "result"};
  auto [ls, list] = GetJson("/api/3/action/package_list");
  ASSERT_EQ(ls, 200);
  EXPECT_EQ(Keys(list), envelope);
  EXPECT_EQ(list["success"], true);
  EXPECT_TRUE(list["help"].get<std::string>().ends_with("/api/3/action/help_show?name=package_list"));
  EXPECT_EQ(list["result"], (Json{"amt-musterland--antraege-monatlich", "amt-musterland--bearbeitungsdauer",
                                  "amt-musterland--rueckstand"}));
  EXPECT_EQ(GetJson("/api/3/action/package_list?limit=1&offset=1").second["result"],
            (Json{"amt-musterland--bearbeitungsdauer"}));

  auto [ss, show] = GetJson("/api/3/action/package_show?id=amt-musterland--bearbeitungsdauer");
  ASSERT_EQ(ss, 200) << show.dump();
  const Json& pkg = show["result"];
  EXPECT_EQ(Keys(pkg), (std::set<std::string>{
                           "author", "author_email", "creator_user_id", "extras", "groups", "id", "isopen",
                           "license_id", "license_title", "license_url", "maintainer", "maintainer_email",
                           "metadata_created", "metadata_modified", "name", "notes", "num_resources", "num_tags",
                           "organization", "owner_org", "private", "relationships_as_object",
                           "relationships_as_subject", "resources", "state", "tags", "title", "type", "url",
                           "version"}));
  EXPECT_EQ(pkg["type"], "dataset");
  EXPECT_EQ(pkg["private"], false);
  EXPECT_EQ(pkg["license_id"], "dl-by-de/2.0");
  EXPECT_EQ(pkg["num_resources"], 2);
  EXPECT_EQ(Keys(pkg["organization"]),
            (std::set<std::string>{"id", "name", "title", "type", "description", "image_url", "created",
                                   "is_organization", "approval_status", "state"}));
  EXPECT_EQ(pkg["owner_org"], pkg["organization"]["id"]);
  const Json& res = pkg["resources"][0];
  EXPECT_EQ(Keys(res), (std::set<std::string>{"cache_last_updated", "cache_url", "created", "datastore_active",
                                              "description", "format", "hash", "id", "last_modified",
                                              "metadata_modified", "mimetype", "mimetype_inner", "name",
                                              "package_id", "position", "resource_type", "size", "state", "url",
                                              "url_type"}));
  EXPECT_EQ(res["format"], "CSV");
  EXPECT_EQ(res["package_id"], pkg["id"]);
  // CKAN timestamps: ISO 8601 without zone, microseconds.
  EXPECT_EQ(pkg["metadata_modified"].get<std::string>().size(), std::string("2026-01-05T08:00:00.000000").size());
  // The same package by id; the resource by its id.
  EXPECT_EQ(GetJson("/api/3/action/package_show?id=" + pkg["id"].get<std::string>()).second["result"]["name"],
            pkg["name"]);
  auto [rs, shown] = GetJson("/api/3/action/resource_show?id=" + res["id"].get<std::string>());
  EXPECT_EQ(rs, 200);
  EXPECT_EQ(shown["result"], res);
  // The resource's URL downloads the data.
  std::string path = res["url"].get<std::string>().substr(std::string("https://daten.amt-musterland.de").size());
  EXPECT_EQ(Get(path).status, 200);

  auto [os, orgs] = GetJson("/api/3/action/organization_list");
  EXPECT_EQ(os, 200);
  EXPECT_EQ(orgs["result"], Json{"amt-musterland"});
  auto [oas, orgs_full] = GetJson("/api/3/action/organization_list?all_fields=true");
  EXPECT_EQ(orgs_full["result"][0]["title"], "Amt Musterland");
  EXPECT_EQ(orgs_full["result"][0]["package_count"], 3);
}

TEST_P(OpenDataRoutes, CkanPackageSearch) {
  auto [s, all] = GetJson("/api/3/action/package_search");
  ASSERT_EQ(s, 200);
  EXPECT_EQ(Keys(all["result"]), (std::set<std::string>{"count", "facets", "results", "search_facets", "sort"}));
  EXPECT_EQ(all["result"]["count"], 3);
  EXPECT_EQ(GetJson("/api/3/action/package_search?q=Bearbeitungsdauer").second["result"]["count"], 1);
  // Case-insensitive for ASCII letters only: "ANTRÄGE" does not find "Anträge".
  EXPECT_EQ(GetJson("/api/3/action/package_search?q=antr%C3%A4ge").second["result"]["count"], 2);
  EXPECT_EQ(GetJson("/api/3/action/package_search?q=ANTR%C3%84GE").second["result"]["count"], 0);
  EXPECT_EQ(GetJson("/api/3/action/package_search?q=offene%20antr%C3%A4ge").second["result"]["count"], 1);
  EXPECT_EQ(GetJson("/api/3/action/package_search?fq=organization:amt-musterland").second["result"]["count"], 3);
  EXPECT_EQ(GetJson("/api/3/action/package_search?fq=organization:elsewhere").second["result"]["count"], 0);
  EXPECT_EQ(GetJson("/api/3/action/package_search?fq=res_format:CSV%20tags:Antr%C3%A4ge").second["result"]["count"], 1);
  auto [ps, page] = GetJson("/api/3/action/package_search?rows=2&start=2");
  EXPECT_EQ(page["result"]["count"], 3);
  EXPECT_EQ(page["result"]["results"].size(), 1u);
}

TEST_P(OpenDataRoutes, CkanErrors) {
  auto [ms, missing] = GetJson("/api/3/action/package_show");
  EXPECT_EQ(ms, 409);
  EXPECT_EQ(missing["success"], false);
  EXPECT_EQ(missing["error"]["__type"], "Validation Error");
  EXPECT_EQ(missing["error"]["id"], Json{"Missing value"});
  auto [ns, nf] = GetJson("/api/3/action/package_show?id=nope");
  EXPECT_EQ(ns, 404);
  EXPECT_EQ(nf["error"], (Json{{"__type", "Not Found Error"}, {"message", "Not found"}}));
  EXPECT_EQ(GetJson("/api/3/action/resource_show?id=nope").first, 404);
  auto [rs, rows] = GetJson("/api/3/action/package_search?rows=abc");
  EXPECT_EQ(rs, 409);
  EXPECT_EQ(rows["error"]["rows"], Json{"Invalid integer"});
  EXPECT_EQ(GetJson("/api/3/action/package_search?fq=author:x").first, 409);
  auto [us, unknown] = GetJson("/api/3/action/package_create");
  EXPECT_EQ(us, 400);
  EXPECT_EQ(unknown["error"]["__type"], "Bad request");
}

}  // namespace

AW_STORE_INSTANTIATE(OpenDataRoutes);

}  // namespace amtsweg::api
