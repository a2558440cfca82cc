// Durability: state written by acknowledged commands survives closing the
// database (the writer drains, connections close) and reopening it with a new
// Engine and an empty model cache. A true kill -9 test spawning the binary is
// left to app/.
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "engine/engine_test_util.h"
#include "store/history_batch.h"

namespace amtsweg::engine::testing {
namespace {

using core::Json;

class EngineDurability : public EngineTest {
 protected:
  // Starts `n` instances of `process` through the async path (group commit).
  std::vector<std::string> StartMany(const std::string& process, int n) {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::string> ids;
    int done = 0;
    for (int i = 0; i < n; ++i) {
      engine_->StartInstanceAsync("t1", process, Json{{"i", i}}, [&](core::Result<std::string> id) {
        std::lock_guard lock(mu);
        EXPECT_TRUE(id.ok()) << id.error().ToString();
        if (id.ok()) ids.push_back(*id);
        ++done;
        cv.notify_all();
      });
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done == n; });
    return ids;
  }

  void Reopen() {
    engine_.reset();
    db_->Close();
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    engine_ = std::make_unique<Engine>(*db_, EngineOptions{&clock_});
  }
};

TEST_P(EngineDurability, InstancesWaitingAtUserTasksAndTimersContinueAfterReopen) {
  constexpr int kTasks = 2000;
  constexpr int kTimers = 500;
  Deploy(Model("wait_task", R"(<bpmn:startEvent id="s"/><bpmn:userTask id="ut"/><bpmn:endEvent id="e"/>)" +
                                Flow("f1", "s", "ut") + Flow("f2", "ut", "e")),
         "a.bpmn");
  Deploy(Model("wait_timer", R"(<bpmn:startEvent id="s"/>
    <bpmn:intermediateCatchEvent id="tm"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e"/>)" + Flow("f1", "s", "tm") + Flow("f2", "tm", "e")),
         "b.bpmn");
  std::vector<std::string> task_instances = StartMany("wait_task", kTasks);
  std::vector<std::string> timer_instances = StartMany("wait_timer", kTimers);
  ASSERT_EQ(task_instances.size(), static_cast<size_t>(kTasks));
  ASSERT_EQ(timer_instances.size(), static_cast<size_t>(kTimers));
  // The timers fall due while the "node" is down.
  clock_.Advance(std::chrono::hours(2));
  Reopen();
  auto tasks = engine_->ListUserTasks("t1");
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), static_cast<size_t>(kTasks));
  auto fired = engine_->FireDueTimers(10 * kTimers);
  ASSERT_TRUE(fired.ok()) << fired.error().ToString();
  EXPECT_EQ(*fired, kTimers);
  auto again = engine_->FireDueTimers(10 * kTimers);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0) << "a timer fires exactly once";
  for (const std::string& id : timer_instances) {
    ASSERT_EQ(Instance(id).state, "completed") << id;
    ASSERT_EQ(Events(id, "timer_fired").size(), 1u) << id;
  }
  for (const UserTask& t : *tasks) ASSERT_TRUE(engine_->CompleteUserTask("t1", t.task_id).ok());
  for (const std::string& id : task_instances) ASSERT_EQ(Instance(id).state, "completed") << id;
}

TEST_P(EngineDurability, AJobActivatedBeforeReopenIsCompletedAfterwards) {
  Deploy(Model("svc", R"(<bpmn:startEvent id="s"/>)" + ServiceTask("w", "w") + R"(<bpmn:endEvent id="e"/>)" +
                          Flow("f1", "s", "w") + Flow("f2", "w", "e")));
  std::string id = Start("svc", {{"x", 1}});
  auto jobs = Activate("w");
  ASSERT_EQ(jobs.size(), 1u);
  Reopen();
  EXPECT_TRUE(Activate("w").empty()) << "the lock survives the restart";
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"y", 2}}).ok());
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables, (Json{{"x", 1}, {"y", 2}}));
}

