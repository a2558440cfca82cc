// Test support for opendata/: a tenant, processes and cases on both backends.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "catalog/catalog_test_util.h"
#include "engine/engine_test_util.h"
#include "opendata/opendata.h"
#include "store/database.h"

namespace amtsweg::opendata::testing {

inline core::Json SampleDefinition(int min_count = 5) {
  return core::Json{{"minCount", min_count},
                    {"licence", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"},
                    {"contributorId", "http://dcat-ap.de/def/contributors/schleswigHolstein"},
                    {"baseUrl", "https://daten.amt-musterland.de"},
                    {"datasets",
                     {{{"id", "antraege-monatlich"}, {"kind", "applications-monthly"}, {"keywords", {"Anträge"}}},
                      {{"id", "bearbeitungsdauer"}, {"kind", "processing-times"}, {"theme", "GOVE"}},
                      {{"id", "rueckstand"}, {"kind", "backlog"}, {"title", "Offene Anträge \"aktuell\""}}}}};
}

class OpenDataTest : public engine::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    catalog_ = std::make_unique<catalog::Catalog>(*db_, &clock_);
    auto t = catalog_->CreateTenant(catalog::testing::SampleTenant("amt-musterland"));
    ASSERT_TRUE(t.ok()) << t.error().ToString();
    od_ = std::make_shared<OpenData>(*db_, *engine_, &clock_);
    Deploy(engine::testing::Model("instant", R"(<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>)" +
                                                 engine::testing::Flow("f", "s", "e")),
           "instant.bpmn", "amt-musterland");
    Deploy(engine::testing::Model("waiting", R"(<bpmn:startEvent id="s"/><bpmn:userTask id="u"/><bpmn:endEvent id="e"/>)" +
                                                 engine::testing::Flow("f1", "s", "u") +
                                                 engine::testing::Flow("f2", "u", "e")),
           "waiting.bpmn", "amt-musterland");
  }
  void TearDown() override {
    od_.reset();
    catalog_.reset();
    EngineTest::TearDown();
  }

  // A case of `service` submitted `days_ago` days before now; completed at
  // once (an instance that ends at now) or open (waiting at a user task).
  void AddCase(const std::string& service, int days_ago, bool completed) {
    std::string instance = Start(completed ? "instant" : "waiting", core::Json::object(), "amt-musterland");
    ASSERT_FALSE(instance.empty());
    int64_t submitted = core::ToUnixMillis(clock_.Now()) - int64_t{days_ago} * 86'400'000;
    int n = ++cases_;
    auto s = db_->writer().Write([&](store::Tx& tx) -> core::Status {
      AW_TRY(tx.Exec("INSERT INTO cases (tenant_id, case_id, case_number, tracking_code, receipt_secret, service_id, "
                     "department_id, instance_id, stage, submitted_at) VALUES ($1, $2, $3, $4, 'x', $5, 'bau', $6, "
                     "'received', $7)",
                     {"amt-musterland", "case-" + std::to_string(n), "2026-" + std::to_string(n),
                      "TRACK" + std::to_string(n), service, instance, submitted}));
      return core::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  std::unique_ptr<catalog::Catalog> catalog_;
  std::shared_ptr<OpenData> od_;
  int cases_ = 0;
};

}  // namespace amtsweg::opendata::testing
