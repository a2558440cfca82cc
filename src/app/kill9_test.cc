// kill -9 of a real `amtsweg serve` with 10,000 instances parked at a user
// task and 1,000 at timers, restart on the same database, and check over the
// REST API that every acknowledged instance is there with its task and that
// each timer, due while the server was dead, fired exactly once.
#include <signal.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/process_test_util.h"
#include "core/json.h"
#include "core/time.h"
#include "http/client.h"
#include "store/store_test_util.h"

namespace amtsweg::app {
namespace {

using core::Json;
using testutil::ServerProcess;
using testutil::TempDir;

constexpr int kTaskInstances = 10'000;
constexpr int kTimerInstances = 1'000;
constexpr int kTimerSeconds = 8;  // longer than starting the timer instances takes, even under load
constexpr int kClients = 48;

std::string ModelXml(std::string_view id, std::string_view body) {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D_{0}" targetNamespace="t">
<bpmn:process id="{0}" isExecutable="true">
<bpmn:startEvent id="start"/>{1}<bpmn:endEvent id="end"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
<bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
)",
                     id, body);
}

struct Api {
  int port = 0;
  core::Result<http::FetchResponse> Call(const std::string& method, const std::string& path,
                                         const std::string& body = "") const {
    http::FetchRequest r{.method = method, .url = fmt::format("http://127.0.0.1:{}/api/v1/tenants/k9{}", port, path)};
    if (!body.empty()) {
      r.body = body;
      r.headers.Add("Content-Type", "application/json");
    }
    return http::Fetch(r, {.connect_timeout = std::chrono::seconds(10), .timeout = std::chrono::seconds(60)});
  }
  Json GetJson(const std::string& path) const {
    auto r = Call("GET", path);
    EXPECT_TRUE(r.ok() && r->status == 200) << path << ": " << (r.ok() ? r->body : r.error().ToString());
    if (!r.ok()) return Json::object();
    auto j = core::ParseJson(r->body);
    return j.ok() ? *j : Json::object();
  }
  // Every item of a paged list, following nextCursor.
  std::vector<Json> All(const std::string& path) const {
    std::vector<Json> out;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      std::string sep = path.find('?') == std::string::npos ? "?" : "&";
      Json page = GetJson(path + sep + "limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (auto& i : page["items"]) out.push_back(std::move(i));
      if (!page.contains("nextCursor") || page["nextCursor"].is_null()) break;
      cursor = page["nextCursor"].get<std::string>();
    }
    return out;
  }
};

// Starts `count` instances of `process` from kClients threads; returns the acknowledged ids.
std::vector<std::string> StartMany(const Api& api, const std::string& process, int count) {
  std::atomic<int> next{0};
  std::mutex mu;
  std::vector<std::string> ids;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  std::string body = core::DumpJson(Json{{"processId", process}, {"variables", {{"applicant", "Erika"}}}});
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(1) < count) {
        auto r = api.Call("POST", "/process-instances", body);
        std::lock_guard lock(mu);
        if (!r.ok() || r->status != 201) {
          errors.push_back(r.ok() ? r->body : r.error().ToString());
          continue;
        }
        auto j = core::ParseJson(r->body);
        if (j.ok()) ids.push_back((*j)["instanceId"]);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(errors.empty()) << errors.size() << " starts failed, first: " << errors.front();
  return ids;
}

