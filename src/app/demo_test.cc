// `amtsweg demo seed` with the real binary, then a citizen's application to
// the seeded Plakatierung over HTTP: it must land, through the service's DMN
// (fees, notes) and process, in the Ordnungsamt's inbox.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "analytics/analytics_store.h"
#include "analytics/overview.h"
#include "app/demo.h"
#include "app/process_test_util.h"
#include "core/json.h"
#include "engine/engine.h"
#include "http/client.h"
#include "store/store_test_util.h"

namespace amtsweg::app {
namespace {

using core::Json;
using testutil::RunAmtsweg;

const std::string kDemoDir = std::string(AMTSWEG_SOURCE_DIR) + "/demo/services";

TEST(Demo, SeedCreatesAmtMusterlandOnceAndItsServicesTakeApplications) {
  testutil::TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "demo.db").string();
  auto first = RunAmtsweg({"demo", "seed", "--history", "0", "--db", db, "--dir", kDemoDir});
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("Amt Musterland created"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("ordnung"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("Gemeinde Beispielstadt created"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("imported package aufgrabegenehmigung version 1"), std::string::npos) << first.out;
  auto second = RunAmtsweg({"demo", "seed", "--history", "0", "--db", db, "--dir", kDemoDir});
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("exists already"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("Gemeinde Beispielstadt exists already"), std::string::npos) << second.out;

  auto server = testutil::ServerProcess::Start({"--db", db});
  ASSERT_TRUE(server);
  ASSERT_GT(server->port(), 0) << server->Output();
  std::string base = fmt::format("http://127.0.0.1:{}", server->port());

  auto list = http::Fetch({.url = base + "/api/v1/services?tenant=amt-musterland"});
  ASSERT_TRUE(list.ok() && list->status == 200) << (list.ok() ? list->body : list.error().ToString());
  auto services = core::ParseJson(list->body);
  ASSERT_TRUE(services.ok());
  ASSERT_EQ((*services)["items"].size(), 3u) << list->body;

  Json data = {
      {"antragsteller",
       {{"name", "Heimatverein Musterdorf e. V."}, {"strasse", "Dorfstraße 3"}, {"plz", "24999"}, {"ort", "Musterdorf"},
        {"email", "vorstand@heimatverein.example"}, {"telefon", "+49 4600 1234"}}},
      {"zweck", "gewerblich"},
      {"veranstaltung", "Hoffest mit Flohmarkt"},
      {"zeitraum", {{"von", "2027-05-01"}, {"bis", "2027-05-10"}}},
      {"plakate", {{"anzahl", 20}, {"groesse", "A1"}}},
      {"standorte", {{{"strasse", "Dorfstraße"}, {"anzahl", 12}}, {{"strasse", "Am Markt"}, {"anzahl", 8}}}},
      {"verantwortlich", {{"name", "Jürgen Jäger"}, {"telefon", "+49 170 1234567"}}},
      {"bestaetigung", true}};
  http::FetchRequest post{.method = "POST", .url = base + "/api/v1/services/musterland-plakatierung/submissions"};
  post.headers.Add("Content-Type", "application/json");
  post.body = core::DumpJson(data);
  auto submitted = http::Fetch(post);
  ASSERT_TRUE(submitted.ok()) << submitted.error().ToString();
  ASSERT_EQ(submitted->status, 201) << submitted->body;
  auto receipt = core::ParseJson(submitted->body);
  ASSERT_TRUE(receipt.ok());
  std::string code = (*receipt)["trackingCode"].get<std::string>();

  auto status = http::Fetch({.url = base + "/api/v1/submissions/" + code});
  ASSERT_TRUE(status.ok() && status->status == 200) << (status.ok() ? status->body : "");
  EXPECT_NE(status->body.find("\"stage\":\"received\""), std::string::npos) << status->body;
  EXPECT_EQ(status->body.find("Heimatverein"), std::string::npos) << "no personal data in the status";

  // The process ran its script and DMN task and waits in the Ordnungsamt's inbox.
  std::string token = testutil::AdminApiToken(db, server->port(), "amt-musterland");
  ASSERT_FALSE(token.empty());
  http::FetchRequest tasks{.url = base + "/api/v1/tenants/amt-musterland/user-tasks?candidateGroup=ordnungsamt"};
  tasks.headers.Add("Authorization", "Bearer " + token);
  auto inbox = http::Fetch(tasks);
  ASSERT_TRUE(inbox.ok() && inbox->status == 200) << (inbox.ok() ? inbox->body : "");
  auto page = core::ParseJson(inbox->body);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ((*page)["items"].size(), 1u) << inbox->body;
  EXPECT_EQ((*page)["items"][0]["name"], "Antrag prüfen");
  std::string instance = (*page)["items"][0]["processInstanceId"].get<std::string>();
  http::FetchRequest vars{.url = base + "/api/v1/tenants/amt-musterland/process-instances/" + instance + "/variables"};
  vars.headers.Add("Authorization", "Bearer " + token);
  auto v = http::Fetch(vars);
  ASSERT_TRUE(v.ok() && v->status == 200) << (v.ok() ? v->body : "");
  auto variables = core::ParseJson(v->body);
  ASSERT_TRUE(variables.ok()) << v->body;
  // 20 posters x 10 days x 0.10 EUR = 20 EUR, below the minimum fee of 25 EUR.
  const Json& bewertung = variables->contains("variables") ? (*variables)["variables"]["bewertung"]
                                                            : (*variables)["bewertung"];
  EXPECT_EQ(bewertung["gebuehr"], 25) << v->body;
  EXPECT_EQ(bewertung["tage"], 10) << v->body;

  // The seeded open data: published at seeding, readable without login (DCAT-AP.de and CKAN).
  auto ttl = http::Fetch({.url = base + "/api/v1/opendata/amt-musterland/catalog.ttl"});
  ASSERT_TRUE(ttl.ok() && ttl->status == 200) << (ttl.ok() ? ttl->body : ttl.error().ToString());
  EXPECT_NE(ttl->body.find("dcatde:contributorID <http://dcat-ap.de/def/contributors/schleswigHolstein>"),
            std::string::npos);
  auto packages = http::Fetch({.url = base + "/api/3/action/package_list"});
  ASSERT_TRUE(packages.ok() && packages->status == 200);
  EXPECT_NE(packages->body.find("amt-musterland--bearbeitungsdauer"), std::string::npos) << packages->body;
  // Gemeinde Beispielstadt runs the same service, imported as a package, with
  // its own fee rate (0.15 EUR: 20 x 10 x 0.15 = 30 EUR) in its own department.
  auto b_list = http::Fetch({.url = base + "/api/v1/services?tenant=gemeinde-beispielstadt"});
  ASSERT_TRUE(b_list.ok() && b_list->status == 200) << (b_list.ok() ? b_list->body : "");
  ASSERT_EQ(core::ParseJson(b_list->body).value()["items"].size(), 3u) << b_list->body;
  http::FetchRequest b_post{.method = "POST",
                            .url = base + "/api/v1/services/gemeinde-beispielstadt-plakatierung/submissions"};
  b_post.headers.Add("Content-Type", "application/json");
  b_post.body = core::DumpJson(data);
  auto b_submitted = http::Fetch(b_post);
  ASSERT_TRUE(b_submitted.ok() && b_submitted->status == 201) << (b_submitted.ok() ? b_submitted->body : "");
  std::string b_token = testutil::AdminApiToken(db, server->port(), "gemeinde-beispielstadt");
  ASSERT_FALSE(b_token.empty());
  http::FetchRequest b_tasks{
      .url = base + "/api/v1/tenants/gemeinde-beispielstadt/user-tasks?candidateGroup=buergerbuero"};
  b_tasks.headers.Add("Authorization", "Bearer " + b_token);
  auto b_inbox = http::Fetch(b_tasks);
  ASSERT_TRUE(b_inbox.ok() && b_inbox->status == 200) << (b_inbox.ok() ? b_inbox->body : "");
  auto b_page = core::ParseJson(b_inbox->body);
  ASSERT_TRUE(b_page.ok());
  ASSERT_EQ((*b_page)["items"].size(), 1u) << b_inbox->body;
  std::string b_instance = (*b_page)["items"][0]["processInstanceId"].get<std::string>();
  http::FetchRequest b_vars{.url = base + "/api/v1/tenants/gemeinde-beispielstadt/process-instances/" + b_instance +
                                   "/variables"};
  b_vars.headers.Add("Authorization", "Bearer " + b_token);
  auto bv = http::Fetch(b_vars);
  ASSERT_TRUE(bv.ok() && bv->status == 200) << (bv.ok() ? bv->body : "");
  auto b_variables = core::ParseJson(bv->body);
  ASSERT_TRUE(b_variables.ok());
  const Json& b_bewertung = b_variables->contains("variables") ? (*b_variables)["variables"]["bewertung"]
                                                                : (*b_variables)["bewertung"];
  EXPECT_EQ(b_bewertung["gebuehr"], 30) << bv->body;
  EXPECT_EQ(server->Signal(SIGTERM), 0) << server->Output();
}

// `--history N` on the command line: once, with a line saying what it did; a
// second seed adds nothing.
TEST(Demo, SeedHistoryFromTheCommandLineRunsOnce) {
  testutil::TempDir dir;
  std::string db = "sqlite:" + (dir.path() / "demo.db").string();
  std::vector<std::string> env = {"AMTSWEG_STORAGE_FILES_DIR=" + (dir.path() / "files").string()};
  auto first = RunAmtsweg({"demo", "seed", "--history", "25", "--db", db, "--dir", kDemoDir}, env,
                          std::chrono::seconds(300));
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("demo history: 25 applications of the last 180 days run through the engine"),
            std::string::npos)
      << first.out;
  auto second = RunAmtsweg({"demo", "seed", "--history", "25", "--db", db, "--dir", kDemoDir}, env,
                           std::chrono::seconds(300));
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("demo history: the demo municipalities have cases already; nothing added"),
            std::string::npos)
      << second.out;
}

// The demo history in-process on SQLite and PostgreSQL: the applications ran
// through the engine (every case has a process instance; the ended ones ended
// at the end events of their service's paths), the dashboards' figures are
// spread over months, some cases wait in the inboxes, and seeding again adds
// nothing.
class DemoHistoryTest : public store::testing::StoreTest {};

TEST_P(DemoHistoryTest, ApplicationsRunThroughTheEngineOverMonthsOnce) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  testutil::TempDir files;
  core::Config cfg;
  cfg.storage.files_dir = files.path().string();
  auto seeded = SeedDemoTenants(*db, cfg, kDemoDir, {.users = false, .open_data = false});
  ASSERT_TRUE(seeded.ok()) << seeded.error().ToString();
  const int n = 120;
  auto h = SeedDemoHistory(*db, {.cases = n, .files_dir = files.path()});
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_FALSE(h->skipped);
  EXPECT_EQ(h->submitted, n);
  EXPECT_EQ(h->completed + h->open, n);
  EXPECT_GT(h->completed, n / 2);  // most cases are done ...
  EXPECT_GT(h->open, 0);           // ... some are not

