#include "engine/engine_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "core/id.h"
#include "engine/engine.h"
#include "store/database.h"

namespace amtsweg::engine {
namespace {

using Clock = std::chrono::steady_clock;

const char* kServiceModel = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench" targetNamespace="http://amtsweg.de/bench">
  <bpmn:process id="bench_service" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="bench"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>)";

const char* kXorModel = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench2" targetNamespace="http://amtsweg.de/bench">
  <bpmn:process id="bench_xor" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="gw" default="f_small"/>
    <bpmn:serviceTask id="big"><bpmn:extensionElements><zeebe:taskDefinition type="bench"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:serviceTask id="small"><bpmn:extensionElements><zeebe:taskDefinition type="bench"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end1"/><bpmn:endEvent id="end2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
    <bpmn:sequenceFlow id="f_big" sourceRef="gw" targetRef="big"><bpmn:conditionExpression>=amount &gt; 100</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_small" sourceRef="gw" targetRef="small"/>
    <bpmn:sequenceFlow id="f2" sourceRef="big" targetRef="end1"/>
    <bpmn:sequenceFlow id="f3" sourceRef="small" targetRef="end2"/>
  </bpmn:process>
</bpmn:definitions>)";

const char* kUserTaskModel = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench3" targetNamespace="http://amtsweg.de/bench">
  <bpmn:process id="bench_user" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review" name="Antrag prüfen"><bpmn:extensionElements>
      <zeebe:assignmentDefinition candidateGroups="bauamt"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>)";

// Resident set of this process in bytes (Linux), -1 when unknown.
int64_t RssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

// Bytes the database holds: SQLite pages (the WAL included, as the reader sees
// them); PostgreSQL the total size (heap, indexes, TOAST) of the current schema's tables.
core::Result<int64_t> DatabaseBytes(store::Database& db) {
  return db.Read([](store::Tx& tx) -> core::Result<int64_t> {
    if (tx.dialect() == store::Dialect::kSqlite) {
      AW_ASSIGN_OR_RETURN(auto pages, tx.QueryOne("PRAGMA page_count"));
      AW_ASSIGN_OR_RETURN(auto size, tx.QueryOne("PRAGMA page_size"));
      return pages->Int(0) * size->Int(0);
    }
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint "
                                              "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                              "WHERE n.nspname = current_schema() AND c.relkind = 'r'"));
    return row->Int(0);
  });
}

// Starts `n` instances of the user-task model (at most `window` in flight) and
// leaves them waiting; growth of RSS and database per instance.
core::Result<EngineBenchResult::Waiting> RunWaiting(store::Database& db, Engine& engine, const std::string& tenant,
                                                    int n, int window) {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;  // GUARDED_BY(mu)
  std::optional<core::Error> failure;
  auto start = [&](int count) -> core::Status {
    for (int i = 0; i < count; ++i) {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < window || failure; });
      if (failure) break;
      ++in_flight;
      lock.unlock();
      engine.StartInstanceAsync(tenant, "bench_user", core::Json{{"applicant", "Erika Mustermann"}, {"amount", i % 200}},
                                [&](core::Result<std::string> id) {
                                  std::lock_guard l(mu);
                                  --in_flight;
                                  if (!id.ok() && !failure) failure = id.error();
                                  cv.notify_all();
                                });
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
    if (failure) return *failure;
    return core::OkStatus();
  };
  AW_TRY(start(std::min(n, 1000)));  // warm caches and statements first: they are not per instance
  AW_ASSIGN_OR_RETURN(int64_t db_before, DatabaseBytes(db));
  int64_t rss_before = RssBytes();
  AW_TRY(start(n));
  AW_ASSIGN_OR_RETURN(int64_t db_after, DatabaseBytes(db));
  int64_t rss_after = RssBytes();
  EngineBenchResult::Waiting w;
  w.instances = n;
  w.rss_bytes_per_instance = static_cast<double>(rss_after - rss_before) / n;
  w.db_bytes_per_instance = static_cast<double>(db_after - db_before) / n;
  return w;
}

