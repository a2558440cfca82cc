// Multi-node test on PostgreSQL (issue 5, "Several nodes"): three OS
// processes share one database and run every job exactly once, also when one
// of them is killed with SIGKILL halfway.
//
// The processes are this test binary started again in a worker role
// (MultiNode.DISABLED_WorkerRole, run only when asked for by name). Each worker
// activates jobs with a lock timeout and completes each one together with an
// INSERT into multinode_executions in the same command (Engine::CompleteJobWith),
// so a job counted as executed is completed and vice versa. The parent creates
// the jobs (instances of a parallel multi-instance service task), starts the
// workers, kills the first one once half the jobs are done and it holds locked
// jobs, and checks: every job executed once, none left, the killed worker's
// locked jobs done by the others after their lock ran out.
//
// AMTSWEG_MULTINODE_JOBS sets the number of jobs (default 100,000; a multiple
// of 20). Needs AMTSWEG_TEST_PG_URL; skipped without it.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/id.h"
#include "engine/engine.h"
#include "engine/engine_test_util.h"
#include "store/database.h"
#include "store/store_test_util.h"

extern char** environ;

namespace amtsweg::engine {
namespace {

using Clock = std::chrono::steady_clock;
using store::Row;
using store::Tx;

constexpr int kItemsPerInstance = 20;  // jobs per instance (parallel multi-instance)
constexpr auto kLockTimeout = std::chrono::seconds(5);
constexpr char kJobType[] = "multinode";

// Environment of a worker process.
constexpr char kEnvWorker[] = "AMTSWEG_MULTINODE_WORKER";  // its name; set only in workers
constexpr char kEnvUrl[] = "AMTSWEG_MULTINODE_URL";
constexpr char kEnvTenant[] = "AMTSWEG_MULTINODE_TENANT";

int JobCount() {
  const char* n = std::getenv("AMTSWEG_MULTINODE_JOBS");
  int jobs = n != nullptr ? std::atoi(n) : 100000;
  return std::max(kItemsPerInstance, jobs / kItemsPerInstance * kItemsPerInstance);
}

std::string Model() {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="multinode" targetNamespace="http://amtsweg.de/test">
  <bpmn:process id="fan_out" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="work">
      <bpmn:extensionElements><zeebe:taskDefinition type="{}"/></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:loopCardinality>{}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>)",
                     kJobType, kItemsPerInstance);
}

store::Options PgOptions(const std::string& url) {
  store::Options o;
  o.url = url;
  o.read_pool_size = 2;
  o.pg_pool_size = 2;
  return o;
}

core::Result<int64_t> Count(store::Database& db, std::string_view sql, std::initializer_list<store::Value> params) {
  std::vector<store::Value> p(params);
  return db.Read([&](Tx& tx) -> core::Result<int64_t> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, std::span<const store::Value>(p)));
    return row->Int(0);
  });
}

// --- CompleteJobWith (both backends) ------------------------------------------

using testing::EngineTest;
class CompleteJobWithTest : public EngineTest {};
AW_STORE_INSTANTIATE(CompleteJobWithTest);