  engine::Engine engine(*db);
  std::map<std::string, int> ends;  // "process/end event" -> instances that ended there
  int instances = 0, incidents = 0;
  std::set<std::string> months;
  for (const char* tenant : {kDemoTenantA, kDemoTenantB}) {
    auto inc = engine.ListIncidents(tenant);
    ASSERT_TRUE(inc.ok());
    incidents += static_cast<int>(inc->size());
    for (const char* process : {"plakatierung", "negativbescheinigung", "aufgrabegenehmigung"}) {
      auto page = engine.ListInstances(tenant, {.process_id = process, .state = "", .after = "", .limit = 1000});
      ASSERT_TRUE(page.ok()) << page.error().ToString();
      for (const auto& i : page->items) {
        ++instances;
        months.insert(core::FormatIso8601(i.started).substr(0, 7));
        if (i.state != "completed") continue;
        auto hist = engine.History(tenant, i.instance_id);
        ASSERT_TRUE(hist.ok());
        for (const auto& e : *hist) {
          if (e.event == "element_completed" && e.element_id.starts_with("ende")) ends[std::string(process) + "/" + e.element_id]++;
        }
      }
    }
  }
  EXPECT_EQ(instances, n);
  EXPECT_EQ(incidents, 0);
  int ended = 0;
  for (const auto& [k, v] : ends) ended += v;
  EXPECT_EQ(ended, h->completed);
  // The main paths of each service are in the history.
  for (const char* path : {"plakatierung/ende_abgelehnt", "negativbescheinigung/ende_zeugnis",
                           "negativbescheinigung/ende_nicht"}) {
    EXPECT_GT(ends[path], 0) << path;
  }
  EXPECT_GT(ends["plakatierung/ende"] + ends["plakatierung/ende_mahnung"], 0);
  EXPECT_GE(months.size(), 4u) << "applications spread over the last six months";

