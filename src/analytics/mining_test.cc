// Mining over a hand-built log (no database): every expected figure below is
// computed by hand from the four cases of SmallLog(), see the comments.
#include "analytics/mining.h"

#include <gtest/gtest.h>

namespace amtsweg::analytics {
namespace {

ActivityInstance Act(int a, int64_t start, int64_t end, bool terminated = false) {
  ActivityInstance e;
  e.activity = a;
  e.start_ms = start;
  e.end_ms = end;
  e.terminated = terminated;
  return e;
}

// Activities A (service task), B (user task), C (service task).
//   c1 completed 0..45:    A[0,10]    B[15,25]    C[30,40]
//   c2 completed 100..150: A[100,120] C[130,150]
//   c3 completed 200..270: A[200,205] B[210,230]  C[230,260]
//   c4 active since 300:   A[300,310] B[320,open]
// B in c1: waiting 4, working 6, due 20 (completed 25: breached by 5, by anna);
// B in c3: waiting 15, working 5, due 240 (completed 230: in time).
Log SmallLog() {
  Log log;
  log.process_id = "p";
  log.activities = {{"A", "Antrag erfassen", "serviceTask"}, {"B", "Prüfen", "userTask"}, {"C", "", "serviceTask"}};
  Case c1{"c1", 1, 0, 45, "completed", {Act(0, 0, 10), Act(1, 15, 25), Act(2, 30, 40)}};
  c1.events[1].waiting_ms = 4;
  c1.events[1].working_ms = 6;
  c1.events[1].due_ms = 20;
  c1.events[1].resource = "anna";
  Case c2{"c2", 1, 100, 150, "completed", {Act(0, 100, 120), Act(2, 130, 150)}};
  Case c3{"c3", 2, 200, 270, "completed", {Act(0, 200, 205), Act(1, 210, 230), Act(2, 230, 260)}};
  c3.events[1].waiting_ms = 15;
  c3.events[1].working_ms = 5;
  c3.events[1].due_ms = 240;
  Case c4{"c4", 2, 300, -1, "active", {Act(0, 300, 310), Act(1, 320, -1)}};
  log.cases = {c1, c2, c3, c4};
  return log;
}

TEST(Summarize, NearestRankPercentiles) {
  std::vector<int64_t> v{20, 5, 10, 10};
  Stats s = Summarize(v);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.min_ms, 5);
  EXPECT_EQ(s.mean_ms, 11);  // 45 / 4
  EXPECT_EQ(s.p50_ms, 10);   // rank ceil(2) = 2
  EXPECT_EQ(s.p90_ms, 20);   // rank ceil(3.6) = 4
  EXPECT_EQ(s.max_ms, 20);
  std::vector<int64_t> empty;
  EXPECT_EQ(Summarize(empty).count, 0);
}

TEST(Dfg, NodesAndEdgesWithFrequenciesAndDurations) {
  Log log = SmallLog();
  Dfg dfg = ComputeDfg(log);
  ASSERT_EQ(dfg.nodes.size(), 3u);
  EXPECT_EQ(dfg.nodes[0].activity, 0);  // A: 4
  EXPECT_EQ(dfg.nodes[0].count, 4);
  EXPECT_EQ(dfg.nodes[0].cases, 4);
  EXPECT_EQ(dfg.nodes[0].duration.mean_ms, 11);  // 10, 20, 5, 10
  EXPECT_EQ(dfg.nodes[0].duration.p90_ms, 20);
  EXPECT_EQ(dfg.nodes[1].activity, 1);  // B: 3 (ties with C, B < C)
  EXPECT_EQ(dfg.nodes[1].count, 3);
  EXPECT_EQ(dfg.nodes[1].duration.count, 2);  // one still open
  EXPECT_EQ(dfg.nodes[1].duration.mean_ms, 15);
  EXPECT_EQ(dfg.nodes[2].activity, 2);
  EXPECT_EQ(dfg.nodes[2].duration.p50_ms, 20);  // 10, 20, 30
  EXPECT_EQ(dfg.nodes[2].duration.p90_ms, 30);

  ASSERT_EQ(dfg.edges.size(), 5u);
  auto edge = [&](size_t i, int from, int to, int64_t count) {
    SCOPED_TRACE(i);
    EXPECT_EQ(dfg.edges[i].from, from);
    EXPECT_EQ(dfg.edges[i].to, to);
    EXPECT_EQ(dfg.edges[i].count, count);
  };
  edge(0, -1, 0, 4);  // start -> A
  edge(1, 0, 1, 3);   // A -> B: gaps 5, 5, 10
  EXPECT_EQ(dfg.edges[1].duration.mean_ms, 6);
  EXPECT_EQ(dfg.edges[1].duration.p50_ms, 5);
  EXPECT_EQ(dfg.edges[1].duration.max_ms, 10);
  edge(2, 2, -1, 3);  // C -> end: 5, 0, 10
  EXPECT_EQ(dfg.edges[2].duration.p50_ms, 5);
  edge(3, 1, 2, 2);   // B -> C: 5, 0
  EXPECT_EQ(dfg.edges[3].duration.p50_ms, 0);
  EXPECT_EQ(dfg.edges[3].duration.p90_ms, 5);
  edge(4, 0, 2, 1);   // A -> C: 10
  EXPECT_EQ(dfg.edges[4].duration.mean_ms, 10);
}

TEST(Dfg, OverlappingActivitiesHaveZeroGap) {
  Log log;
  log.process_id = "p";
  log.activities = {{"X", "", "serviceTask"}, {"Y", "", "serviceTask"}};
  log.cases = {Case{"c", 1, 0, 100, "completed", {Act(0, 0, 50), Act(1, 10, 100)}}};  // parallel branches
  Dfg dfg = ComputeDfg(log);
  ASSERT_EQ(dfg.edges.size(), 3u);
  for (const auto& e : dfg.edges) {
    if (e.from == 0 && e.to == 1) {
      EXPECT_EQ(e.duration.max_ms, 0);
    }
  }
}

TEST(Variants, SortedByFrequencyThenSequence) {
  Log log = SmallLog();
  auto v = ComputeVariants(log);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].activities, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(v[0].count, 2);
  EXPECT_EQ(v[0].completed, 2);
  EXPECT_EQ(v[0].throughput.mean_ms, 57);  // 45, 70
  EXPECT_EQ(v[0].throughput.p50_ms, 45);
  EXPECT_EQ(v[1].activities, (std::vector<int>{0, 1}));  // the active case
  EXPECT_EQ(v[1].completed, 0);
  EXPECT_EQ(v[2].activities, (std::vector<int>{0, 2}));
  core::Json j = VariantsJson(log, v, 2);
  EXPECT_EQ(j["total"], 3);
  ASSERT_EQ(j["variants"].size(), 2u);
  EXPECT_EQ(j["variants"][0]["activities"], core::Json::array({"A", "B", "C"}));
  EXPECT_DOUBLE_EQ(j["variants"][0]["share"].get<double>(), 0.5);
}

