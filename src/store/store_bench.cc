#include "store/store_bench.h"

#include <sqlite3.h>
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
};

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

core::Result<ScenarioResult> Scenario(Database& db, const std::string& name, int threads, int total, int runs) {
  int per_thread = std::max(1, total / threads);
  std::vector<double> latencies;
  std::vector<double> rates;
  Writer::Stats before{};
  for (int run = 0; run <= runs; ++run) {  // run 0 is the warm-up
    if (run == 1) before = db.writer().stats();
    std::vector<double> lat;
    double rate = 0;
    AW_TRY(OneRun(db, name + "-" + std::to_string(run), threads, per_thread, &lat, &rate));
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
  return r;
}

// Appends libpq's options parameter so every connection uses `schema`.
std::string WithSearchPath(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

core::Status Backend(const std::string& label, const std::string& url, const StoreBenchOptions& o,
                     const std::string& setup_url, const std::string& schema,
                     std::vector<std::pair<ScenarioResult, ScenarioResult>>* pairs, std::ostream& out) {
  if (!schema.empty()) {
    // The schema is made through a plain connection to the database itself.
    Options so;
    so.url = setup_url;
    so.pg_pool_size = 1;
    AW_ASSIGN_OR_RETURN(auto setup, Database::Open(so));
    AW_TRY(setup->writer().Start());
    AW_TRY(setup->writer().Run([&](Tx& tx) -> core::Status {
      AW_TRY(tx.Exec("CREATE SCHEMA " + schema));
      return core::OkStatus();
    }));
  }
  Options opt;
  opt.url = url;
  opt.read_pool_size = 1;
  opt.pg_pool_size = 1;
  AW_ASSIGN_OR_RETURN(auto db, Database::Open(opt));
  auto migrated = db->Migrate();
  if (!migrated.ok()) return std::move(migrated).error();
  AW_TRY(db->writer().Start());
  AW_ASSIGN_OR_RETURN(ScenarioResult single, Scenario(*db, label + "_insert_single", 1, o.single_inserts, o.runs));
  out << single.name << ' ' << single.runs << ' ' << static_cast<int64_t>(single.median_us) << ' '
      << static_cast<int64_t>(single.p99_us) << ' ' << static_cast<int64_t>(single.ops_per_s) << '\n';
  out.flush();
  AW_ASSIGN_OR_RETURN(ScenarioResult group,
                      Scenario(*db, label + "_insert_group", o.concurrency, o.group_inserts, o.runs));
  out << group.name << ' ' << group.runs << ' ' << static_cast<int64_t>(group.median_us) << ' '
      << static_cast<int64_t>(group.p99_us) << ' ' << static_cast<int64_t>(group.ops_per_s) << '\n';
  out.flush();
  db->Close();
  pairs->emplace_back(single, group);
  if (!schema.empty()) {
    Options so;
    so.url = setup_url;
    so.pg_pool_size = 1;
    AW_ASSIGN_OR_RETURN(auto setup, Database::Open(so));
    AW_TRY(setup->writer().Start());
    AW_TRY(setup->writer().Run([&](Tx& tx) -> core::Status {
      AW_TRY(tx.Exec("DROP SCHEMA " + schema + " CASCADE"));
      return core::OkStatus();
    }));
  }
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
  out << "# backends: sqlite" << (o.pg_url.empty() ? "" : ", postgres") << "\n";
  out << "name runs median_us p99_us ops_per_s\n";
  std::vector<std::pair<ScenarioResult, ScenarioResult>> pairs;

  std::filesystem::path dir = std::filesystem::path(o.sqlite_dir) / ("store-bench-" + std::to_string(getpid()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Unavailable("bench store: creating " + dir.string() + ": " + ec.message());
  core::Status s = Backend("sqlite", "sqlite:" + (dir / "bench.db").string(), o, "", "", &pairs, out);
  std::filesystem::remove_all(dir, ec);
  AW_TRY(s);

  if (!o.pg_url.empty()) {
    std::string schema = "amtsweg_bench_" + std::to_string(getpid());
    AW_TRY(Backend("postgres", WithSearchPath(o.pg_url, schema), o, o.pg_url, schema, &pairs, out));
  }

  out << "\n# backend  single_ops_per_s  group_ops_per_s  group/single  avg_batch\n";
  for (const auto& [single, group] : pairs) {
    char line[200];
    std::snprintf(line, sizeof(line), "# %-8s %17.0f %16.0f %12.1fx %10.1f\n",
                  single.name.substr(0, single.name.find('_')).c_str(), single.ops_per_s, group.ops_per_s,
                  single.ops_per_s > 0 ? group.ops_per_s / single.ops_per_s : 0.0, group.avg_batch);
    out << line;
  }
  return core::OkStatus();
}

}  // namespace amtsweg::store