// Migration 0005 moved the process scope's variables from a row of
// engine_variables (scope 0) into the instance row. The database is put back
// into the layout before it (the column dropped, the scope-0 rows and the
// schema_migrations entry as 0004 left them) with instances the engine wrote,
// then reopened: Migrate converts it and the instances go on.
TEST_P(EngineDurability, InstancesFromBeforeTheInstanceVariablesMigrationContinue) {
  Deploy(Model("upg", R"(<bpmn:startEvent id="s"/>)" +
                          ServiceTask("w", "w", R"(<zeebe:ioMapping><zeebe:input source="=a + 1" target="b"/></zeebe:ioMapping>)") +
                          R"(<bpmn:endEvent id="e"/>)" + Flow("f1", "s", "w") + Flow("f2", "w", "e")));
  std::string waiting = Start("upg", {{"a", 1}, {"name", "Grüße"}});
  std::string done = Start("upg", {{"a", 5}});
  CompleteOne("w", {{"c", 3}});  // the older job first: `waiting` now... whichever it was, one instance completed
  auto down = db_->writer().Write([](store::Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO engine_variables (tenant_id, instance_id, scope_key, vars) "
                   "SELECT tenant_id, instance_id, 0, vars FROM engine_instances"));
    AW_TRY(tx.Exec("ALTER TABLE engine_instances DROP COLUMN vars"));
    AW_TRY(tx.Exec("DELETE FROM schema_migrations WHERE version = 5"));
    return core::OkStatus();
  });
  ASSERT_TRUE(down.ok()) << down.error().ToString();
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_variables WHERE scope_key = 0"), 2);
  Reopen();  // migrates: 0005 runs again on the old layout
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_variables WHERE scope_key = 0"), 0);
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_variables"), 1) << "the input mapping's scope stays a row";
  InstanceInfo a = Instance(waiting);
  InstanceInfo b = Instance(done);
  InstanceInfo& open = a.state == "active" ? a : b;
  InstanceInfo& closed = a.state == "active" ? b : a;
  ASSERT_EQ(open.state, "active");
  ASSERT_EQ(closed.state, "completed");
  EXPECT_EQ(closed.variables["c"], 3);
  const int a_value = open.variables["a"].get<int>();
  // The waiting job sees the process scope and its local input mapping.
  auto jobs = Activate("w");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].instance_id, open.instance_id);
  EXPECT_EQ(jobs[0].variables["a"], a_value);
  EXPECT_EQ(jobs[0].variables["b"], a_value + 1);
  ASSERT_TRUE(engine_->CompleteJob("t1", jobs[0].job_id, {{"c", 4}}).ok());
  InstanceInfo after = Instance(open.instance_id);
  EXPECT_EQ(after.state, "completed");
  Json expected{{"a", a_value}, {"c", 4}};
  if (open.instance_id == waiting) expected["name"] = "Grüße";
  EXPECT_EQ(after.variables, expected);
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_variables"), 0);
}