TEST(Durations, ThroughputOfCompletedCases) {
  Durations d = ComputeDurations(SmallLog());
  EXPECT_EQ(d.cases, 4);
  EXPECT_EQ(d.completed, 3);
  EXPECT_EQ(d.active, 1);
  EXPECT_EQ(d.throughput.p50_ms, 50);  // 45, 50, 70
  EXPECT_EQ(d.throughput.p90_ms, 70);
  EXPECT_EQ(d.throughput.max_ms, 70);
  EXPECT_EQ(d.throughput.mean_ms, 55);
  EXPECT_EQ(d.bucket_width_ms, 8);  // (70 + 10) / 10
  EXPECT_EQ(d.histogram, (std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 0, 1, 0}));
}

TEST(Activities, WaitingWorkingBottlenecksAndDeadlines) {
  Log log = SmallLog();
  ActivityReport r = ComputeActivities(log);
  ASSERT_EQ(r.activities.size(), 3u);
  const ActivityStats& b = r.activities[1];
  ASSERT_EQ(b.activity, 1);
  EXPECT_EQ(b.count, 3);
  EXPECT_EQ(b.completed, 2);
  EXPECT_EQ(b.open, 1);
  EXPECT_EQ(b.waiting.sum_ms, 19);
  EXPECT_EQ(b.waiting.mean_ms, 9);
  EXPECT_EQ(b.working.sum_ms, 11);
  EXPECT_DOUBLE_EQ(b.waiting_share, 1.0);
  EXPECT_EQ(b.with_due, 2);
  EXPECT_EQ(b.breached, 1);
  EXPECT_EQ(r.activities[0].waiting.count, 0);  // A: no split known
  // Durations summed: A 45, B 30, C 60 of 135.
  EXPECT_NEAR(r.activities[2].duration_share, 60.0 / 135.0, 1e-12);
  // B first (waiting known), then C and A by duration share.
  ASSERT_EQ(r.bottlenecks.size(), 3u);
  EXPECT_EQ(r.activities[static_cast<size_t>(r.bottlenecks[0])].activity, 1);
  EXPECT_EQ(r.activities[static_cast<size_t>(r.bottlenecks[1])].activity, 2);
  EXPECT_EQ(r.activities[static_cast<size_t>(r.bottlenecks[2])].activity, 0);
  ASSERT_EQ(r.breaches_total, 1);
  EXPECT_EQ(r.breaches[0].case_id, "c1");
  EXPECT_EQ(r.breaches[0].end_ms - r.breaches[0].due_ms, 5);
  EXPECT_EQ(r.breaches[0].resource, "anna");
  core::Json j = ActivitiesJson(log, r);
  EXPECT_EQ(j["bottlenecks"][0]["id"], "B");
  EXPECT_EQ(j["bottlenecks"][0]["basis"], "waiting");
  EXPECT_EQ(j["deadlineBreaches"]["items"][0]["overdueMs"], 5);
  EXPECT_TRUE(j["activities"][0]["waiting"].is_null());
}

