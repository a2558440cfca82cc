// The tenant dashboard route over real HTTP, on applications filed through the
// real Intake (catalogue, form validation, engine) with a manual clock, on
// SQLite and PostgreSQL.
#include <filesystem>
#include <future>

#include <gtest/gtest.h>

#include "api/analytics_api.h"
#include "catalog/catalog.h"
#include "catalog/catalog_test_util.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/metrics.h"
#include "engine/engine_test_util.h"
#include "http/openapi.h"
#include "http/server.h"
#include "http/test_client.h"
#include "intake/intake.h"

namespace amtsweg::api {
namespace {

using core::Json;
using engine::testing::T0;
using std::chrono::hours;
namespace fs = std::filesystem;

constexpr int64_t kDay = 86'400'000;

// start -> user task "check" (inbox of the responsible department) -> end.
const char* kPermit = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="permit" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check" name="Antrag prüfen">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

class OverviewRoute : public engine::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    files_ = fs::temp_directory_path() / ("aw-overview-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    intake_ = std::make_unique<intake::Intake>(*db_, *catalog_, *engine_,
                                               intake::IntakeOptions{.files_dir = files_, .clock = &clock_});
    ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant("amt-a")).ok());
    ASSERT_TRUE(catalog_->CreateTenant(catalog::testing::SampleTenant("amt-b")).ok());
    for (auto [id, name] : {std::pair{"ordnungsamt", "Ordnungsamt"}, std::pair{"bauamt", "Bauamt"}}) {
      ASSERT_TRUE(catalog_->CreateDepartment("amt-a", catalog::testing::SampleDepartment(id, name)).ok());
    }
    ASSERT_TRUE(catalog_->AddFormVersion("amt-a", catalog::testing::SampleForm()).ok());
    Deploy(kPermit, "permit.bpmn", "amt-a");
    // "plakat" promises 14 days (the sample's), "bau" 30.
    for (auto [id, department, days] : {std::tuple{"plakat", "ordnungsamt", 14}, std::tuple{"bau", "bauamt", 30}}) {
      Json s = catalog::testing::SampleService("aufgrabung", 1, {{"department", department}});
      s["id"] = id;
      s["name"]["de"] = std::string("Dienst ") + id;
      s["process"]["id"] = "permit";
      s["processingTimeDays"] = days;
      ASSERT_TRUE(catalog_->CreateService("amt-a", s).ok());
    }
    // c1 plakat at T0, c2 plakat at T0 + 1 day, c3 bau at T0 + 2 days;
    // c1's check completed at T0 + 3 days; now T0 + 20 days.
    Submit("plakat");
    clock_.Set(T0() + hours(24));
    Submit("plakat");
    clock_.Set(T0() + hours(48));
    Submit("bau");
    clock_.Set(T0() + hours(72));
    auto tasks = engine_->ListUserTasks("amt-a");
    ASSERT_TRUE(tasks.ok());
    ASSERT_EQ(tasks->size(), 3u);
    ASSERT_TRUE(engine_->CompleteUserTask("amt-a", FirstTask(*tasks)).ok());
    clock_.Set(T0() + hours(20 * 24));

    RegisterAnalyticsRoutes(router_, {db_.get(), &clock_});
    http::Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(1));
    server_.reset();
    intake_.reset();
    catalog_.reset();
    std::error_code ec;
    if (!files_.empty()) fs::remove_all(files_, ec);
    EngineTest::TearDown();
  }

  void Submit(const std::string& service) {
    intake::SubmitRequest r;
    r.service_id = service;
    r.data = Json{{"applicant", "Heimatverein"}, {"district", "nord"}};
    r.request_hash = core::Sha256Hex(core::DumpJson(r.data));
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    intake_->Submit(std::move(r), [&p](core::Result<Json> out) { p.set_value(std::move(out)); });
    auto out = f.get();
    ASSERT_TRUE(out.ok()) << out.error().ToString();
  }
  // The task of the first submission (the oldest one).
  static std::string FirstTask(const std::vector<engine::UserTask>& tasks) {
    const engine::UserTask* first = &tasks[0];
    for (const auto& t : tasks) {
      if (t.instance_id < first->instance_id) first = &t;
    }
    return first->task_id;
  }
  std::pair<int, Json> GetJson(const std::string& target) {
    auto r = http::testutil::Get(server_->port(), target);
    EXPECT_TRUE(r.has_value());
    if (!r) return {0, Json()};
    auto json = core::ParseJson(r->body);
    return {r->status, json.ok() ? *json : Json(r->body)};
  }

  const std::string base_ = "/api/v1/tenants/amt-a/analytics/overview";
  fs::path files_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<intake::Intake> intake_;
  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(OverviewRoute, KpisFromFiledApplications) {
  auto [status, j] = GetJson(base_);
  ASSERT_EQ(status, 200) << j.dump();
  const Json& t = j["totals"];
  EXPECT_EQ(t["received"], 3);
  EXPECT_EQ(t["completed"], 1);
  EXPECT_EQ(t["open"], 2);
  EXPECT_EQ(t["throughput"]["p50Ms"], 3 * kDay);  // c1: T0 to T0 + 3 days
  EXPECT_EQ(t["openAge"]["maxMs"], 19 * kDay);    // c2: since T0 + 1 day
  EXPECT_EQ(t["overdue"], 1);                     // c2: 19 > 14 days; c3: 18 < 30
  ASSERT_EQ(j["services"].size(), 2u);
  EXPECT_EQ(j["services"][0]["serviceId"], "plakat");  // 1 open each, plakat received more
  EXPECT_EQ(j["services"][0]["name"]["de"], "Dienst plakat");
  EXPECT_EQ(j["services"][0]["processId"], "permit");
  EXPECT_EQ(j["services"][0]["received"], 2);
  EXPECT_EQ(j["services"][1]["overdue"], 0);
  ASSERT_EQ(j["departments"].size(), 2u);
  EXPECT_EQ(j["departments"][0]["departmentId"], "ordnungsamt");
  EXPECT_EQ(j["departments"][0]["name"], "Ordnungsamt");
  EXPECT_EQ(j["departments"][1]["openAge"]["p50Ms"], 18 * kDay);
  // All in January 2026.
  ASSERT_EQ(j["series"].size(), 1u) << j["series"].dump();
  EXPECT_EQ(j["series"][0]["period"], "2026-01");
  EXPECT_EQ(j["series"][0]["received"], 3);
  EXPECT_EQ(j["series"][0]["openAtEnd"], 2);
  EXPECT_EQ(j["filters"]["services"].size(), 2u);
}

