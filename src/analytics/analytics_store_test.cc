// LoadLog over history written by the real Engine (ManualClock), on SQLite and
// PostgreSQL. The expected figures are worked out by hand in the comments.
#include "analytics/analytics_store.h"

#include <gtest/gtest.h>

#include "engine/engine_test_util.h"

namespace amtsweg::analytics {
namespace {

using engine::testing::EngineTest;
using engine::testing::Flow;
using engine::testing::Model;
using engine::testing::ServiceTask;
using engine::testing::T0;
using std::chrono::minutes;

constexpr int64_t kMin = 60'000;

// start -> user task "check" (due date from the variable `due`) -> service task "notify" -> end.
const std::string kPermit = Model("permit", R"(
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check" name="Antrag prüfen">
    <bpmn:extensionElements><zeebe:taskSchedule dueDate="=due"/></bpmn:extensionElements>
  </bpmn:userTask>
  )" + ServiceTask("notify", "notify") + R"(
  <bpmn:endEvent id="end"/>
  )" + Flow("f1", "start", "check") + Flow("f2", "check", "notify") + Flow("f3", "notify", "end"));

class AnalyticsStore : public EngineTest {
 protected:
  void At(int64_t minutes_after_t0) { clock_.Set(T0() + minutes(minutes_after_t0)); }
  std::string TaskOf(const std::string& instance) {
    auto t = Tasks(instance);
    EXPECT_EQ(t.size(), 1u);
    return t.empty() ? std::string() : t[0].task_id;
  }
  Log Load(LogQuery q) {
    if (q.tenant.empty()) q.tenant = "t1";
    auto log = LoadLog(*db_, q);
    EXPECT_TRUE(log.ok()) << log.error().ToString();
    return log.ok() ? std::move(*log) : Log{};
  }
  int64_t Ms(int64_t minutes_after_t0) { return core::ToUnixMillis(T0()) + minutes_after_t0 * kMin; }

  // c1: started at 0 (due +120), claimed by anna at 60, completed at 180 (1 h late),
  //     notify completed at 210 -> instance completed after 210 min.
  // c2: started at 10 (due +1 day), bert claims at 20, unclaims at 30, carla claims
  //     at 50 and completes at 60 -> waiting 10 + 20 = 30 min, working 10 + 10 = 20 min;
  //     notify open since 60.
  void RunTwoCases() {
    Deploy(kPermit);
    At(0);
    c1_ = Start("permit", {{"due", core::FormatIso8601(T0() + minutes(120))}});
    At(10);
    c2_ = Start("permit", {{"due", core::FormatIso8601(T0() + minutes(24 * 60))}});
    std::string t1 = TaskOf(c1_), t2 = TaskOf(c2_);
    At(20);
    ASSERT_TRUE(engine_->ClaimUserTask("t1", t2, "bert").ok());
    At(30);
    ASSERT_TRUE(engine_->UnclaimUserTask("t1", t2).ok());
    At(50);
    ASSERT_TRUE(engine_->ClaimUserTask("t1", t2, "carla").ok());
    At(60);
    ASSERT_TRUE(engine_->ClaimUserTask("t1", t1, "anna").ok());
    ASSERT_TRUE(engine_->CompleteUserTask("t1", t2).ok());
    At(180);
    ASSERT_TRUE(engine_->CompleteUserTask("t1", t1).ok());
    At(210);
    auto jobs = Activate("notify");
    ASSERT_EQ(jobs.size(), 2u);
    for (const auto& j : jobs) {
      if (j.instance_id == c1_) {
        ASSERT_TRUE(engine_->CompleteJob("t1", j.job_id).ok());
      }
    }
    ASSERT_EQ(Instance(c1_).state, "completed");
  }

