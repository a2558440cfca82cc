#include "store/store_bench.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "core/time.h"
#include "store/database.h"

namespace amtsweg::store {
namespace {

using Clock = std::chrono::steady_clock;

struct ScenarioResult {
  std::string name;
  int runs = 0;
  double median_us = 0;
  double p99_us = 0;
  double ops_per_s = 0;
  double avg_batch = 0;
  double cpu_us_per_op = 0;  // user + system CPU of the whole process per insert
};

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

constexpr std::string_view kInsert = "INSERT INTO kv (tenant_id, key, value) VALUES ($1, $2, $3)";

// One run: `threads` threads each insert `per_thread` rows through the writer,
// blocking on each. threads == 1 gives one transaction per insert.
core::Status OneRun(Database& db, const std::string& tenant, int threads, int per_thread,
                    std::vector<double>* latencies_us, double* ops_per_s) {
  std::vector<std::vector<double>> lat(threads);
  std::atomic<bool> failed{false};
  std::string first_error;
  std::mutex err_mu;
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      lat[t].reserve(per_thread);
      std::string prefix = std::to_string(t) + "-";
      for (int i = 0; i < per_thread && !failed.load(std::memory_order_relaxed); ++i) {
        std::string key = prefix + std::to_string(i);
        auto t0 = Clock::now();
        core::Status s = db.writer().Run([&](Tx& tx) -> core::Status {
          AW_TRY(tx.Exec(kInsert, {tenant, key, "v"}));
          return core::OkStatus();
        });
        lat[t].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!s.ok()) {
          std::lock_guard lock(err_mu);
          if (!failed.exchange(true)) first_error = s.error().ToString();
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) return core::Internal("bench insert failed: " + first_error);
  for (auto& v : lat) latencies_us->insert(latencies_us->end(), v.begin(), v.end());
  *ops_per_s = static_cast<double>(threads) * per_thread / secs;
  return core::OkStatus();
}

// One run without submitter threads: `window` inserts stay in flight, each
// callback (on the writer thread) submits the next. Shows what the writer
// itself can do when callers do not block a thread per write.
core::Status OneAsyncRun(Database& db, const std::string& tenant, int window, int total,
                         std::vector<double>* latencies_us, double* ops_per_s) {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    int next = 0;
    int answered = 0;
    std::string first_error;
    std::vector<double> lat;
  } st;
  st.lat.reserve(total);
  Writer& w = db.writer();
  std::function<void()> submit_one = [&] {
    int i;
    {
      std::lock_guard lock(st.mu);
      if (st.next >= total) return;
      i = st.next++;
    }
    auto t0 = Clock::now();
    w.Submit(
        [&tenant, i](Tx& tx) -> core::Status {
          AW_TRY(tx.Exec(kInsert, {tenant, std::to_string(i), "v"}));
          return core::OkStatus();
        },
        [&, t0](core::Status s) {
          double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
          {
            std::lock_guard lock(st.mu);
            st.lat.push_back(us);
            if (!s.ok() && st.first_error.empty()) st.first_error = s.error().ToString();
            ++st.answered;
          }
          st.cv.notify_all();
          submit_one();
        });
  };
  auto start = Clock::now();
  for (int k = 0; k < window; ++k) submit_one();
  {
    std::unique_lock lock(st.mu);
    st.cv.wait(lock, [&] { return st.answered == total; });
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  // The last callbacks may still be running on the writer thread (and touch `st`).
  AW_TRY(w.Flush());
  if (!st.first_error.empty()) return core::Internal("bench insert failed: " + st.first_error);
  latencies_us->insert(latencies_us->end(), st.lat.begin(), st.lat.end());
  *ops_per_s = total / secs;
  return core::OkStatus();
}

// threads == 0: OneAsyncRun with a window of `window`.
core::Result<ScenarioResult> Scenario(Database& db, const std::string& name, int threads, int total, int runs,
                                      int window = 0) {
  int per_thread = threads == 0 ? total : std::max(1, total / threads);
  std::vector<double> latencies;
  std::vector<double> rates;
  Writer::Stats before{};
  double cpu_before = 0;
  for (int run = 0; run <= runs; ++run) {  // run 0 is the warm-up
    if (run == 1) {
      before = db.writer().stats();
      cpu_before = ProcessCpuSeconds();
    }
    std::vector<double> lat;
    double rate = 0;
    std::string tenant = name + "-" + std::to_string(run);
    if (threads == 0) {
      AW_TRY(OneAsyncRun(db, tenant, window, total, &lat, &rate));
    } else {
      AW_TRY(OneRun(db, tenant, threads, per_thread, &lat, &rate));
    }
    if (run == 0) continue;
    latencies.insert(latencies.end(), lat.begin(), lat.end());
    rates.push_back(rate);
  }
  Writer::Stats after = db.writer().stats();
  ScenarioResult r;
  r.name = name;
  r.runs = runs;
  r.median_us = Percentile(latencies, 0.5);
  r.p99_us = Percentile(latencies, 0.99);
  r.ops_per_s = Percentile(rates, 0.5);
  uint64_t batches = after.batches - before.batches;
  uint64_t cmds = (after.commands_ok + after.commands_failed) - (before.commands_ok + before.commands_failed);
  r.avg_batch = batches == 0 ? 0 : static_cast<double>(cmds) / static_cast<double>(batches);
  r.cpu_us_per_op = cmds == 0 ? 0 : (ProcessCpuSeconds() - cpu_before) * 1e6 / static_cast<double>(cmds);
  return r;
}

struct BackendResult {
  ScenarioResult single, group, async;
};

// Appends libpq's options parameter so every connection uses `schema`.
std::string WithSearchPath(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

// Runs `sql` (CREATE/DROP SCHEMA) through a connection to the database itself.
core::Status SetupSql(const std::string& url, const std::string& sql) {
  Options so;
  so.url = url;
  so.pg_pool_size = 1;
  AW_ASSIGN_OR_RETURN(auto setup, Database::Open(so));
  AW_TRY(setup->writer().Start());
  return setup->writer().Run([&](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec(sql));
    return core::OkStatus();
  });
}

core::Status Scenarios(const std::string& label, const std::string& url, const StoreBenchOptions& o,
                       std::vector<BackendResult>* results, std::ostream& out) {
  Options opt;
  opt.url = url;
  opt.read_pool_size = 1;
  opt.pg_pool_size = 1;
  AW_ASSIGN_OR_RETURN(auto db, Database::Open(opt));
  auto migrated = db->Migrate();
  if (!migrated.ok()) return std::move(migrated).error();
  AW_TRY(db->writer().Start());
  auto print = [&](const ScenarioResult& r) {
    out << r.name << ' ' << r.runs << ' ' << static_cast<int64_t>(r.median_us) << ' ' << static_cast<int64_t>(r.p99_us)
        << ' ' << static_cast<int64_t>(r.ops_per_s) << '\n';
    out.flush();
  };
  AW_ASSIGN_OR_RETURN(ScenarioResult single, Scenario(*db, label + "_insert_single", 1, o.single_inserts, o.runs));
  print(single);
  AW_ASSIGN_OR_RETURN(ScenarioResult group,
                      Scenario(*db, label + "_insert_group", o.concurrency, o.group_inserts, o.runs));
  print(group);
  AW_ASSIGN_OR_RETURN(ScenarioResult async,
                      Scenario(*db, label + "_insert_group_async", 0, o.group_inserts, o.runs, o.async_window));
  print(async);
  db->Close();
  results->push_back({single, group, async});
  return core::OkStatus();
}

}  // namespace

core::Status RunStoreBench(const StoreBenchOptions& o, std::ostream& out) {
  if (o.runs < 1 || o.single_inserts < 1 || o.group_inserts < 1 || o.concurrency < 1) {
    return core::InvalidArgument("bench store: runs, inserts and concurrency must be at least 1");
  }
  out << "# amtsweg bench store: small durable inserts (kv rows), one transaction each vs group commit\n";
  out << "# date " << core::FormatIso8601(core::SystemClock::Instance().Now(), 0) << ", cores "
      << std::thread::hardware_concurrency() << ", sqlite " << sqlite3_libversion()
      << " (WAL, synchronous=FULL), concurrency " << o.concurrency << ", runs " << o.runs << " after 1 warm-up\n";
  if (!o.build_info.empty()) out << "# " << o.build_info << "\n";
  out << "# backends: sqlite" << (o.pg_url.empty() ? "" : ", postgres") << "\n";
  out << "name runs median_us p99_us ops_per_s\n";
  std::vector<BackendResult> pairs;

  std::filesystem::path dir = std::filesystem::path(o.sqlite_dir) / ("store-bench-" + std::to_string(getpid()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Unavailable("bench store: creating " + dir.string() + ": " + ec.message());
  core::Status s = Scenarios("sqlite", "sqlite:" + (dir / "bench.db").string(), o, &pairs, out);
  std::filesystem::remove_all(dir, ec);
  AW_TRY(s);

  if (!o.pg_url.empty()) {
    std::string schema = "amtsweg_bench_" + std::to_string(getpid());
    AW_TRY(SetupSql(o.pg_url, "CREATE SCHEMA " + schema));
    core::Status pg = Scenarios("postgres", WithSearchPath(o.pg_url, schema), o, &pairs, out);
    core::Status dropped = SetupSql(o.pg_url, "DROP SCHEMA " + schema + " CASCADE");  // also after a failure
    AW_TRY(pg);
    AW_TRY(dropped);
  }

  out << "\n# backend   scenario       ops_per_s  vs_single  avg_batch  cpu_us_per_op\n";
  for (const BackendResult& b : pairs) {
    std::string backend = b.single.name.substr(0, b.single.name.find('_'));
    for (const ScenarioResult* r : {&b.single, &b.group, &b.async}) {
      std::string scenario = r == &b.single ? "single" : r == &b.group ? "group" : "group_async";
      char line[200];
      std::snprintf(line, sizeof(line), "# %-9s %-12s %11.0f %9.1fx %10.1f %14.1f\n", backend.c_str(),
                    scenario.c_str(), r->ops_per_s, b.single.ops_per_s > 0 ? r->ops_per_s / b.single.ops_per_s : 0.0,
                    r->avg_batch, r->cpu_us_per_op);
      out << line;
    }
  }
  return core::OkStatus();
}

}  // namespace amtsweg::store
