// Export from one tenant, import into another, on SQLite and PostgreSQL:
// the imported service takes applications and runs with the importer's
// parameters and departments; bad packages and bad parameters change nothing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "catalog/catalog.h"
#include "catalog/catalog_test_util.h"
#include "core/hash.h"
#include "engine/engine.h"
#include "intake/intake.h"
#include "packages/installer.h"
#include "packages/zip.h"
#include "store/store_test_util.h"

namespace amtsweg::packages {
namespace {

using core::Json;
namespace fs = std::filesystem;

const fs::path kDemo = fs::path(AMTSWEG_SOURCE_DIR) / "demo" / "services";
constexpr const char* kA = "amt-musterland";
constexpr const char* kB = "gemeinde-beispielstadt";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The citizen's Plakatierung application of the demo test: 20 posters, 10 days, commercial.
Json PosterApplication() {
  return Json{{"antragsteller",
               {{"name", "Heimatverein Musterdorf e. V."}, {"strasse", "Dorfstraße 3"}, {"plz", "24999"},
                {"ort", "Musterdorf"}, {"email", "vorstand@heimatverein.example"}, {"telefon", "+49 4600 1234"}}},
              {"zweck", "gewerblich"},
              {"veranstaltung", "Hoffest mit Flohmarkt"},
              {"zeitraum", {{"von", "2027-05-01"}, {"bis", "2027-05-10"}}},
              {"plakate", {{"anzahl", 20}, {"groesse", "A1"}}},
              {"standorte", {{{"strasse", "Dorfstraße"}, {"anzahl", 12}}, {{"strasse", "Am Markt"}, {"anzahl", 8}}}},
              {"verantwortlich", {{"name", "Jürgen Jäger"}, {"telefon", "+49 170 1234567"}}},
              {"bestaetigung", true}};
}

Json BeispielstadtValues(const std::string& service) {
  return core::ParseJson(ReadFile(kDemo.parent_path() / "beispielstadt.json")).value()["services"][service];
}

class InstallerTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-packages-files-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    engine_ = std::make_unique<engine::Engine>(*db_);
    intake_ = std::make_unique<intake::Intake>(*db_, *catalog_, *engine_, intake::IntakeOptions{.files_dir = files_dir_});
    installer_ = std::make_unique<Installer>(*db_, *engine_, *catalog_);
    key_ = GenerateKeyPair();

    ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant(kA)).ok());
    for (const char* d : {"ordnungsamt", "bauamt", "tiefbau", "verkehrsbehoerde", "amtsleitung"}) {
      ASSERT_TRUE(catalog_->CreateDepartment(kA, catalog::testing::SampleDepartment(d, d)).ok());
    }
    Json b = catalog::testing::SampleTenant(kB);
    b["name"] = "Gemeinde Beispielstadt";
    b["type"] = "Gemeinde";
    b["ars"] = "010590044044";
    ASSERT_TRUE(catalog_->CreateTenant(b).ok()) << catalog_->CreateTenant(b).error().ToString();
    for (const char* d : {"buergerbuero", "bauverwaltung", "strassen", "verkehrsaufsicht", "buergermeister"}) {
      ASSERT_TRUE(catalog_->CreateDepartment(kB, catalog::testing::SampleDepartment(d, d)).ok());
    }
  }
  void TearDown() override {
    installer_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  // Installs demo service `dir` in tenant A the way `demo seed` does, with
  // its parameter declarations (demo/services/<dir>/parameters.json).
  void PublishInA(const std::string& dir, const std::string& department) {
    std::vector<engine::Resource> resources;
    int form_version = 0;
    for (const auto& e : fs::directory_iterator(kDemo / dir)) {
      std::string ext = e.path().extension().string();
      if (ext != ".bpmn" && ext != ".dmn" && ext != ".form") continue;
      std::string text = ReadFile(e.path());
      if (ext == ".form") {
        auto stored = catalog_->AddFormVersion(kA, *core::ParseJson(text));
        ASSERT_TRUE(stored.ok()) << stored.error().ToString();
        if (e.path().stem() == dir) form_version = (*stored)["version"];
      }
      resources.push_back({e.path().filename().string(), text});
    }
    auto dep = engine_->Deploy(kA, resources);
    ASSERT_TRUE(dep.ok()) << dep.error().ToString();
    Json service = catalog::testing::SampleService(dir, form_version, {{"department", department}});
    service["id"] = "musterland-" + dir;
    service["process"] = {{"id", dir}};
    ASSERT_TRUE(catalog_->CreateService(kA, service).ok());
    Json decl = *core::ParseJson(ReadFile(kDemo / dir / "parameters.json"));
    std::vector<ParameterDecl> decls;
    for (size_t i = 0; i < decl["parameters"].size(); ++i) {
      auto d = ParameterDeclFromJson(decl["parameters"][i], "/parameters/" + std::to_string(i));
      ASSERT_TRUE(d.ok()) << d.error().ToString();
      decls.push_back(*d);
    }
    Manifest::Binding binding{decl["parameterBinding"]["file"], decl["parameterBinding"]["element"],
                              decl["parameterBinding"]["variable"]};
    auto s = installer_->DeclareParameters(kA, "musterland-" + dir, dir, decls, binding, decl["values"]);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  std::string Export(const std::string& dir) {
    auto zip = installer_->Export({.tenant = kA, .service_id = "musterland-" + dir}, key_.secret);
    EXPECT_TRUE(zip.ok()) << zip.error().ToString();
    return zip.ok() ? *zip : "";
  }

  core::Result<Package> OpenInB(const std::string& zip) {
    AW_ASSIGN_OR_RETURN(auto trusted, installer_->TrustedKeys(kB));
    return OpenPackage(zip, "plakatierung.zip", trusted, true, "0.1.0");
  }

  core::Result<Json> Submit(const std::string& service, Json data) {
    intake::SubmitRequest r;
    r.service_id = service;
    r.data = std::move(data);
    r.request_hash = core::Sha256Hex(core::DumpJson(r.data));
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    intake_->Submit(std::move(r), [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
    return f.get();
  }

  int64_t CountIn(const std::string& table, const std::string& tenant) {
    return ReadInt(*db_, "SELECT COUNT(*) FROM " + table + " WHERE tenant_id = '" + tenant + "'");
  }

  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<Installer> installer_;
  KeyPair key_;
};

TEST_P(InstallerTest, RoundTripRunsTheServiceInBWithBsParameters) {
  PublishInA("plakatierung", "ordnungsamt");
  std::string zip = Export("plakatierung");
  ASSERT_FALSE(zip.empty());
  // Not trusted yet: refused, naming the key.
  auto untrusted = OpenInB(zip);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_NE(untrusted.error().message().find("signed by key " + key_.public_key.id), std::string::npos);
  ASSERT_TRUE(installer_->TrustKey(kB, key_.public_key, "Amt Musterland").ok());
  auto pkg = OpenInB(zip);
  ASSERT_TRUE(pkg.ok()) << pkg.error().ToString();
  EXPECT_EQ(pkg->manifest.name, "plakatierung");
  EXPECT_EQ(pkg->manifest.version, "1");
  EXPECT_EQ(pkg->manifest.publisher["tenant"], kA);
  ASSERT_NE(pkg->manifest.FindParameter("mindestgebuehr"), nullptr);
  EXPECT_EQ(pkg->manifest.FindParameter("mindestgebuehr")->default_value, 25) << "the publisher's value";
  EXPECT_NE(pkg->Find("dmn/plakatierung.dmn"), nullptr);
  EXPECT_NE(pkg->Find("forms/plakatierung-pruefung.form"), nullptr);

  Json values = BeispielstadtValues("plakatierung");
  values["satzProPlakatUndTag"] = 0.2;
  values["mindestgebuehr"] = 35;
  ImportRequest req{.tenant = kB, .service_id = "", .parameters = values};
  auto plan = installer_->Plan(*pkg, req);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ((*plan)["service"]["id"], "gemeinde-beispielstadt-plakatierung");
  EXPECT_EQ((*plan)["service"]["exists"], false);
  EXPECT_EQ((*plan)["responsibleDepartment"], "buergerbuero");
  EXPECT_EQ(CountIn("engine_deployments", kB), 0) << "a plan writes nothing";

  auto done = installer_->Install(*pkg, req);
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  EXPECT_EQ((*done)["installed"]["processVersion"], 1);
  EXPECT_EQ(CountIn("package_installs", kB), 1);
  EXPECT_EQ(CountIn("audit_log", kB), 2) << "key trusted, package installed";
  auto service = catalog_->GetService(kB, "gemeinde-beispielstadt-plakatierung");
  ASSERT_TRUE(service.ok());
  EXPECT_EQ((*service)["fees"], values["gebuehrenText"]) << "B's own fee text in its catalogue";
  EXPECT_EQ((*service)["responsibility"]["department"], "buergerbuero");

  // A citizen applies in B: B's fee rates, B's department.
  auto receipt = Submit("gemeinde-beispielstadt-plakatierung", PosterApplication());
  ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
  auto tasks = engine_->ListUserTasks(kB);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].name, "Antrag prüfen");
  EXPECT_EQ((*tasks)[0].candidate_groups, std::vector<std::string>{"buergerbuero"});
  auto inst = engine_->GetInstance(kB, (*tasks)[0].instance_id);
  ASSERT_TRUE(inst.ok());
  // 20 posters x 10 days x 0.20 EUR = 40 EUR (A: 0.10 EUR, at least 25 EUR, gives 25).
  EXPECT_EQ(inst->variables["bewertung"]["gebuehr"], 40) << inst->variables.dump();
  EXPECT_EQ(inst->variables["params"]["kontaktEmail"], "ordnung@beispielstadt.example");
  EXPECT_EQ(inst->variables["params"]["nachreichfristTage"], 10);
  EXPECT_EQ(inst->variables["params"]["entfernungsfristTage"], 3) << "an optional parameter: the publisher's default";
  // A is untouched: its process still has its own values.
  auto a_receipt = Submit("musterland-plakatierung", PosterApplication());
  ASSERT_TRUE(a_receipt.ok()) << a_receipt.error().ToString();
  auto a_tasks = engine_->ListUserTasks(kA);
  ASSERT_TRUE(a_tasks.ok());
  ASSERT_EQ(a_tasks->size(), 1u);
  EXPECT_EQ((*a_tasks)[0].candidate_groups, std::vector<std::string>{"ordnungsamt"});
  EXPECT_EQ(engine_->GetInstance(kA, (*a_tasks)[0].instance_id)->variables["bewertung"]["gebuehr"], 25);
}

TEST_P(InstallerTest, ANewVersionLeavesRunningInstancesOnTheOldOne) {
  PublishInA("plakatierung", "ordnungsamt");
  std::string zip = Export("plakatierung");
  ASSERT_TRUE(installer_->TrustKey(kB, key_.public_key, "Amt Musterland").ok());
  auto pkg = OpenInB(zip);
  ASSERT_TRUE(pkg.ok()) << pkg.error().ToString();
  Json values = BeispielstadtValues("plakatierung");
  values["satzProPlakatUndTag"] = 0.2;
  values["mindestgebuehr"] = 35;
  ASSERT_TRUE(installer_->Install(*pkg, {.tenant = kB, .service_id = "", .parameters = values}).ok());
  ASSERT_TRUE(Submit("gemeinde-beispielstadt-plakatierung", PosterApplication()).ok());
  // The council raises the minimum fee: install again with the new value.
  values["mindestgebuehr"] = 50;
  auto plan = installer_->Plan(*pkg, {.tenant = kB, .service_id = "", .parameters = values});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ((*plan)["previous"]["processVersion"], 1);
  EXPECT_EQ((*plan)["service"]["exists"], true);
  auto second = installer_->Install(*pkg, {.tenant = kB, .service_id = "", .parameters = values});
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ((*second)["installed"]["processVersion"], 2);
  ASSERT_TRUE(Submit("gemeinde-beispielstadt-plakatierung", PosterApplication()).ok());
  auto page = engine_->ListInstances(kB, {.process_id = "plakatierung", .state = "", .after = "", .limit = 100});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  auto first = engine_->GetInstance(kB, page->items[0].instance_id);
  auto later = engine_->GetInstance(kB, page->items[1].instance_id);
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->variables["bewertung"]["gebuehr"], 40);
  EXPECT_EQ(later->version, 2);
  EXPECT_EQ(later->variables["bewertung"]["gebuehr"], 50);
  EXPECT_EQ(first->state, "active");
  EXPECT_EQ(CountIn("package_installs", kB), 2);
}