TEST(Open, ElementsAndAges) {
  Log log = SmallLog();
  OpenReport r = ComputeOpen(log, 400);
  EXPECT_EQ(r.open_cases, 1);
  EXPECT_EQ(r.case_age.max_ms, 100);
  ASSERT_EQ(r.elements.size(), 1u);
  EXPECT_EQ(r.elements[0].activity, 1);
  EXPECT_EQ(r.elements[0].open, 1);
  EXPECT_EQ(r.elements[0].age.max_ms, 80);
  EXPECT_EQ(r.elements[0].oldest_case, "c4");
  EXPECT_EQ(OpenJson(log, r)["elements"][0]["name"], "Prüfen");
}

TEST(Open, DepartmentBacklogFromOpenUserTasks) {
  Log log = SmallLog();
  log.open_tasks = {OpenTask{"c4", 1, {"bauamt", "ordnungsamt"}, false, 100, 350},
                    OpenTask{"c4", 1, {"bauamt"}, true, 300, std::nullopt},
                    OpenTask{"c4", 1, {}, false, 390, std::nullopt}};
  OpenReport r = ComputeOpen(log, 400);
  ASSERT_EQ(r.departments.size(), 3u);
  EXPECT_EQ(r.departments[0].group, "bauamt");
  EXPECT_EQ(r.departments[0].open, 2);
  EXPECT_EQ(r.departments[0].unassigned, 1);
  EXPECT_EQ(r.departments[0].overdue, 1);  // due 350 < now 400
  EXPECT_EQ(r.departments[0].age.max_ms, 300);
  EXPECT_EQ(r.departments[0].age.min_ms, 100);
  EXPECT_EQ(r.departments[1].group, "");  // no candidate group
  EXPECT_EQ(r.departments[1].age.max_ms, 10);
  EXPECT_EQ(r.departments[2].group, "ordnungsamt");
  EXPECT_EQ(r.departments[2].overdue, 1);
  core::Json j = OpenJson(log, r);
  EXPECT_TRUE(j["departments"][1]["group"].is_null());
  EXPECT_EQ(j["departments"][0]["unassigned"], 1);
}

TEST(Json, DfgUsesNullForStartAndEnd) {
  Log log = SmallLog();
  core::Json j = DfgJson(log, ComputeDfg(log));
  EXPECT_EQ(j["cases"], 4);
  EXPECT_TRUE(j["edges"][0]["from"].is_null());
  EXPECT_EQ(j["edges"][0]["to"], "A");
  EXPECT_EQ(j["nodes"][0]["name"], "Antrag erfassen");
  EXPECT_EQ(j["nodes"][0]["duration"]["p90Ms"], 20);
}

}  // namespace
}  // namespace amtsweg::analytics
