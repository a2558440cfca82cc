// Test support for engine/: the two-backend fixture with a ManualClock and an
// Engine, and a compact way to write BPMN models.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/time.h"
#include "engine/engine.h"
#include "store/store_test_util.h"

namespace amtsweg::engine::testing {

// A definitions document around process `id` with `body`; `roots` (messages,
// errors) go before the process.
inline std::string Model(std::string_view id, std::string_view body, std::string_view roots = "") {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs_{0}" targetNamespace="http://amtsweg.de/test">
{2}
<bpmn:process id="{0}" isExecutable="true">
{1}
</bpmn:process>
</bpmn:definitions>
)",
                     id, body, roots);
}

// <sequenceFlow>, optionally with a FEEL condition ("=x > 1").
inline std::string Flow(std::string_view id, std::string_view from, std::string_view to,
                        std::string_view condition = "") {
  if (condition.empty()) return fmt::format(R"(<bpmn:sequenceFlow id="{}" sourceRef="{}" targetRef="{}"/>)", id, from, to);
  return fmt::format(
      R"(<bpmn:sequenceFlow id="{}" sourceRef="{}" targetRef="{}"><bpmn:conditionExpression>{}</bpmn:conditionExpression></bpmn:sequenceFlow>)",
      id, from, to, condition);
}

inline std::string ServiceTask(std::string_view id, std::string_view type, std::string_view extra = "") {
  return fmt::format(
      R"(<bpmn:serviceTask id="{}"><bpmn:extensionElements><zeebe:taskDefinition type="{}"/>{}</bpmn:extensionElements></bpmn:serviceTask>)",
      id, type, extra);
}

inline core::Timestamp T0() { return *core::ParseIso8601("2026-01-05T08:00:00Z"); }

class EngineTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    engine_ = std::make_unique<Engine>(*db_, EngineOptions{&clock_});
  }
  void TearDown() override {
    engine_.reset();
    if (db_) db_->Close();
    db_.reset();
    StoreTest::TearDown();
  }

  // Deploys one BPMN file and fails the test on error.
  void Deploy(const std::string& xml, const std::string& name = "model.bpmn", const std::string& tenant = "t1") {
    auto d = engine_->Deploy(tenant, {{name, xml}});
    ASSERT_TRUE(d.ok()) << d.error().ToString();
  }
  std::string Start(std::string_view process, const core::Json& vars = core::Json::object(),
                    const std::string& tenant = "t1") {
    auto id = engine_->StartInstance(tenant, process, vars);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    return id.ok() ? *id : std::string();
  }
  InstanceInfo Instance(const std::string& id, const std::string& tenant = "t1") {
    auto i = engine_->GetInstance(tenant, id);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    return i.ok() ? *i : InstanceInfo{};
  }
  std::vector<ActivatedJob> Activate(std::string_view type, int max = 10,
                                     std::chrono::milliseconds lock = std::chrono::minutes(5)) {
    auto jobs = engine_->ActivateJobs("t1", type, "test-worker", max, lock);
    EXPECT_TRUE(jobs.ok()) << jobs.error().ToString();
    return jobs.ok() ? *jobs : std::vector<ActivatedJob>{};
  }
  // Activates the one job of `type` and completes it with `vars`.
  void CompleteOne(std::string_view type, const core::Json& vars = core::Json::object()) {
    auto jobs = Activate(type, 1);
    ASSERT_EQ(jobs.size(), 1u) << "no job of type " << type;
    auto s = engine_->CompleteJob("t1", jobs[0].job_id, vars);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }
  std::vector<UserTask> Tasks(const std::string& instance_id) {
    auto t = engine_->ListUserTasks("t1", instance_id);
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t.ok() ? *t : std::vector<UserTask>{};
  }
  std::vector<Incident> Incidents(const std::string& instance_id) {
    auto i = engine_->ListIncidents("t1", instance_id);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    return i.ok() ? *i : std::vector<Incident>{};
  }
  // Element ids of the history events named `event`, in order.
  std::vector<std::string> Events(const std::string& instance_id, std::string_view event) {
    auto h = engine_->History("t1", instance_id);
    EXPECT_TRUE(h.ok()) << h.error().ToString();
    std::vector<std::string> out;
    if (h.ok()) {
      for (const auto& e : *h) {
        if (e.event == event) out.push_back(e.element_id);
      }
    }
    return out;
  }
  int Fire() {
    auto n = engine_->FireDueTimers();
    EXPECT_TRUE(n.ok()) << n.error().ToString();
    return n.ok() ? *n : -1;
  }
  static bool Has(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  core::ManualClock clock_{T0()};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace amtsweg::engine::testing