  // The dashboard of Amt Musterland: applications received and completed in several months.
  auto facts = analytics::LoadOverviewFacts(*db, {.tenant = kDemoTenantA});
  ASSERT_TRUE(facts.ok()) << facts.error().ToString();
  analytics::OverviewOptions o;
  o.now_ms = core::ToUnixMillis(core::SystemClock::Instance().Now());
  auto overview = analytics::OverviewJson(*facts, o);
  ASSERT_TRUE(overview.ok()) << overview.error().ToString();
  int months_received = 0, months_completed = 0;
  for (const auto& b : (*overview)["series"]) {
    if (b.value("received", 0) > 0) ++months_received;
    if (b.value("completed", 0) > 0) ++months_completed;
  }
  EXPECT_GE(months_received, 4) << overview->dump();
  EXPECT_GE(months_completed, 3) << overview->dump();
  EXPECT_GT((*overview)["totals"]["completed"].get<int>(), 0) << overview->dump();
  EXPECT_GT((*overview)["totals"]["throughput"]["p50Ms"].get<double>(), 0) << overview->dump();

  auto again = SeedDemoHistory(*db, {.cases = n, .files_dir = files.path()});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->skipped);
  int after = 0;
  for (const char* tenant : {kDemoTenantA, kDemoTenantB}) {
    auto page = engine.ListInstances(tenant, {.process_id = "", .state = "", .after = "", .limit = 1000});
    ASSERT_TRUE(page.ok());
    for (const auto& i : page->items) after += i.process_id == "plakatierung" || i.process_id == "negativbescheinigung" ||
                                                 i.process_id == "aufgrabegenehmigung";
  }
  EXPECT_EQ(after, n);
  db->Close();
}

