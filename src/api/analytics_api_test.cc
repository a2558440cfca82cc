// The analytics routes over real HTTP on history written by the real Engine
// (SQLite and PostgreSQL): JSON bodies, exports, 404 and 422 problems.
#include "api/analytics_api.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/metrics.h"
#include "engine/engine_test_util.h"
#include "http/openapi.h"
#include "http/server.h"
#include "http/test_client.h"

namespace amtsweg::api {
namespace {

using core::Json;
using engine::testing::Flow;
using engine::testing::Model;
using engine::testing::ServiceTask;
using engine::testing::T0;
using std::chrono::minutes;

class AnalyticsRoutes : public engine::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    RegisterAnalyticsRoutes(router_, {db_.get(), &clock_});
    http::Options o;
    o.port = 0;
    o.threads = 1;
    o.access_log = false;
    auto s = http::Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
    // Two cases of "permit": c1 check 0..30 min (claimed at 10 by anna), notify
    // done at 40; c2 started at 20, its check still open.
    Deploy(Model("permit", R"(
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="check" name="Antrag prüfen"/>
      )" + ServiceTask("notify", "notify") + R"(
      <bpmn:endEvent id="end"/>
      )" + Flow("f1", "start", "check") + Flow("f2", "check", "notify") + Flow("f3", "notify", "end")));
    clock_.Set(T0());
    c1_ = Start("permit");
    std::string task = Tasks(c1_).at(0).task_id;
    clock_.Set(T0() + minutes(10));
    ASSERT_TRUE(engine_->ClaimUserTask("t1", task, "anna").ok());
    clock_.Set(T0() + minutes(20));
    c2_ = Start("permit");
    clock_.Set(T0() + minutes(30));
    ASSERT_TRUE(engine_->CompleteUserTask("t1", task).ok());
    clock_.Set(T0() + minutes(40));
    CompleteOne("notify");
    clock_.Set(T0() + minutes(60));
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(1));
    server_.reset();
    EngineTest::TearDown();
  }

  http::testutil::ClientResponse Get(const std::string& target) {
    auto r = http::testutil::Get(server_->port(), target);
    EXPECT_TRUE(r.has_value());
    return r ? *r : http::testutil::ClientResponse{};
  }
  std::pair<int, Json> GetJson(const std::string& target) {
    auto r = Get(target);
    auto json = core::ParseJson(r.body);
    return {r.status, json.ok() ? *json : Json(r.body)};
  }

  const std::string base_ = "/api/v1/tenants/t1/analytics/processes/permit/";
  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
  std::string c1_, c2_;
};