class Kill9Test : public ::testing::TestWithParam<store::Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == store::Dialect::kSqlite) {
      db_url_ = "sqlite:" + (dir_.path() / "k.db").string();
      return;
    }
    std::string base = store::testing::PgBaseUrl();
    if (base.empty()) GTEST_SKIP() << "AMTSWEG_TEST_PG_URL is not set; PostgreSQL variant skipped";
    schema_ = "k9_" + store::testing::RandomSuffix();
    PgExec(base, "CREATE SCHEMA " + schema_);
    db_url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
  }
  void TearDown() override {
    if (!schema_.empty()) PgExec(store::testing::PgBaseUrl(), "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  static void PgExec(const std::string& url, const std::string& sql) {
    try {
      pqxx::connection c(url);
      pqxx::nontransaction tx(c);
      tx.exec(sql);
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }

  TempDir dir_;
  std::string db_url_;
  std::string schema_;
};

TEST_P(Kill9Test, EveryAcknowledgedInstanceAndDueTimerSurvivesKill9) {
  auto server = ServerProcess::Start({"--db", db_url_});
  ASSERT_TRUE(server);
  ASSERT_GT(server->port(), 0) << server->Output();
  Api api{server->port()};

  std::string task_model = ModelXml("k9task", R"(<bpmn:userTask id="wait" name="Decide"/>)");
  std::string timer_model = ModelXml(
      "k9timer", fmt::format(R"(<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition>)"
                             R"(<bpmn:timeDuration>PT{}S</bpmn:timeDuration></bpmn:timerEventDefinition>)"
                             R"(</bpmn:intermediateCatchEvent>)",
                             kTimerSeconds));
  Json deployment = {{"resources", {{{"name", "task.bpmn"}, {"content", task_model}},
                                    {{"name", "timer.bpmn"}, {"content", timer_model}}}}};
  auto d = api.Call("POST", "/deployments", core::DumpJson(deployment));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  ASSERT_EQ(d->status, 201) << d->body;

  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> task_ids = StartMany(api, "k9task", kTaskInstances);
  auto t1 = std::chrono::steady_clock::now();
  std::vector<std::string> timer_ids = StartMany(api, "k9timer", kTimerInstances);
  auto last_ack = std::chrono::steady_clock::now();
  auto killed_at = std::chrono::system_clock::now();
  ASSERT_EQ(server->Signal(SIGKILL), -1) << "killed by the signal";
  double secs = std::chrono::duration<double>(t1 - t0).count();
  std::printf("[ kill9    ] %s: %d user-task starts over HTTP in %.2f s (%.0f/s, %d clients); %d timer starts in %.2f s\n",
              GetParam() == store::Dialect::kSqlite ? "sqlite" : "postgres", kTaskInstances, secs,
              kTaskInstances / secs, kClients, kTimerInstances, std::chrono::duration<double>(last_ack - t1).count());
  ASSERT_EQ(task_ids.size(), static_cast<size_t>(kTaskInstances));
  ASSERT_EQ(timer_ids.size(), static_cast<size_t>(kTimerInstances));
  ASSERT_LT(last_ack - t1, std::chrono::seconds(kTimerSeconds))
      << "timers could have become due before the kill; the check below would not prove anything";

  // Every timer is due before the restart.
  std::this_thread::sleep_until(last_ack + std::chrono::seconds(kTimerSeconds) + std::chrono::milliseconds(500));
  auto restarted = ServerProcess::Start({"--db", db_url_});
  ASSERT_TRUE(restarted);
  ASSERT_GT(restarted->port(), 0) << restarted->Output();
  api.port = restarted->port();

  // All 10,000 user-task instances are active, each with its open task.
  std::set<std::string> expected(task_ids.begin(), task_ids.end());
  std::set<std::string> active;
  for (const Json& i : api.All("/process-instances?processId=k9task&state=active")) active.insert(i["instanceId"]);
  EXPECT_EQ(active, expected);
  std::set<std::string> with_task;
  for (const Json& t : api.All("/user-tasks")) {
    EXPECT_EQ(t["elementId"], "wait");
    EXPECT_TRUE(with_task.insert(t["processInstanceId"]).second) << "two tasks for one instance";
  }
  EXPECT_EQ(with_task, expected);

  // Every timer instance continues: the scheduler fires what became due while the server was dead.
  std::set<std::string> timer_expected(timer_ids.begin(), timer_ids.end());
  std::set<std::string> completed;
  for (int i = 0; i < 300 && completed.size() < timer_expected.size(); ++i) {
    completed.clear();
    for (const Json& x : api.All("/process-instances?processId=k9timer&state=completed")) {
      completed.insert(x["instanceId"]);
    }
    if (completed.size() < timer_expected.size()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(completed, timer_expected);
  int checked = 0;
  for (const std::string& id : timer_ids) {
    Json h = api.GetJson("/process-instances/" + id + "/history");
    int fired = 0;
    for (const Json& e : h["items"]) {
      if (e["event"] != "timer_fired") continue;
      ++fired;
      auto at = core::ParseIso8601(e["at"].get<std::string>());
      ASSERT_TRUE(at.ok());
      EXPECT_GE(*at, std::chrono::time_point_cast<std::chrono::microseconds>(killed_at) - std::chrono::seconds(1))
          << id << " fired before the kill";
    }
    EXPECT_EQ(fired, 1) << id;
    if (fired != 1 && ++checked > 5) break;  // enough evidence
  }
  EXPECT_EQ(restarted->Signal(SIGTERM), 0) << restarted->Output();
}

INSTANTIATE_TEST_SUITE_P(Backends, Kill9Test,
                         ::testing::Values(store::Dialect::kSqlite, store::Dialect::kPostgres),
                         store::testing::BackendName);

}  // namespace
}  // namespace amtsweg::app