AW_STORE_INSTANTIATE(DemoHistoryTest);

// The same seed and end give the same history: the same paths, case by case.
TEST(DemoHistory, IsDeterministic) {
  auto run = [](const std::filesystem::path& dir) {
    std::vector<std::string> paths;
    store::Options o;
    o.url = "sqlite:" + (dir / "h.db").string();
    auto db = store::Database::Open(o);
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return paths;
    EXPECT_TRUE((*db)->Migrate().ok());
    EXPECT_TRUE((*db)->writer().Start().ok());
    core::Config cfg;
    cfg.storage.files_dir = (dir / "files").string();
    EXPECT_TRUE(SeedDemoTenants(**db, cfg, kDemoDir, {.users = false, .open_data = false}).ok());
    auto h = SeedDemoHistory(**db, {.cases = 30, .files_dir = dir / "files",
                                    .end = core::ParseIso8601("2026-11-02T12:00:00Z").value()});
    EXPECT_TRUE(h.ok()) << h.error().ToString();
    engine::Engine engine(**db);
    for (const char* tenant : {kDemoTenantA, kDemoTenantB}) {
      auto page = engine.ListInstances(tenant, {.process_id = "", .state = "", .after = "", .limit = 1000});
      EXPECT_TRUE(page.ok());
      if (!page.ok()) continue;
      for (const auto& i : page->items) {
        if (i.process_id == "opendata") continue;
        std::string path = core::FormatIso8601(i.started) + " " + i.process_id + ":";
        auto hist = engine.History(tenant, i.instance_id);
        EXPECT_TRUE(hist.ok());
        for (const auto& e : *hist) {
          if (e.event == "element_completed") path += " " + e.element_id;
        }
        paths.push_back(path);
      }
    }
    (void)(*db)->writer().Stop();
    (*db)->Close();
    std::sort(paths.begin(), paths.end());
    return paths;
  };
  testutil::TempDir a, b;
  auto first = run(a.path());
  auto second = run(b.path());
  EXPECT_EQ(first.size(), 30u);
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace amtsweg::app
