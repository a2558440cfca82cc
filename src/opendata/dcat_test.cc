#include "opendata/dcat.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "opendata/opendata_test_util.h"

namespace amtsweg::opendata {
namespace {

using core::Json;

TenantCatalog Sample(const std::string& title = "Anträge pro Monat und Leistung") {
  auto s = ParseSettings(testing::SampleDefinition());
  EXPECT_TRUE(s.ok());
  s->datasets[0].title = title;
  TenantCatalog c{.tenant = {.id = "amt-musterland",
                             .name = "Amt Musterland",
                             .type = "Amt",
                             .ars = "010595988000",
                             .email = "info@amt-musterland.de",
                             .web = "https://www.amt-musterland.de"},
                  .settings = *s,
                  .publications = {}};
  core::Timestamp issued = *core::ParseIso8601("2026-01-05T08:00:00Z");
  core::Timestamp modified = *core::ParseIso8601("2026-03-01T02:00:00Z");
  for (const auto& d : c.settings.datasets) {
    c.publications.push_back({d.id, issued, modified, 2, "a,b\r\n1,2\r\n", R"({"rows":[]})"});
  }
  return c;
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs tools/shacl-check on the catalogue; nullopt (and a skip reason) when node, the
// npm packages or the shapes are missing.
std::optional<Json> ShaclCheck(const std::string& ttl, const std::string& jsonld, std::string* skip) {
  namespace fs = std::filesystem;
  const char* env = std::getenv("AMTSWEG_SCHEMAS");
  fs::path schemas = env != nullptr ? fs::path(env) : fs::path(AMTSWEG_SCHEMAS_DIR);
  fs::path tool = fs::path(AMTSWEG_SOURCE_DIR) / "tools" / "shacl-check";
  if (!fs::exists(schemas / "dcat-ap" / "dcat-ap-SHACL.ttl")) {
    *skip = "no DCAT-AP shapes at " + schemas.string() + " (set AMTSWEG_SCHEMAS)";
    return std::nullopt;
  }
  if (!fs::exists(tool / "node_modules" / "rdf-validate-shacl")) {
    *skip = "tools/shacl-check has no node_modules: run `npm ci` there";
    return std::nullopt;
  }
  if (std::system("node --version >/dev/null 2>&1") != 0) {
    *skip = "node is not installed";
    return std::nullopt;
  }
  fs::path dir = fs::temp_directory_path() / ("aw-dcat-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "catalog.ttl") << ttl;
  std::ofstream(dir / "catalog.jsonld") << jsonld;
  std::string cmd = "node '" + (tool / "check.mjs").string() + "' --schemas '" + schemas.string() + "' --turtle '" +
                    (dir / "catalog.ttl").string() + "' --jsonld '" + (dir / "catalog.jsonld").string() + "' >'" +
                    (dir / "report.json").string() + "' 2>'" + (dir / "stderr.txt").string() + "'";
  int rc = std::system(cmd.c_str());
  std::string out = Slurp(dir / "report.json");
  std::string err = Slurp(dir / "stderr.txt");
  fs::remove_all(dir);
  EXPECT_EQ(rc, 0) << err;
  auto j = core::ParseJson(out);
  EXPECT_TRUE(j.ok()) << out << err;
  if (!j.ok()) return Json::object();
  return *j;
}
std::optional<Json> ShaclCheck(const TenantCatalog& c, std::string* skip) {
  return ShaclCheck(ToTurtle(c, "https://daten.amt-musterland.de"),
                    ToJsonLd(c, "https://daten.amt-musterland.de").dump(1), skip);
}

TEST(Dcat, CatalogueConformsToTheDcatApDeShapes) {
  std::string skip;
  // Quotes, backslashes, a newline and non-ASCII in a title must survive both serialisations.
  auto report = ShaclCheck(Sample("Anträge \"pro\" Monat \\ Leistung\nzweite Zeile <b>"), &skip);
  if (!report) GTEST_SKIP() << skip;
  EXPECT_TRUE((*report)["sameTriples"].get<bool>()) << report->dump(1);
  EXPECT_GT((*report)["turtleTriples"].get<int>(), 80);
  EXPECT_TRUE((*report)["conforms"].get<bool>()) << (*report)["violations"].dump(1);
  // Warnings are allowed (e.g. politicalGeocodingURI is deprecated in 3.0 but GovData still
  // harvests it); print them for the reader of the test log.
  for (const auto& w : (*report)["warnings"]) std::printf("SHACL warning: %s\n", w.dump().c_str());
  for (const auto& n : (*report)["notes"]) std::printf("note: %s\n", n.dump().c_str());
}

TEST(Dcat, TheShapeCheckFindsAViolation) {
  // The same catalogue without the datasets' publisher must not conform: proves the
  // validation above is live. (Lines "dcterms:publisher <...#publisher> ;" are removed.)
  TenantCatalog c = Sample();
  std::string ttl = ToTurtle(c, "https://daten.amt-musterland.de");
  std::string cut = std::regex_replace(ttl, std::regex("\n    dcterms:publisher <[^>]*> ;"), "");
  ASSERT_NE(cut, ttl);
  std::string skip;
  auto report = ShaclCheck(cut, ToJsonLd(c, "https://daten.amt-musterland.de").dump(1), &skip);
  if (!report) GTEST_SKIP() << skip;
  EXPECT_FALSE((*report)["sameTriples"].get<bool>());
  EXPECT_FALSE((*report)["conforms"].get<bool>());
  int publisher = 0;
  for (const auto& v : (*report)["violations"]) publisher += v["path"] == "http://purl.org/dc/terms/publisher";
  EXPECT_GE(publisher, 3) << (*report)["violations"].dump(1);
}

TEST(Dcat, TurtleCarriesEveryRequiredProperty) {
  std::string ttl = ToTurtle(Sample(), "https://daten.amt-musterland.de");
  for (const char* needle :
       {"a dcat:Catalog", "a dcat:Dataset", "a dcat:Distribution", "dcterms:title \"Anträge pro Monat und Leistung\"@de",
        "dcterms:description", "dcterms:publisher <https://daten.amt-musterland.de/api/v1/opendata/amt-musterland/catalog#publisher>",
        "dcatde:contributorID <http://dcat-ap.de/def/contributors/schleswigHolstein>",
        "dcatde:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/regionalKey/010595988000>",
        "dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/municipality>",
        "dcterms:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0>",
        "dcat:accessURL <https://daten.amt-musterland.de/api/v1/opendata/amt-musterland/datasets/antraege-monatlich.csv>",
        "dcat:downloadURL <https://daten.amt-musterland.de/api/v1/opendata/amt-musterland/datasets/bearbeitungsdauer.json>",
        "dcterms:format <http://publications.europa.eu/resource/authority/file-type/CSV>",
        "dcterms:format <http://publications.europa.eu/resource/authority/file-type/JSON>",
        "dcterms:issued \"2026-01-05T08:00:00Z\"^^xsd:dateTime", "dcterms:modified \"2026-03-01T02:00:00Z\"^^xsd:dateTime",
        "dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE>",
        "dcterms:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY>"}) {
    EXPECT_NE(ttl.find(needle), std::string::npos) << needle << "\n" << ttl;
  }
  // Escaping: a title with quotes, a backslash and a newline stays one literal.
  std::string hostile = ToTurtle(Sample("a \"b\" \\ c\nd"), "https://x.example");
  EXPECT_NE(hostile.find(R"("a \"b\" \\ c\nd"@de)"), std::string::npos);
}

TEST(Dcat, GeocodingFromTheRegionalschluessel) {
  TenantInfo kreis{.id = "kreis-sl", .name = "Kreis Schleswig-Flensburg", .type = "Kreis", .ars = "010590000000", .email = "", .web = ""};
  EXPECT_EQ(GeocodingOf(kreis).uri, "http://dcat-ap.de/def/politicalGeocoding/districtKey/01059");
  EXPECT_EQ(GeocodingOf(kreis).level, "http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict");
  TenantInfo kiel{.id = "kiel", .name = "Kiel", .type = "Stadt", .ars = "010020000000", .email = "", .web = ""};
  EXPECT_EQ(GeocodingOf(kiel).uri, "http://dcat-ap.de/def/politicalGeocoding/regionalKey/010020000000");
}

TEST(Dcat, JsonLdIsExpandedWithTheSameSubjects) {
  TenantCatalog c = Sample();
  Json j = ToJsonLd(c, "https://x.example");
  ASSERT_TRUE(j.is_array());
  int datasets = 0;
  for (const auto& node : j) {
    ASSERT_TRUE(node.contains("@id"));
    if (node.contains("@type") && node["@type"][0] == "http://www.w3.org/ns/dcat#Dataset") ++datasets;
  }
  EXPECT_EQ(datasets, 3);
}

TEST(Ckan, IdsAreUuidShapedAndStable) {
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(CkanId("pkg:a/b"), uuid)) << CkanId("pkg:a/b");
  EXPECT_EQ(CkanId("pkg:a/b"), CkanId("pkg:a/b"));
  EXPECT_NE(CkanId("pkg:a/b"), CkanId("pkg:a/c"));
}

}  // namespace
}  // namespace amtsweg::opendata