// Migration 0006 turned the history's one row per event into one row per
// command. The database is put back into the layout before it (one row per
// event, written from the events History read, the schema_migrations entry
// removed) with a waiting and a completed instance, plus an old row whose
// element id and data hold characters JSON must escape; reopened, the
// migration converts the rows, History reads the same events and the waiting
// instance goes on, appending one row per command.
TEST_P(EngineDurability, HistoryFromBeforeTheHistoryBatchMigrationReadsTheSame) {
  Deploy(Model("upg", R"(<bpmn:startEvent id="s"/>)" + ServiceTask("w", "w") + R"(<bpmn:endEvent id="e"/>)" +
                          Flow("f1", "s", "w") + Flow("f2", "w", "e")));
  std::string first = Start("upg", {{"name", "Grüße \"quoted\" \\ [x], {y}\nline"}});
  std::string second = Start("upg", {{"a", 5}});
  CompleteOne("w", {{"c", 3}});
  // The completed one gets the odd old row (its seq 1000 stays the last).
  const std::string open = Instance(first).state == "active" ? first : second;
  const std::string closed = open == first ? second : first;
  auto before_a = engine_->History("t1", open);
  auto before_b = engine_->History("t1", closed);
  ASSERT_TRUE(before_a.ok() && before_b.ok());
  const bool pg = GetParam() == store::Dialect::kPostgres;
  const std::string odd_id = "odd \"id\" \\ ] , [ \t\x01 ü€😀";
  const std::string odd_data = R"({"s":"] , [ \" \\ }","n":[1,[2,{"x":null}]],"u":"ä\n"})";
  auto down = db_->writer().Write([&](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT tenant_id, instance_id, seq, at, events FROM engine_history"));
    AW_TRY(tx.Exec("DROP TABLE engine_history"));
    AW_TRY(tx.Exec(std::string("CREATE TABLE engine_history (tenant_id TEXT NOT NULL, instance_id TEXT NOT NULL, "
                               "seq BIGINT NOT NULL, at BIGINT NOT NULL, event TEXT NOT NULL, element_id TEXT NOT NULL, "
                               "element_key BIGINT NOT NULL, data TEXT, PRIMARY KEY (tenant_id, instance_id, seq))") +
                   (pg ? "" : " WITHOUT ROWID")));
    const std::string insert =
        "INSERT INTO engine_history (tenant_id, instance_id, seq, at, event, element_id, element_key, data) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    for (const store::Row& r : rows) {
      int64_t seq = r.Int(2);
      AW_TRY(store::ForEachHistoryEvent(r.Text(4), [&](const store::HistoryEventView& e) -> core::Status {
        AW_TRY(tx.Exec(insert, {r.Text(0), r.Text(1), seq++, r.Int(3), e.event, e.element_id, e.element_key,
                                e.data.empty() ? store::Value() : store::Value(e.data)}));
        return core::OkStatus();
      }));
    }
    AW_TRY(tx.Exec(insert, {"t1", closed, 1000, 1234, "odd_event", odd_id, 7, odd_data}));
    AW_TRY(tx.Exec("DELETE FROM schema_migrations WHERE version = 6"));
    return core::OkStatus();
  });
  ASSERT_TRUE(down.ok()) << down.error().ToString();
  const int64_t old_rows = ReadInt(*db_, "SELECT COUNT(*) FROM engine_history");
  EXPECT_EQ(old_rows, static_cast<int64_t>(before_a->size() + before_b->size() + 1));
  Reopen();  // migrates: 0006 runs again on the old layout
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_history"), old_rows) << "one one-event row per old row";
  auto same = [](const std::vector<HistoryEvent>& a, const std::vector<HistoryEvent>& b) {
    EXPECT_EQ(a.size(), b.size());
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      EXPECT_EQ(a[i].seq, b[i].seq) << i;
      EXPECT_EQ(a[i].at, b[i].at) << i;
      EXPECT_EQ(a[i].event, b[i].event) << i;
      EXPECT_EQ(a[i].element_id, b[i].element_id) << i;
      EXPECT_EQ(a[i].element_key, b[i].element_key) << i;
      EXPECT_EQ(a[i].data, b[i].data) << i;
    }
  };
  auto after_a = engine_->History("t1", open);
  auto after_b = engine_->History("t1", closed);
  ASSERT_TRUE(after_a.ok()) << after_a.error().ToString();
  ASSERT_TRUE(after_b.ok()) << after_b.error().ToString();
  same(*after_a, *before_a);
  ASSERT_EQ(after_b->size(), before_b->size() + 1);
  same(std::vector<HistoryEvent>(after_b->begin(), after_b->end() - 1), *before_b);
  const HistoryEvent& odd = after_b->back();
  EXPECT_EQ(odd.seq, 1000);
  EXPECT_EQ(odd.at, core::FromUnixMillis(1234));
  EXPECT_EQ(odd.event, "odd_event");
  EXPECT_EQ(odd.element_id, odd_id);
  EXPECT_EQ(odd.element_key, 7);
  EXPECT_EQ(odd.data, core::ParseJson(odd_data).value());
  // The waiting instance goes on: its completing command appends one row.
  const auto& open_before = *after_a;
  CompleteOne("w", {{"d", 4}});
  EXPECT_EQ(Instance(open).state, "completed");
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM engine_history"), old_rows + 1);
  auto done = engine_->History("t1", open);
  ASSERT_TRUE(done.ok());
  ASSERT_GT(done->size(), open_before.size() + 1);
  same(std::vector<HistoryEvent>(done->begin(), done->begin() + static_cast<long>(open_before.size())), open_before);
  EXPECT_EQ(done->back().event, "instance_completed");
  EXPECT_EQ(done->at(open_before.size()).event, "job_completed");
}