TEST_P(AnalyticsRoutes, DfgVariantsDurations) {
  auto [status, dfg] = GetJson(base_ + "dfg");
  ASSERT_EQ(status, 200) << dfg.dump();
  EXPECT_EQ(dfg["cases"], 2);
  ASSERT_EQ(dfg["nodes"].size(), 2u);
  EXPECT_EQ(dfg["nodes"][0]["id"], "check");
  EXPECT_EQ(dfg["nodes"][0]["count"], 2);
  EXPECT_EQ(dfg["nodes"][0]["duration"]["maxMs"], 30 * 60'000);

  auto [vs, variants] = GetJson(base_ + "variants?limit=5");
  ASSERT_EQ(vs, 200);
  ASSERT_EQ(variants["variants"].size(), 2u);  // [check, notify] and [check] (c2 still at check)
  EXPECT_EQ(variants["variants"][0]["count"], 1);

  auto [ds, durations] = GetJson(base_ + "durations");
  ASSERT_EQ(ds, 200);
  EXPECT_EQ(durations["completed"], 1);
  EXPECT_EQ(durations["active"], 1);
  EXPECT_EQ(durations["throughput"]["p50Ms"], 40 * 60'000);
}

TEST_P(AnalyticsRoutes, ActivitiesAndOpenWork) {
  auto [as, acts] = GetJson(base_ + "activities");
  ASSERT_EQ(as, 200) << acts.dump();
  const Json& check = acts["activities"][0];
  EXPECT_EQ(check["id"], "check");
  EXPECT_EQ(check["waiting"]["sumMs"], 10 * 60'000);
  EXPECT_EQ(check["working"]["sumMs"], 20 * 60'000);
  EXPECT_EQ(acts["bottlenecks"][0]["id"], "check");

  auto [os, open] = GetJson(base_ + "open");
  ASSERT_EQ(os, 200);
  EXPECT_EQ(open["openCases"], 1);
  EXPECT_EQ(open["caseAge"]["maxMs"], 40 * 60'000);  // c2 started at 20, now 60
  EXPECT_EQ(open["elements"][0]["id"], "check");
  EXPECT_EQ(open["elements"][0]["oldestCaseId"], c2_);
}

TEST_P(AnalyticsRoutes, ExportsAndFilters) {
  auto xes = Get(base_ + "export.xes");
  ASSERT_EQ(xes.status, 200);
  EXPECT_EQ(xes.Header("Content-Type"), "application/xml; charset=utf-8");
  EXPECT_NE(xes.body.find("<string key=\"concept:name\" value=\"" + c1_ + "\"/>"), std::string::npos);
  auto csv = Get(base_ + "export.csv?from=2026-01-05T08:15:00Z");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Disposition"), "attachment; filename=\"permit.csv\"");
  EXPECT_EQ(csv.body.find(c1_), std::string::npos);  // c1 started before `from`
  EXPECT_NE(csv.body.find(c2_ + ",Antrag prüfen,start,"), std::string::npos);

  auto [s1, only_c1] = GetJson(base_ + "durations?from=2026-01-05&to=2026-01-05T08:15:00%2B00:00&version=1");
  ASSERT_EQ(s1, 200) << only_c1.dump();
  EXPECT_EQ(only_c1["cases"], 1);
}

TEST_P(AnalyticsRoutes, ProblemsNameTheParameter) {
  auto [s404, p404] = GetJson("/api/v1/tenants/t1/analytics/processes/nope/dfg");
  EXPECT_EQ(s404, 404);
  EXPECT_EQ(p404["code"], "not_found");
  auto [s_other, p_other] = GetJson("/api/v1/tenants/t2/analytics/processes/permit/dfg");
  EXPECT_EQ(s_other, 404);  // another tenant sees nothing
  auto [s_from, p_from] = GetJson(base_ + "dfg?from=yesterday");
  EXPECT_EQ(s_from, 422);
  EXPECT_EQ(p_from["errors"][0]["pointer"], "from") << p_from.dump();
  auto [s_ver, p_ver] = GetJson(base_ + "variants?version=x");
  EXPECT_EQ(s_ver, 422);
  EXPECT_EQ(p_ver["errors"][0]["pointer"], "version");
  auto [s_lim, p_lim] = GetJson(base_ + "variants?limit=0");
  EXPECT_EQ(s_lim, 422);
  auto [s_order, p_order] = GetJson(base_ + "dfg?from=2026-02-01&to=2026-01-01");
  EXPECT_EQ(s_order, 422);
}

TEST_P(AnalyticsRoutes, ExportsAboveTheLimitAskForAShorterPeriod) {
  http::Router small;
  RegisterAnalyticsRoutes(small, {db_.get(), &clock_, /*max_export_events=*/4});
  http::Request req;
  req.method = "GET";
  req.path = base_ + "export.csv";
  auto m = small.Find("GET", req.path, &req.path_params);
  ASSERT_EQ(m.kind, http::RouteMatch::Kind::kFound);
  auto r = m.route->handler(req);  // 2 events per activity instance: c1 2, c2 1 -> 6 > 4
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().details().size(), 1u);
  EXPECT_EQ(r.error().details()[0].pointer, "from");
  req.query = "from=2026-01-05T08:15:00Z";  // only c2: 2 <= 4
  EXPECT_TRUE(m.route->handler(req).ok());
}

TEST_P(AnalyticsRoutes, EveryRouteIsInOpenApi) {
  Json doc = http::RenderOpenApi(router_, {});
  const Json& paths = doc["paths"];
  for (const char* leaf : {"dfg", "variants", "durations", "activities", "open", "export.xes", "export.csv"}) {
    std::string p = std::string("/api/v1/tenants/{tenant}/analytics/processes/{processId}/") + leaf;
    ASSERT_TRUE(paths.contains(p)) << p;
    EXPECT_FALSE(paths[p]["get"]["summary"].get<std::string>().empty());
  }
}

AW_STORE_INSTANTIATE(AnalyticsRoutes);

}  // namespace
}  // namespace amtsweg::api