TEST_P(CompleteJobWithTest, TheExtraStepCommitsWithTheCompletionOrNeither) {
  Deploy(testing::Model("one", R"(<bpmn:startEvent id="s"/>)" + testing::ServiceTask("work", "w") +
                                   R"(<bpmn:endEvent id="e"/>)" + testing::Flow("f1", "s", "work") +
                                   testing::Flow("f2", "work", "e")));
  std::string id = Start("one");
  auto jobs = Activate("w");
  ASSERT_EQ(jobs.size(), 1u);
  // The step fails after its write: the completion is not kept either.
  core::Status s = engine_->CompleteJobWith("t1", jobs[0].job_id, core::Json{{"x", 1}}, [](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO kv (tenant_id, key, value) VALUES ($1, $2, $3)", {"t1", "executed", "first"}));
    return core::Unavailable("the worker's own bookkeeping failed");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kUnavailable);
  EXPECT_EQ(Instance(id).state, "active");
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM kv"), 0);
  // The step succeeds: both are committed.
  s = engine_->CompleteJobWith("t1", jobs[0].job_id, core::Json{{"x", 2}}, [](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO kv (tenant_id, key, value) VALUES ($1, $2, $3)", {"t1", "executed", "second"}));
    return core::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(Instance(id).state, "completed");
  EXPECT_EQ(Instance(id).variables["x"], 2);
  EXPECT_EQ(ReadInt(*db_, "SELECT count(*) FROM kv WHERE value = 'second'"), 1);
  // A job that is gone fails before the step runs.
  bool ran = false;
  s = engine_->CompleteJobWith("t1", jobs[0].job_id, core::Json::object(), [&](Tx&) -> core::Status {
    ran = true;
    return core::OkStatus();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kNotFound);
  EXPECT_FALSE(ran);
}

// --- The worker role ------------------------------------------------------------

// Activates and completes jobs until none is left in the database; each
// completion inserts its execution row in the same command. Completions that
// lose a race (the job's lock ran out and another worker completed it; a
// deadlock between nodes) are expected and retried or dropped.
TEST(MultiNode, DISABLED_WorkerRole) {
  const char* name = std::getenv(kEnvWorker);
  const char* url = std::getenv(kEnvUrl);
  const char* tenant = std::getenv(kEnvTenant);
  ASSERT_TRUE(name != nullptr && url != nullptr && tenant != nullptr) << "started by MultiNode tests only";
  auto db = store::Database::Open(PgOptions(url));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  ASSERT_TRUE((*db)->writer().Start().ok());
  Engine engine(**db);
  const std::string worker(name), t(tenant);
  // Completions run asynchronously: while one activated batch completes, the
  // next is activated (at most two batches in flight).
  std::mutex mu;
  std::condition_variable cv;
  int64_t outstanding = 0, completed = 0, lost = 0, retried = 0;  // GUARDED_BY(mu)
  std::optional<core::Error> failure;                             // GUARDED_BY(mu)
  std::function<void(std::string, int)> submit = [&](std::string job_id, int attempt) {
    engine.CompleteJobWithAsync(
        t, job_id, core::Json::object(),
        [job_id, &worker](Tx& tx) -> core::Status {
          AW_TRY(tx.Exec("INSERT INTO multinode_executions (job_id, worker) VALUES ($1, $2)", {job_id, worker}));
          return core::OkStatus();
        },
        [&, job_id, attempt](core::Status s) {
          // On the writer thread: resubmitting only queues (no blocking call).
          std::lock_guard lock(mu);
          if (s.ok()) {
            ++completed;
          } else if (s.error().code() == core::ErrorCode::kConflict && attempt < 5) {
            ++retried;  // a deadlock with another node: try again at once
            submit(job_id, attempt + 1);
            return;
          } else if (s.error().code() == core::ErrorCode::kNotFound ||
                     s.error().code() == core::ErrorCode::kFailedPrecondition ||
                     s.error().code() == core::ErrorCode::kConflict) {
            ++lost;  // completed by another worker after our lock ran out, or left to the lock timeout
          } else if (!failure) {
            failure = s.error();
          }
          --outstanding;
          cv.notify_all();
        });
  };
  const int kBatch = 200;
  for (;;) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return outstanding <= kBatch; });
      ASSERT_FALSE(failure.has_value()) << failure->ToString();
    }
    auto jobs = engine.ActivateJobs(t, kJobType, worker, kBatch, kLockTimeout);
    if (!jobs.ok() && jobs.error().code() == core::ErrorCode::kConflict) continue;
    ASSERT_TRUE(jobs.ok()) << jobs.error().ToString();
    if (jobs->empty()) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return outstanding == 0; });
      }
      auto left = Count(**db, "SELECT count(*) FROM engine_jobs WHERE tenant_id = $1", {t});
      ASSERT_TRUE(left.ok()) << left.error().ToString();
      if (*left == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // locked by others: wait for them or their timeout
      continue;
    }
    {
      std::lock_guard lock(mu);
      outstanding += static_cast<int64_t>(jobs->size());
    }
    for (const ActivatedJob& job : *jobs) submit(job.job_id, 0);
  }
  {
    std::lock_guard lock(mu);
    ASSERT_FALSE(failure.has_value()) << failure->ToString();
    std::cout << fmt::format("worker {}: completed {}, lost races {}, retried after conflicts {}\n", worker,
                             completed, lost, retried);
  }
  (*db)->Close();
}

// --- The test -------------------------------------------------------------------

class MultiNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_url_ = store::testing::PgBaseUrl();
    if (base_url_.empty()) GTEST_SKIP() << "AMTSWEG_TEST_PG_URL is not set; the multi-node test needs PostgreSQL";
    schema_ = "mn_" + store::testing::RandomSuffix();
    PgExec("CREATE SCHEMA " + schema_);
    url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
  }
  void TearDown() override {
    for (pid_t pid : pids_) {
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
    if (!schema_.empty()) PgExec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  void PgExec(const std::string& sql) {
    try {
      pqxx::connection c(base_url_);
      pqxx::nontransaction tx(c);
      tx.exec(sql);
    } catch (const std::exception& e) {
      FAIL() << "PostgreSQL: " << e.what();
    }
  }

  // Starts this binary in the worker role; its output goes to `log`.
  pid_t Spawn(const std::string& name, const std::string& tenant, const std::string& log) {
    std::vector<std::string> args{"/proc/self/exe", "--gtest_also_run_disabled_tests",
                                  "--gtest_filter=MultiNode.DISABLED_WorkerRole", "--gtest_color=no"};
    std::vector<std::string> env{fmt::format("{}={}", kEnvWorker, name), fmt::format("{}={}", kEnvUrl, url_),
                                 fmt::format("{}={}", kEnvTenant, tenant)};
    for (char** e = environ; *e != nullptr; ++e) {
      std::string_view v(*e);
      if (!v.starts_with("AMTSWEG_MULTINODE_") && !v.starts_with("GTEST_")) env.emplace_back(v);
    }
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    EXPECT_EQ(rc, 0) << "posix_spawn failed";
    pids_.push_back(rc == 0 ? pid : -1);
    return rc == 0 ? pid : -1;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string base_url_, schema_, url_;
  std::vector<pid_t> pids_;
};

TEST_F(MultiNodeTest, ThreeProcessesRunEveryJobOnceAlsoWhenOneIsKilled) {
  const int jobs = JobCount();
  const int instances = jobs / kItemsPerInstance;
  const std::string tenant = "multinode";
  auto opened = store::Database::Open(PgOptions(url_));
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  std::unique_ptr<store::Database> db = std::move(*opened);
  ASSERT_TRUE(db->Migrate().ok());
  ASSERT_TRUE(db->writer().Start().ok());
  // The workers' record of what they executed (test data, not a migration).
  ASSERT_TRUE(db->writer().Run([](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("CREATE TABLE multinode_executions (job_id TEXT NOT NULL, worker TEXT NOT NULL, "
                   "at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())"));
    return core::OkStatus();
  }).ok());
  Engine engine(*db);
  ASSERT_TRUE(engine.Deploy(tenant, {{"fan_out.bpmn", Model()}}).ok());

  // Create the jobs: `instances` starts, 256 in flight, each making 20 jobs.
  auto t0 = Clock::now();
  {
    std::mutex mu;
    std::condition_variable cv;
    int in_flight = 0;
    std::optional<core::Error> failure;
    for (int i = 0; i < instances; ++i) {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < 256; });
      ++in_flight;
      lock.unlock();
      engine.StartInstanceAsync(tenant, "fan_out", core::Json{{"n", i}}, [&](core::Result<std::string> id) {
        std::lock_guard l(mu);
        --in_flight;
        if (!id.ok() && !failure) failure = id.error();
        cv.notify_all();
      });
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
    ASSERT_FALSE(failure.has_value()) << failure->ToString();
  }
  double create_s = std::chrono::duration<double>(Clock::now() - t0).count();
  auto created = db->Read([&](Tx& tx) -> core::Result<std::set<std::string>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT job_id FROM engine_jobs WHERE tenant_id = $1", {tenant}));
    std::set<std::string> ids;
    for (const Row& r : rows) ids.insert(r.Text(0));
    return ids;
  });
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  ASSERT_EQ(created->size(), static_cast<size_t>(jobs));

  // Three workers; the first is killed halfway while it holds locked jobs.
  auto t1 = Clock::now();
  std::vector<std::string> names{"node-0", "node-1", "node-2"}, logs;
  for (const auto& n : names) {
    logs.push_back((std::filesystem::temp_directory_path() / fmt::format("aw-{}-{}.log", schema_, n)).string());
    ASSERT_GT(Spawn(n, tenant, logs.back()), 0);
  }
  std::set<std::string> orphans;  // locked by node-0 when it died
  int64_t executed_at_kill = 0;
  const auto deadline = Clock::now() + std::chrono::minutes(10);
  for (;;) {
    ASSERT_LT(Clock::now(), deadline) << "node-0 never reached half the jobs while holding locks";
    auto done = Count(*db, "SELECT count(*) FROM multinode_executions", {});
    ASSERT_TRUE(done.ok()) << done.error().ToString();
    int status = 0;
    ASSERT_EQ(waitpid(pids_[0], &status, WNOHANG), 0) << "node-0 ended before it was killed:\n" << ReadFile(logs[0]);
    if (*done >= jobs / 2) {
      auto held = Count(*db, "SELECT count(*) FROM engine_jobs WHERE tenant_id = $1 AND worker = $2 AND state = 'activated'",
                        {tenant, names[0]});
      ASSERT_TRUE(held.ok());
      if (*held > 0) {
        kill(pids_[0], SIGKILL);
        waitpid(pids_[0], &status, 0);
        pids_[0] = -1;
        executed_at_kill = *done;
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Dead now: what it held is final. Its last batch may have committed just before the kill.
  auto held = db->Read([&](Tx& tx) -> core::Result<std::set<std::string>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT job_id FROM engine_jobs WHERE tenant_id = $1 AND worker = $2 "
                                            "AND state = 'activated'",
                                            {tenant, names[0]}));
    std::set<std::string> ids;
    for (const Row& r : rows) ids.insert(r.Text(0));
    return ids;
  });
  ASSERT_TRUE(held.ok());
  orphans = std::move(*held);

  for (size_t i = 1; i < pids_.size(); ++i) {
    int status = 0;
    for (;;) {
      pid_t r = waitpid(pids_[i], &status, WNOHANG);
      if (r == pids_[i]) break;
      ASSERT_LT(Clock::now(), deadline) << names[i] << " did not finish:\n" << ReadFile(logs[i]);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pids_[i] = -1;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << names[i] << " failed:\n" << ReadFile(logs[i]);
  }
  double run_s = std::chrono::duration<double>(Clock::now() - t1).count();

  // Every job executed exactly once, none left, every instance completed.
  auto executions = db->Read([&](Tx& tx) -> core::Result<std::vector<std::pair<std::string, std::string>>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT job_id, worker FROM multinode_executions"));
    std::vector<std::pair<std::string, std::string>> out;
    for (const Row& r : rows) out.emplace_back(r.Text(0), r.Text(1));
    return out;
  });
  ASSERT_TRUE(executions.ok()) << executions.error().ToString();
  std::map<std::string, int> times;
  std::map<std::string, std::string> by;
  std::map<std::string, int> per_worker;
  for (const auto& [job, worker] : *executions) {
    times[job]++;
    by[job] = worker;
    per_worker[worker]++;
  }
  EXPECT_EQ(executions->size(), static_cast<size_t>(jobs)) << "executions recorded";
  int twice = 0;
  for (const auto& [job, n] : times) twice += n > 1 ? 1 : 0;
  EXPECT_EQ(twice, 0) << "jobs executed more than once";
  size_t missing = 0;
  for (const std::string& id : *created) missing += times.count(id) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << "jobs never executed";
  EXPECT_EQ(*Count(*db, "SELECT count(*) FROM engine_jobs WHERE tenant_id = $1", {tenant}), 0);
  EXPECT_EQ(*Count(*db, "SELECT count(*) FROM engine_instances WHERE tenant_id = $1 AND state = 'completed'", {tenant}),
            instances);
  // The killed worker's locked jobs came back after the lock timeout and the others did them.
  EXPECT_FALSE(orphans.empty());
  for (const std::string& id : orphans) {
    auto it = by.find(id);
    ASSERT_NE(it, by.end()) << "job " << id << " locked by the killed worker was lost";
    EXPECT_NE(it->second, names[0]);
  }
  EXPECT_GT(per_worker[names[0]], 0);
  std::cout << fmt::format(
      "multi-node: {} jobs in {} instances created in {:.1f} s ({:.0f} jobs/s); 3 workers ran them in {:.1f} s "
      "({:.0f} jobs/s incl. the {} s lock timeout); node-0 killed after {} executions holding {} locked jobs; "
      "executions per worker: node-0 {}, node-1 {}, node-2 {}\n",
      jobs, instances, create_s, jobs / create_s, run_s, jobs / run_s, kLockTimeout.count(), executed_at_kill,
      orphans.size(), per_worker[names[0]], per_worker[names[1]], per_worker[names[2]]);
  for (size_t i = 1; i < logs.size(); ++i) {
    std::string text = ReadFile(logs[i]);
    auto p = text.find("worker ");
    if (p != std::string::npos) std::cout << text.substr(p, text.find('\n', p) - p) << "\n";
  }
  for (const auto& l : logs) std::filesystem::remove(l);
  db->Close();
}

}  // namespace
}  // namespace amtsweg::engine
