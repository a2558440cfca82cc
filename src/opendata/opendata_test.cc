#include "opendata/opendata.h"

#include <gtest/gtest.h>

#include "opendata/opendata_test_util.h"

namespace amtsweg::opendata {
namespace {

using core::Json;
using std::chrono::hours;

constexpr int64_t kDay = 86'400'000;
int64_t Ms(const char* iso) { return core::ToUnixMillis(*core::ParseIso8601(iso)); }

// --- pure computation ---------------------------------------------------

TEST(Compute, MonthlyApplicationsCountAndSuppressSmallCounts) {
  std::vector<CaseFacts> cases;
  for (int i = 0; i < 6; ++i) cases.push_back({"a", Ms("2026-01-10T10:00:00Z") + i * kDay, "active", {}});
  for (int i = 0; i < 2; ++i) cases.push_back({"a", Ms("2026-02-01T00:00:00Z"), "completed", {}});
  cases.push_back({"b", Ms("2026-01-31T23:59:59Z"), "active", {}});
  std::vector<ServiceFacts> services{{"a", "99108011000000", "Aufgrabung"}, {"b", "99000000000000", "Hund"}};
  auto t = Compute(kApplicationsMonthly, cases, services, 5, core::FromUnixMillis(Ms("2026-03-01T00:00:00Z")));
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_EQ(t->rows.size(), 3u);
  // Sorted by month, then service. Months are German civil months: 23:59:59 UTC
  // on 31 January is 00:59:59 on 1 February in Berlin.
  EXPECT_EQ(t->rows[0], (std::vector<Json>{"2026-01", "a", "99108011000000", "Aufgrabung", 6, false}));
  EXPECT_EQ(t->rows[1], (std::vector<Json>{"2026-02", "a", "99108011000000", "Aufgrabung", nullptr, true}));
  EXPECT_EQ(t->rows[2], (std::vector<Json>{"2026-02", "b", "99000000000000", "Hund", nullptr, true}));
  // The threshold is the tenant's: with 2, the February count of "a" is published.
  auto t2 = Compute(kApplicationsMonthly, cases, services, 2, core::FromUnixMillis(0));
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(t2->rows[1][4], 2);
  EXPECT_EQ(t2->rows[2][4], nullptr);
}

TEST(Compute, ProcessingTimesNearestRankAndSuppressDerivedValues) {
  std::vector<CaseFacts> cases;
  // Durations of service a: 1, 2, 3, 4, 10 days (completed); one active case does not count.
  for (int d : {4, 1, 10, 3, 2}) cases.push_back({"a", 0, "completed", int64_t{d} * kDay});
  cases.push_back({"a", 0, "active", {}});
  // Service b: 4 completed cases, below 5: count, median and p90 are withheld.
  for (int d : {1, 1, 1, 30}) cases.push_back({"b", 0, "completed", int64_t{d} * kDay});
  auto t = Compute(kProcessingTimes, cases, {}, 5, core::FromUnixMillis(0));
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  // p50 = value at rank ceil(2.5) = 3rd = 3 days; p90 = rank ceil(4.5) = 5th = 10 days.
  EXPECT_EQ(t->rows[0], (std::vector<Json>{"a", nullptr, nullptr, 5, 3.0, 10.0, false}));
  EXPECT_EQ(t->rows[1], (std::vector<Json>{"b", nullptr, nullptr, nullptr, nullptr, nullptr, true}));
}

TEST(Compute, BacklogCountsOpenCasesAndTheirMedianAge) {
  int64_t now = Ms("2026-03-01T00:00:00Z");
  std::vector<CaseFacts> cases;
  for (int d : {1, 2, 3, 4, 5, 6}) cases.push_back({"a", now - int64_t{d} * kDay - kDay / 2, "active", {}});
  cases.push_back({"a", now - kDay, "completed", now});
  auto t = Compute(kBacklog, cases, {}, 5, core::FromUnixMillis(now));
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 1u);
  // Ages 1.5 .. 6.5 days; the median (rank 3) is 3.5.
  EXPECT_EQ(t->rows[0], (std::vector<Json>{"a", nullptr, nullptr, 6, 3.5, false}));
}

TEST(Compute, UnknownKindIsRefused) {
  auto t = Compute("sensor-data", {}, {}, 5, core::FromUnixMillis(0));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code(), core::ErrorCode::kInvalidArgument);
}

TEST(Csv, Rfc4180QuotingAndEmptyFieldsForNull) {
  Table t{{{"a", "string", ""}, {"b", "integer", ""}, {"c", "number", ""}, {"d", "boolean", ""}},
          {{"x, \"y\"", 3, 2.25, true}, {"Zeile\nzwei", nullptr, nullptr, false}}};
  EXPECT_EQ(ToCsv(t), "a,b,c,d\r\n\"x, \"\"y\"\"\",3,2.2,true\r\n\"Zeile\nzwei\",,,false\r\n");
}

TEST(Settings, EveryProblemNamesItsField) {
  Json body = testing::SampleDefinition();
  body["minCount"] = 0;
  body["licence"] = "http://example.org/mine";
  body["contributorId"] = "bienenland";
  body["baseUrl"] = "ftp://x/";
  body["datasets"][0]["kind"] = "sensors";
  body["datasets"][1]["id"] = "antraege-monatlich";
  body["datasets"][2]["theme"] = "XXX";
  body["datasets"][2]["colour"] = "red";
  auto s = ParseSettings(body);
  ASSERT_FALSE(s.ok());
  std::set<std::string> pointers;
  for (const auto& d : s.error().details()) pointers.insert(d.pointer);
  EXPECT_EQ(pointers, (std::set<std::string>{"/minCount", "/licence", "/contributorId", "/baseUrl", "/datasets/0/kind",
                                             "/datasets/1/id", "/datasets/2/theme", "/datasets/2/colour"}));
  auto missing = ParseSettings(Json::object());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().details().size(), 2u);  // contributorId, datasets
}

