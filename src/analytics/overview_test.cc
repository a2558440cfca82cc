// The tenant dashboard's KPIs and series over hand-made facts; every expected
// figure is worked out in the comments.
#include "analytics/overview.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace amtsweg::analytics {
namespace {

constexpr int64_t kDay = 86'400'000;

int64_t At(const char* iso) {
  auto t = core::ParseIso8601(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? core::ToUnixMillis(*t) : 0;
}

TEST(OverviewBuckets, IsoWeeksAndMonths) {
  // 2026-01-01 is a Thursday: its ISO week is 2026-W01, starting Monday 2025-12-29.
  EXPECT_EQ(BucketStart(At("2026-01-01T12:00:00Z"), Interval::kWeek), At("2025-12-29T00:00:00Z"));
  EXPECT_EQ(BucketStart(At("2026-03-17T23:59:59Z"), Interval::kMonth), At("2026-03-01T00:00:00Z"));
  auto weeks = MakeBuckets(At("2025-12-31T00:00:00Z"), At("2026-01-13T00:00:00Z"), Interval::kWeek, 10);
  ASSERT_TRUE(weeks.ok());
  ASSERT_EQ(weeks->size(), 3u);
  EXPECT_EQ((*weeks)[0].label, "2026-W01");
  EXPECT_EQ((*weeks)[1].label, "2026-W02");
  EXPECT_EQ((*weeks)[2].start_ms, At("2026-01-12T00:00:00Z"));
  // 2021-01-03 (Sunday) belongs to 2020-W53.
  auto w53 = MakeBuckets(At("2021-01-03T00:00:00Z"), At("2021-01-04T00:00:00Z"), Interval::kWeek, 10);
  ASSERT_TRUE(w53.ok());
  EXPECT_EQ(w53->at(0).label, "2020-W53");
  auto months = MakeBuckets(At("2025-11-15T00:00:00Z"), At("2026-02-01T00:00:00Z"), Interval::kMonth, 10);
  ASSERT_TRUE(months.ok());
  ASSERT_EQ(months->size(), 3u);
  EXPECT_EQ(months->at(0).label, "2025-11");
  EXPECT_EQ(months->at(2).label, "2026-01");
  EXPECT_EQ(months->at(2).end_ms, At("2026-02-01T00:00:00Z"));
  auto too_many = MakeBuckets(At("2020-01-01T00:00:00Z"), At("2026-01-01T00:00:00Z"), Interval::kWeek, 100);
  ASSERT_FALSE(too_many.ok());
  ASSERT_EQ(too_many.error().details().size(), 1u);
  EXPECT_EQ(too_many.error().details()[0].pointer, "interval");
}

// Two services: "plakat" (ordnungsamt, promises 10 days), "bau" (bauamt, none).
OverviewFacts Facts() {
  OverviewFacts f;
  f.services = {{"bau", "Bau", "Building", "bauproc", "bauamt", 0},
                {"plakat", "Plakat", "Poster", "plakatproc", "ordnungsamt", 10}};
  f.departments = {{"bauamt", "Bauamt"}, {"ordnungsamt", "Ordnungsamt"}};
  f.cases = {
      // plakat: completed after 2 days (in time), completed after 12 days (overdue),
      // open since Jan 20 (now Feb 10: 21 days -> overdue), terminated.
      {"plakat", "ordnungsamt", At("2026-01-05T10:00:00Z"), "completed", At("2026-01-07T10:00:00Z")},
      {"plakat", "ordnungsamt", At("2026-01-06T00:00:00Z"), "completed", At("2026-01-18T00:00:00Z")},
      {"plakat", "ordnungsamt", At("2026-01-20T00:00:00Z"), "active", -1},
      {"plakat", "ordnungsamt", At("2026-02-02T00:00:00Z"), "terminated", At("2026-02-03T00:00:00Z")},
      // bau: open since Feb 9 (1 day), completed after 30 days (nothing promised: not overdue).
      {"bau", "bauamt", At("2026-02-09T00:00:00Z"), "active", -1},
      {"bau", "bauamt", At("2026-01-01T00:00:00Z"), "completed", At("2026-01-31T00:00:00Z")},
  };
  return f;
}

TEST(Overview, KpisPerTenantServiceAndDepartment) {
  OverviewOptions o;
  o.now_ms = At("2026-02-10T00:00:00Z");
  auto j = OverviewJson(Facts(), o);
  ASSERT_TRUE(j.ok()) << j.error().ToString();
  const core::Json& t = (*j)["totals"];
  EXPECT_EQ(t["received"], 6);
  EXPECT_EQ(t["completed"], 3);
  EXPECT_EQ(t["terminated"], 1);
  EXPECT_EQ(t["open"], 2);
  EXPECT_EQ(t["overdue"], 2);  // plakat 12 days done, plakat 21 days open
  EXPECT_EQ(t["overdueOpen"], 1);
  // Throughput 2, 12, 30 days: p50 = 12 days (rank 2), p90 = 30 days (rank ceil(2.7) = 3).
  EXPECT_EQ(t["throughput"]["p50Ms"], 12 * kDay);
  EXPECT_EQ(t["throughput"]["p90Ms"], 30 * kDay);
  // Open ages 21 and 1 days.
  EXPECT_EQ(t["openAge"]["maxMs"], 21 * kDay);
  EXPECT_EQ(t["openAge"]["minMs"], 1 * kDay);

  // Services by open backlog (1 each), then received (plakat 4 > bau 2).
  const core::Json& s = (*j)["services"];
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["serviceId"], "plakat");
  EXPECT_EQ(s[0]["name"]["en"], "Poster");
  EXPECT_EQ(s[0]["processId"], "plakatproc");
  EXPECT_EQ(s[0]["processingTimeDays"], 10);
  EXPECT_EQ(s[0]["overdue"], 2);
  EXPECT_EQ(s[1]["serviceId"], "bau");
  EXPECT_EQ(s[1]["overdue"], 0);
  EXPECT_TRUE(s[1]["processingTimeDays"].is_null());
  const core::Json& d = (*j)["departments"];
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0]["departmentId"], "ordnungsamt");
  EXPECT_EQ(d[0]["name"], "Ordnungsamt");
  EXPECT_EQ(d[0]["openAge"]["p50Ms"], 21 * kDay);
  EXPECT_EQ((*j)["filters"]["services"].size(), 2u);
  EXPECT_EQ((*j)["filters"]["departments"][1]["name"], "Ordnungsamt");
}