// What the bench's in-process worker does with a job: complete it at once.
JobResult BenchHandler(const ActivatedJob& job) {
  (void)job;
  return JobResult{};
}

struct RunResult {
  double ops_per_s = 0;
  std::vector<double> latencies_us;
};

// Runs `n` instances of `process` to completion; returns throughput and latencies.
core::Result<RunResult> RunOnce(Engine& engine, const std::string& tenant, const std::string& process, int n,
                                int window) {
  std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<std::string, Clock::time_point> started;  // GUARDED_BY(mu)
  int in_flight = 0;                                           // GUARDED_BY(mu)
  int completing = 0;                                          // GUARDED_BY(mu) completions not answered yet
  int completed = 0;                                           // GUARDED_BY(mu)
  std::optional<core::Error> failure;                          // GUARDED_BY(mu)
  std::vector<double> latencies;
  latencies.reserve(static_cast<size_t>(n));
  std::mt19937 rng(42);
  // The callbacks refer to these locals: an early return waits for all of them.
  auto fail = [&](core::Error e) -> core::Error {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0 && completing == 0; });
    return e;
  };
  const JobHandler handler = BenchHandler;
  int idle_rounds = 0;
  auto t0 = Clock::now();
  int issued = 0;
  for (;;) {
    {
      std::unique_lock lock(mu);
      if (failure) {
        core::Error e = *failure;
        lock.unlock();
        return fail(std::move(e));
      }
      if (completed == n) break;
    }
    while (issued < n) {
      {
        std::lock_guard lock(mu);
        if (in_flight >= window) break;
        ++in_flight;
      }
      ++issued;
      auto submitted = Clock::now();
      engine.StartInstanceAsync(tenant, process, core::Json{{"amount", static_cast<int>(rng() % 200)}},
                                [&, submitted](core::Result<std::string> id) {
                                  std::lock_guard lock(mu);
                                  --in_flight;
                                  if (!id.ok()) {
                                    failure = id.error();
                                  } else {
                                    started.emplace(std::move(*id), submitted);
                                  }
                                  cv.notify_all();
                                });
    }
    // The in-process worker: its jobs are pushed (created activated and
    // locked for it by the command that creates them, Engine::RegisterWorker);
    // jobs that were not pushed are activated as an external worker would.
    std::vector<ActivatedJob> jobs = engine.TakePushedJobs(tenant, 1024, std::chrono::milliseconds(1));
    if (jobs.empty() && ++idle_rounds % 16 == 0) {
      auto activated = engine.ActivateJobs(tenant, "bench", "bench-worker", 1024, std::chrono::minutes(5));
      if (!activated.ok()) return fail(activated.error());
      jobs = std::move(*activated);
    }
    if (jobs.empty()) continue;
    {
      std::lock_guard lock(mu);
      completing += static_cast<int>(jobs.size());
    }
    for (ActivatedJob& job : jobs) {
      JobResult done = handler(job);
      engine.CompleteJobAsync(tenant, job.job_id, std::move(done.variables),
                              [&, instance = job.instance_id](core::Status s) {
                                auto now = Clock::now();
                                std::lock_guard lock(mu);
                                --completing;
                                if (!s.ok()) {
                                  failure = s.error();
                                } else {
                                  auto it = started.find(instance);
                                  if (it != started.end()) {
                                    latencies.push_back(
                                        std::chrono::duration<double, std::micro>(now - it->second).count());
                                    started.erase(it);
                                  }
                                  ++completed;
                                }
                                cv.notify_all();
                              });
    }
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  RunResult r;
  r.ops_per_s = n / secs;
  r.latencies_us = std::move(latencies);
  return r;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

core::Status RunBackend(const std::string& backend, const std::string& url, const EngineBenchOptions& o,
                        std::ostream& out, EngineBenchResult* result) {
  store::Options so;
  so.url = url;
  AW_ASSIGN_OR_RETURN(auto db, store::Database::Open(so));
  AW_ASSIGN_OR_RETURN(auto applied, db->Migrate());
  (void)applied;
  AW_TRY(db->writer().Start());
  Engine engine(*db);
  // Registered, so the jobs of type "bench" are pushed to it (RunOnce takes them).
  engine.RegisterWorker("bench", BenchHandler, std::chrono::minutes(5));
  std::string tenant = "bench-" + core::NewId();
  AW_ASSIGN_OR_RETURN(auto deployment, engine.Deploy(tenant, {{"service.bpmn", kServiceModel}, {"xor.bpmn", kXorModel},
                                                              {"user.bpmn", kUserTaskModel}}));
  (void)deployment;
  for (auto [name, process] : {std::pair{"engine_service_task", "bench_service"}, std::pair{"engine_xor_feel", "bench_xor"}}) {
    AW_ASSIGN_OR_RETURN(RunResult warm_up, RunOnce(engine, tenant, process, std::max(1, o.instances / 10), o.window));
    (void)warm_up;
    std::vector<double> rates;
    std::vector<double> all_latencies;
    for (int i = 0; i < o.runs; ++i) {
      AW_ASSIGN_OR_RETURN(RunResult r, RunOnce(engine, tenant, process, o.instances, o.window));
      rates.push_back(r.ops_per_s);
      all_latencies.insert(all_latencies.end(), r.latencies_us.begin(), r.latencies_us.end());
    }
    std::sort(rates.begin(), rates.end());
    out << fmt::format("{}_{} {} {:.0f} {:.0f} {:.0f}\n", backend, name, o.runs, Percentile(all_latencies, 0.5),
                       Percentile(all_latencies, 0.99), rates[rates.size() / 2]);
    out.flush();
    if (result != nullptr) result->scenarios.push_back({backend + "_" + name, rates[rates.size() / 2]});
  }
  if (o.waiting > 0) {
    AW_ASSIGN_OR_RETURN(auto w, RunWaiting(*db, engine, tenant, o.waiting, o.window));
    w.backend = backend;
    out << fmt::format("{}_engine_waiting_user_task {} instances: RSS {:+.0f} B/instance, database {:.0f} B/instance\n",
                       backend, w.instances, w.rss_bytes_per_instance, w.db_bytes_per_instance);
    out.flush();
    if (result != nullptr) result->waiting.push_back(w);
  }
  db->Close();
  return core::OkStatus();
}

}  // namespace