TEST_P(InstallerTest, MissingParameterOrUnknownDepartmentIsNamedAndNothingIsStored) {
  PublishInA("plakatierung", "ordnungsamt");
  std::string zip = Export("plakatierung");
  ASSERT_TRUE(installer_->TrustKey(kB, key_.public_key, "Amt Musterland").ok());
  auto pkg = OpenInB(zip);
  ASSERT_TRUE(pkg.ok());
  Json values = BeispielstadtValues("plakatierung");
  values.erase("mindestgebuehr");
  auto missing = installer_->Install(*pkg, {.tenant = kB, .service_id = "", .parameters = values});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message().find("required parameter 'mindestgebuehr'"), std::string::npos)
      << missing.error().message();
  values = BeispielstadtValues("plakatierung");
  values["zustaendigeStelle"] = "ordnungsamt";  // A's department, which B does not have
  auto unknown = installer_->Install(*pkg, {.tenant = kB, .service_id = "", .parameters = values});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("parameter 'zustaendigeStelle'"), std::string::npos);
  EXPECT_NE(unknown.error().message().find("no department 'ordnungsamt'"), std::string::npos);
  EXPECT_EQ(CountIn("engine_deployments", kB), 0);
  EXPECT_EQ(CountIn("catalog_services", kB), 0);
  EXPECT_EQ(CountIn("catalog_forms", kB), 0);
  EXPECT_EQ(CountIn("package_installs", kB), 0);
}