AW_STORE_INSTANTIATE(EngineDurability);

// Several nodes on one PostgreSQL database: two Database objects (two writer
// connections, two pools) with an Engine each, working concurrently.
class EngineMultiNode : public EngineTest {};

TEST_P(EngineMultiNode, JobsAndDueTimersAreTakenOnceAcrossNodes) {
  if (GetParam() != store::Dialect::kPostgres) GTEST_SKIP() << "several nodes share a database on PostgreSQL only";
  constexpr int kJobs = 300;
  constexpr int kTimers = 200;
  Deploy(Model("svc", R"(<bpmn:startEvent id="s"/>)" + ServiceTask("w", "w") + R"(<bpmn:endEvent id="e"/>)" +
                          Flow("f1", "s", "w") + Flow("f2", "w", "e")));
  Deploy(Model("tmr", R"(<bpmn:startEvent id="s"/>
    <bpmn:intermediateCatchEvent id="tm"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e"/>)" + Flow("f1", "s", "tm") + Flow("f2", "tm", "e")),
         "t.bpmn");
  for (int i = 0; i < kJobs; ++i) Start("svc");
  std::vector<std::string> timer_instances;
  for (int i = 0; i < kTimers; ++i) timer_instances.push_back(Start("tmr"));
  auto db2 = Open();
  ASSERT_NE(db2, nullptr);
  Engine node2(*db2, EngineOptions{&clock_});
  Engine* nodes[2] = {engine_.get(), &node2};
  std::mutex mu;
  std::vector<std::string> taken;
  std::atomic<int> fired{0};
  clock_.Advance(std::chrono::minutes(2));
  std::vector<std::thread> threads;
  for (Engine* node : nodes) {
    threads.emplace_back([&, node] {
      for (;;) {
        auto jobs = node->ActivateJobs("t1", "w", "node", 7, std::chrono::minutes(5));
        ASSERT_TRUE(jobs.ok()) << jobs.error().ToString();
        if (jobs->empty()) break;
        std::lock_guard lock(mu);
        for (const auto& j : *jobs) taken.push_back(j.job_id);
      }
    });
    threads.emplace_back([&, node] {
      for (int round = 0; round < 5; ++round) {
        auto n = node->FireDueTimers(50);
        ASSERT_TRUE(n.ok()) << n.error().ToString();
        fired += *n;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(taken.begin(), taken.end());
  EXPECT_EQ(taken.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::adjacent_find(taken.begin(), taken.end()), taken.end()) << "a job was activated twice";
  // Timers left by the five rounds (each takes 50) fire now; none may fire twice.
  auto rest = engine_->FireDueTimers(1000);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(fired.load() + *rest, kTimers);
  for (const std::string& id : timer_instances) ASSERT_EQ(Events(id, "timer_fired").size(), 1u) << id;
  db2->Close();
}

AW_STORE_INSTANTIATE(EngineMultiNode);

}  // namespace
}  // namespace amtsweg::engine::testing