TEST(Settings, DefaultsAndRoundTrip) {
  Json body = testing::SampleDefinition();
  body.erase("minCount");
  auto s = ParseSettings(body);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->min_count, 5);
  EXPECT_EQ(s->schedule, "R/P1D");
  EXPECT_EQ(s->datasets[0].title, "Anträge pro Monat und Leistung");
  EXPECT_EQ(s->datasets[2].title, "Offene Anträge \"aktuell\"");
  auto again = ParseSettings(SettingsToJson(*s));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(SettingsToJson(*again), SettingsToJson(*s));
}

// --- with the store and the engine (SQLite and PostgreSQL) ---------------

class OpenDataStore : public testing::OpenDataTest {};

TEST_P(OpenDataStore, DefinePublishesAndStoresEachComputation) {
  if (IsSkipped()) return;
  for (int i = 0; i < 5; ++i) AddCase("svc-a", 10 + i, /*completed=*/true);
  AddCase("svc-a", 3, false);
  AddCase("svc-b", 1, false);
  auto s = od_->Define("amt-musterland", testing::SampleDefinition());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  auto c = od_->LoadCatalog("amt-musterland");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  ASSERT_EQ(c->publications.size(), 3u);
  const Publication* times = c->Find("bearbeitungsdauer");
  ASSERT_NE(times, nullptr);
  EXPECT_EQ(times->row_count, 1);
  EXPECT_EQ(times->modified, clock_.Now());
  auto j = core::ParseJson(times->json);
  ASSERT_TRUE(j.ok());
  // Durations 10..14 days: median (rank 3) 12, p90 (rank 5) 14.
  EXPECT_EQ((*j)["rows"][0]["completed"], 5);
  EXPECT_EQ((*j)["rows"][0]["medianDays"], 12.0);
  EXPECT_EQ((*j)["rows"][0]["p90Days"], 14.0);
  const Publication* backlog = c->Find("rueckstand");
  ASSERT_NE(backlog, nullptr);
  EXPECT_EQ(backlog->csv, "serviceId,leikaKey,serviceName,open,medianAgeDays,suppressed\r\n"
                          "svc-a,,,,,true\r\nsvc-b,,,,,true\r\n");
  // Unknown tenants are refused; an invalid body stores nothing.
  EXPECT_EQ(od_->Define("nowhere", testing::SampleDefinition()).error().code(), core::ErrorCode::kNotFound);
  Json bad = testing::SampleDefinition();
  bad["datasets"] = Json::array({{{"id", "x1"}, {"kind", "nope"}}});
  EXPECT_EQ(od_->Define("amt-musterland", bad).error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(od_->Get("amt-musterland")->datasets.size(), 3u);
}

TEST_P(OpenDataStore, RedefiningDropsRemovedDatasetsAndKeepsIssued) {
  if (IsSkipped()) return;
  ASSERT_TRUE(od_->Define("amt-musterland", testing::SampleDefinition()).ok());
  core::Timestamp first = clock_.Now();
  clock_.Advance(hours(3));
  Json body = testing::SampleDefinition();
  body["datasets"].erase(2);
  ASSERT_TRUE(od_->Define("amt-musterland", body).ok());
  auto c = od_->LoadCatalog("amt-musterland");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->publications.size(), 2u);
  EXPECT_EQ(c->Find("rueckstand"), nullptr);
  EXPECT_EQ(c->publications[0].issued, first);
  EXPECT_EQ(c->publications[0].modified, clock_.Now());
}

TEST_P(OpenDataStore, TheEnginesTimerRecomputesTheDatasetsDaily) {
  if (IsSkipped()) return;
  od_->RegisterWorker();
  ASSERT_TRUE(od_->Define("amt-musterland", testing::SampleDefinition()).ok());
  auto before = od_->LoadCatalog("amt-musterland");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->Find("antraege-monatlich")->row_count, 0);
  for (int i = 0; i < 5; ++i) AddCase("svc-a", 0, false);

  // Nothing is due before a day has passed.
  clock_.Advance(hours(23));
  auto fired = engine_->FireDueTimers();
  ASSERT_TRUE(fired.ok());
  EXPECT_EQ(*fired, 0);
  clock_.Advance(hours(1));
  fired = engine_->FireDueTimers();
  ASSERT_TRUE(fired.ok()) << fired.error().ToString();
  EXPECT_EQ(*fired, 1);
  auto handled = engine_->RunWorkers("amt-musterland", 10);
  ASSERT_TRUE(handled.ok()) << handled.error().ToString();
  EXPECT_EQ(*handled, 1);

  auto after = od_->LoadCatalog("amt-musterland");
  ASSERT_TRUE(after.ok());
  const Publication* monthly = after->Find("antraege-monatlich");
  EXPECT_EQ(monthly->row_count, 1);
  EXPECT_EQ(monthly->modified, clock_.Now());
  EXPECT_NE(monthly->csv.find(",5,false"), std::string::npos) << monthly->csv;
  // The publishing instance completed (the job was handled, not left behind).
  auto page = engine_->ActivateJobs("amt-musterland", kJobType, "test", 10, std::chrono::seconds(30));
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty());
}

}  // namespace

AW_STORE_INSTANTIATE(OpenDataStore);

}  // namespace amtsweg::opendata