  std::string c1_, c2_;
};

TEST_P(AnalyticsStore, CasesActivitiesAndUserTaskTimesFromTheHistory) {
  RunTwoCases();
  Log log = Load({.process_id = "permit"});
  ASSERT_EQ(log.cases.size(), 2u);
  // Start and end events are not activities.
  ASSERT_EQ(log.activities.size(), 2u);
  const Case& c1 = log.cases[0].id == c1_ ? log.cases[0] : log.cases[1];
  const Case& c2 = log.cases[0].id == c1_ ? log.cases[1] : log.cases[0];
  EXPECT_EQ(c1.state, "completed");
  EXPECT_EQ(c1.end_ms - c1.start_ms, 210 * kMin);
  ASSERT_EQ(c1.events.size(), 2u);
  const ActivityInstance& check1 = c1.events[0];
  EXPECT_EQ(log.activities[static_cast<size_t>(check1.activity)].id, "check");
  EXPECT_EQ(log.activities[static_cast<size_t>(check1.activity)].kind, "userTask");
  EXPECT_EQ(log.activities[static_cast<size_t>(check1.activity)].name, "Antrag prüfen");
  EXPECT_EQ(check1.start_ms, Ms(0));
  EXPECT_EQ(check1.end_ms, Ms(180));
  EXPECT_EQ(check1.waiting_ms, 60 * kMin);
  EXPECT_EQ(check1.working_ms, 120 * kMin);
  ASSERT_TRUE(check1.due_ms.has_value());
  EXPECT_EQ(*check1.due_ms, Ms(120));
  EXPECT_EQ(check1.resource, "anna");
  EXPECT_EQ(c1.events[1].waiting_ms, -1);  // a service task: no split in the history

  EXPECT_EQ(c2.state, "active");
  ASSERT_EQ(c2.events.size(), 2u);
  EXPECT_EQ(c2.events[0].waiting_ms, 30 * kMin);
  EXPECT_EQ(c2.events[0].working_ms, 20 * kMin);
  EXPECT_EQ(c2.events[0].resource, "carla");
  EXPECT_EQ(c2.events[1].end_ms, -1);  // notify is open

  Dfg dfg = ComputeDfg(log);
  ASSERT_EQ(dfg.edges.size(), 3u);
  EXPECT_EQ(dfg.edges[0].count, 2);  // start -> check, check -> notify (2 each), notify -> end (1)
  EXPECT_EQ(dfg.edges[1].count, 2);
  EXPECT_EQ(dfg.edges[2].count, 1);
  auto variants = ComputeVariants(log);
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_EQ(variants[0].count, 2);

  ActivityReport r = ComputeActivities(log);
  EXPECT_EQ(r.breaches_total, 1);
  ASSERT_EQ(r.breaches.size(), 1u);
  EXPECT_EQ(r.breaches[0].case_id, c1_);
  EXPECT_EQ(r.breaches[0].end_ms - r.breaches[0].due_ms, 60 * kMin);

  OpenReport open = ComputeOpen(log, Ms(240));
  EXPECT_EQ(open.open_cases, 1);
  EXPECT_EQ(open.case_age.max_ms, 230 * kMin);
  ASSERT_EQ(open.elements.size(), 1u);
  EXPECT_EQ(log.activities[static_cast<size_t>(open.elements[0].activity)].id, "notify");
  EXPECT_EQ(open.elements[0].age.max_ms, 180 * kMin);
  EXPECT_EQ(open.elements[0].oldest_case, c2_);
}

TEST_P(AnalyticsStore, PeriodVersionAndTenantFilters) {
  RunTwoCases();
  Log later = Load({.process_id = "permit", .from_ms = Ms(5)});
  ASSERT_EQ(later.cases.size(), 1u);
  EXPECT_EQ(later.cases[0].id, c2_);
  Log earlier = Load({.process_id = "permit", .to_ms = Ms(5)});
  ASSERT_EQ(earlier.cases.size(), 1u);
  EXPECT_EQ(earlier.cases[0].id, c1_);
  EXPECT_EQ(Load({.process_id = "permit", .version = 1}).cases.size(), 2u);

  auto v2 = LoadLog(*db_, {.tenant = "t1", .process_id = "permit", .version = 2});
  ASSERT_FALSE(v2.ok());
  EXPECT_EQ(v2.error().code(), core::ErrorCode::kNotFound);
  auto other = LoadLog(*db_, {.tenant = "t2", .process_id = "permit"});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), core::ErrorCode::kNotFound);
  auto bad = LoadLog(*db_, {.tenant = "t1", .process_id = "permit", .from_ms = Ms(10), .to_ms = Ms(10)});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), core::ErrorCode::kInvalidArgument);
}

TEST_P(AnalyticsStore, MultiInstanceBodyIsNotAnActivityInstance) {
  Deploy(Model("multi", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="each"><bpmn:extensionElements><zeebe:taskDefinition type="each"/></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "each") + Flow("f2", "each", "end")));
  std::string id = Start("multi", {{"items", {1, 2, 3}}});
  for (const auto& j : Activate("each")) ASSERT_TRUE(engine_->CompleteJob("t1", j.job_id).ok());
  ASSERT_EQ(Instance(id).state, "completed");
  Log log = Load({.process_id = "multi"});
  ASSERT_EQ(log.cases.size(), 1u);
  EXPECT_EQ(log.cases[0].events.size(), 3u);  // three inner instances, no body
  for (const auto& e : log.cases[0].events) EXPECT_GE(e.end_ms, 0);
}

TEST_P(AnalyticsStore, DepartmentBacklogFromOpenUserTasks) {
  Deploy(Model("inbox", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="check"><bpmn:extensionElements>
      <zeebe:assignmentDefinition candidateGroups="bauamt, ordnungsamt"/>
      <zeebe:taskSchedule dueDate="=due"/>
    </bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "check") + Flow("f2", "check", "end")));
  At(0);
  std::string a = Start("inbox", {{"due", core::FormatIso8601(T0() + minutes(30))}});
  At(20);
  std::string b = Start("inbox", {{"due", core::FormatIso8601(T0() + minutes(120))}});
  ASSERT_TRUE(engine_->ClaimUserTask("t1", TaskOf(b), "anna").ok());
  Log log = Load({.process_id = "inbox"});
  ASSERT_EQ(log.open_tasks.size(), 2u);
  // At 60: both tasks in both inboxes; a's is overdue (due 30), b's is claimed.
  OpenReport r = ComputeOpen(log, Ms(60));
  ASSERT_EQ(r.departments.size(), 2u);
  for (const auto& d : r.departments) {
    EXPECT_EQ(d.open, 2);
    EXPECT_EQ(d.unassigned, 1);
    EXPECT_EQ(d.overdue, 1);
    EXPECT_EQ(d.age.max_ms, 60 * kMin);
    EXPECT_EQ(d.age.min_ms, 40 * kMin);
  }
  EXPECT_EQ(r.departments[0].group, "bauamt");
  EXPECT_EQ(r.departments[1].group, "ordnungsamt");
}

AW_STORE_INSTANTIATE(AnalyticsStore);

}  // namespace
}  // namespace amtsweg::analytics