core::Status RunEngineBench(const EngineBenchOptions& options, std::ostream& out, EngineBenchResult* result) {
  if (options.instances <= 0 || options.runs <= 0 || options.window <= 0 || options.waiting < 0) {
    return core::InvalidArgument("instances, runs and window must be positive, waiting not negative");
  }
  out << fmt::format("engine bench: {} instances per run, {} runs, {} starts in flight\n", options.instances,
                     options.runs, options.window);
  out << "name runs median_us p99_us ops_per_s\n";
  std::filesystem::path dir = std::filesystem::path(options.sqlite_dir) / ("run-" + core::NewId());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Unavailable("cannot create " + dir.string() + ": " + ec.message());
  core::Status s = RunBackend("sqlite", "sqlite:" + (dir / "engine.db").string(), options, out, result);
  std::filesystem::remove_all(dir, ec);
  AW_TRY(s);
  if (!options.pg_url.empty()) {
    std::string schema = "bench_engine_" + core::NewId().substr(24);
    try {
      pqxx::connection c(options.pg_url);
      pqxx::nontransaction tx(c);
      tx.exec("CREATE SCHEMA " + schema);
    } catch (const std::exception& e) {
      return core::Unavailable(std::string("PostgreSQL: ") + e.what());
    }
    std::string url = options.pg_url + (options.pg_url.find('?') == std::string::npos ? "?" : "&") +
                      "options=-csearch_path%3D" + schema;
    s = RunBackend("postgres", url, options, out, result);
    try {
      pqxx::connection c(options.pg_url);
      pqxx::nontransaction tx(c);
      tx.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (const std::exception&) {
    }
    AW_TRY(s);
  }
  return core::OkStatus();
}

}  // namespace amtsweg::engine