TEST_P(InstallerTest, ATamperedExportIsRefusedNamingTheFile) {
  PublishInA("plakatierung", "ordnungsamt");
  std::string zip = Export("plakatierung");
  ASSERT_TRUE(installer_->TrustKey(kB, key_.public_key, "Amt Musterland").ok());
  auto entries = ReadZip(zip);
  ASSERT_TRUE(entries.ok());
  for (auto& e : *entries) {
    if (e.name == "dmn/plakatierung.dmn") {
      size_t at = e.data.find("<text>true</text>");
      ASSERT_NE(at, std::string::npos);
      e.data[at + 6] = 'T';  // one byte
    }
  }
  auto pkg = OpenInB(*WriteZip(*entries));
  ASSERT_FALSE(pkg.ok());
  EXPECT_EQ(pkg.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(pkg.error().message().find("dmn/plakatierung.dmn: SHA-256 does not match"), std::string::npos)
      << pkg.error().message();
}

TEST_P(InstallerTest, AllThreeDemoServicesTravelWithTheirDepartmentsMapped) {
  PublishInA("plakatierung", "ordnungsamt");
  PublishInA("negativbescheinigung", "bauamt");
  PublishInA("aufgrabegenehmigung", "tiefbau");
  ASSERT_TRUE(installer_->TrustKey(kB, key_.public_key, "Amt Musterland").ok());
  for (const char* dir : {"plakatierung", "negativbescheinigung", "aufgrabegenehmigung"}) {
    SCOPED_TRACE(dir);
    auto pkg = OpenInB(Export(dir));
    ASSERT_TRUE(pkg.ok()) << pkg.error().ToString();
    auto done = installer_->Install(*pkg, {.tenant = kB, .service_id = "", .parameters = BeispielstadtValues(dir)});
    ASSERT_TRUE(done.ok()) << done.error().ToString();
  }
  auto services = catalog_->ListServices(kB);
  ASSERT_TRUE(services.ok());
  EXPECT_EQ(services->size(), 3u);
  // The static candidate groups of A's departments became B's.
  auto defs = engine_->ListDefinitions(kB, {.kind = "process", .id = "aufgrabegenehmigung"});
  ASSERT_TRUE(defs.ok() && defs->size() == 1u);
  auto xml = engine_->DefinitionResource(kB, defs->front().definition_key);
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->find("candidateGroups=\"verkehrsbehoerde\""), std::string::npos);
  EXPECT_EQ(xml->find("candidateGroups=\"tiefbau\""), std::string::npos);
  EXPECT_NE(xml->find("candidateGroups=\"verkehrsaufsicht\""), std::string::npos);
  EXPECT_NE(xml->find("candidateGroups=\"strassen\""), std::string::npos);
  auto params = installer_->ServiceParameters(kB, "gemeinde-beispielstadt-negativbescheinigung");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ((*params)["values"]["gebiete"][0]["name"], "Bebauungsplan Nr. 7 Feuerwache");
}