TEST_P(OverviewRoute, FiltersAndWeeks) {
  auto [s1, bau] = GetJson(base_ + "?department=bauamt");
  ASSERT_EQ(s1, 200) << bau.dump();
  EXPECT_EQ(bau["totals"]["received"], 1);
  EXPECT_EQ(bau["filters"]["departments"].size(), 2u);  // the choices stay complete
  auto [s2, plakat] = GetJson(base_ + "?service=plakat&from=2026-01-06&interval=week");
  ASSERT_EQ(s2, 200) << plakat.dump();
  EXPECT_EQ(plakat["totals"]["received"], 1);  // c2 only: c1 was filed before the 6th
  // 2026-01-06 is in W02; now (Jan 25) in W04.
  ASSERT_EQ(plakat["series"].size(), 3u) << plakat["series"].dump();
  EXPECT_EQ(plakat["series"][0]["period"], "2026-W02");
  EXPECT_EQ(plakat["series"][0]["received"], 1);
  EXPECT_EQ(plakat["series"][2]["openAtEnd"], 1);
}

TEST_P(OverviewRoute, ProblemsNameTheParameter) {
  auto [s_svc, p_svc] = GetJson(base_ + "?service=nope");
  EXPECT_EQ(s_svc, 422);
  EXPECT_EQ(p_svc["errors"][0]["pointer"], "service") << p_svc.dump();
  auto [s_dep, p_dep] = GetJson(base_ + "?department=nope");
  EXPECT_EQ(s_dep, 422);
  EXPECT_EQ(p_dep["errors"][0]["pointer"], "department");
  auto [s_int, p_int] = GetJson(base_ + "?interval=year");
  EXPECT_EQ(s_int, 422);
  EXPECT_EQ(p_int["errors"][0]["pointer"], "interval");
  auto [s_to, p_to] = GetJson(base_ + "?from=2026-02-01&to=2026-01-01");
  EXPECT_EQ(s_to, 422);
  EXPECT_EQ(p_to["errors"][0]["pointer"], "from");
  auto [s_many, p_many] = GetJson(base_ + "?from=2000-01-01&interval=week");
  EXPECT_EQ(s_many, 422);  // > 520 weeks
  EXPECT_EQ(p_many["errors"][0]["pointer"], "interval");
  auto [s_none, p_none] = GetJson("/api/v1/tenants/nowhere/analytics/overview");
  EXPECT_EQ(s_none, 404);
  // Another tenant sees none of amt-a's cases or services.
  auto [s_b, b] = GetJson("/api/v1/tenants/amt-b/analytics/overview");
  ASSERT_EQ(s_b, 200);
  EXPECT_EQ(b["totals"]["received"], 0);
  EXPECT_TRUE(b["filters"]["services"].empty());
}

TEST_P(OverviewRoute, IsInOpenApi) {
  Json doc = http::RenderOpenApi(router_, {});
  const Json& p = doc["paths"]["/api/v1/tenants/{tenant}/analytics/overview"];
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p["get"]["operationId"], "getTenantOverview");
}

AW_STORE_INSTANTIATE(OverviewRoute);

}  // namespace
}  // namespace amtsweg::api