TEST(Overview, MonthlySeriesWithBacklog) {
  OverviewOptions o;
  o.now_ms = At("2026-02-10T00:00:00Z");
  auto j = OverviewJson(Facts(), o);
  ASSERT_TRUE(j.ok());
  const core::Json& s = (*j)["series"];
  // From the first submission (Jan 1) to now: January and February.
  ASSERT_EQ(s.size(), 2u) << s.dump();
  EXPECT_EQ(s[0]["period"], "2026-01");
  EXPECT_EQ(s[0]["start"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(s[0]["received"], 4);
  EXPECT_EQ(s[0]["completed"], 3);  // Jan 7, Jan 18, Jan 31
  EXPECT_EQ(s[0]["throughputP50Ms"], 12 * kDay);
  EXPECT_EQ(s[0]["openAtEnd"], 1);  // 4 received - 3 ended
  EXPECT_EQ(s[1]["received"], 2);
  EXPECT_EQ(s[1]["completed"], 0);
  EXPECT_TRUE(s[1]["throughputP50Ms"].is_null());
  EXPECT_EQ(s[1]["openAtEnd"], 2);  // 1 + 2 received - 1 terminated
}

TEST(Overview, WeeklySeriesOfAPeriodCountsEarlierCasesInTheBacklog) {
  OverviewOptions o;
  o.now_ms = At("2026-02-10T00:00:00Z");
  o.interval = Interval::kWeek;
  o.from_ms = At("2026-01-19T00:00:00Z");  // W04 onwards
  o.to_ms = At("2026-03-01T00:00:00Z");    // capped at now: W04 .. W07
  auto j = OverviewJson(Facts(), o);
  ASSERT_TRUE(j.ok());
  const core::Json& s = (*j)["series"];
  ASSERT_EQ(s.size(), 4u) << s.dump();
  EXPECT_EQ(s[0]["period"], "2026-W04");
  EXPECT_EQ(s[3]["period"], "2026-W07");
  // Before W04: received Jan 1, 5, 6; ended Jan 7, Jan 18 -> backlog 1 entering W04.
  EXPECT_EQ(s[0]["received"], 1);   // Jan 20
  EXPECT_EQ(s[0]["openAtEnd"], 2);
  EXPECT_EQ(s[1]["completed"], 1);  // W05 (Jan 26 - Feb 1): Jan 31
  EXPECT_EQ(s[1]["openAtEnd"], 1);
  EXPECT_EQ(s[2]["received"], 1);   // W06: Feb 2 (terminated Feb 3)
  EXPECT_EQ(s[2]["openAtEnd"], 1);
  EXPECT_EQ(s[3]["received"], 1);   // W07: Feb 9
  EXPECT_EQ(s[3]["openAtEnd"], 2);
}

TEST(Overview, EmptyTenantHasZeroesAndNoSeries) {
  OverviewFacts f;
  OverviewOptions o;
  o.now_ms = At("2026-02-10T00:00:00Z");
  auto j = OverviewJson(f, o);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["totals"]["received"], 0);
  EXPECT_EQ((*j)["totals"]["throughput"]["count"], 0);
  EXPECT_TRUE((*j)["services"].empty());
  EXPECT_TRUE((*j)["series"].empty());
}

}  // namespace
}  // namespace amtsweg::analytics