TEST_P(InstallerTest, XProzessSamplesAreStoredAsReferenceModelsWithTheirReport) {
  const char* env = std::getenv("AMTSWEG_CONFORMANCE");
  fs::path dir = (env != nullptr ? fs::path(env) : fs::path(AMTSWEG_SOURCE_DIR) / ".." / "shared" / "conformance") /
                 "xprozess";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is absent: no XProzess samples to import";
  int samples = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.path().filename().string().ends_with(".xprozess.xml")) continue;
    ++samples;
    SCOPED_TRACE(entry.path().filename().string());
    auto p = ParseXProzess(ReadFile(entry.path()));
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    auto dry = installer_->ImportXProzess(kB, *p, true);
    ASSERT_TRUE(dry.ok()) << dry.error().ToString();
    EXPECT_FALSE(installer_->ReferenceModel(kB, p->id, p->version).ok()) << "a dry run stores nothing";
    auto report = installer_->ImportXProzess(kB, *p, false);
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    EXPECT_EQ((*report)["id"], p->id);
    EXPECT_EQ((*report)["legalBases"].size(), p->legal_bases.size());
    EXPECT_FALSE((*report)["processes"].empty());
    EXPECT_EQ((*report)["notTaken"].size(), p->skipped.size());
    EXPECT_GT((*report)["lint"]["errors"].get<int>(), 0) << "a FIM reference model is not executable as it is";
    auto stored = installer_->ReferenceModel(kB, p->id, p->version);
    ASSERT_TRUE(stored.ok()) << stored.error().ToString();
    EXPECT_EQ((*stored)["bpmn"].get<std::string>(), p->bpmn);
    EXPECT_EQ((*stored)["report"]["model"]["sha256"], core::Sha256Hex(p->bpmn));
    // Importing it again replaces it.
    ASSERT_TRUE(installer_->ImportXProzess(kB, *p, false).ok());
  }
  if (samples == 0) GTEST_SKIP() << "no *.xprozess.xml in " << dir;
  EXPECT_EQ(CountIn("package_reference_models", kB), samples);
}

AW_STORE_INSTANTIATE(InstallerTest);

}  // namespace
}  // namespace amtsweg::packages
