// `amtsweg bench mining`: the directly-follows graph and the variants of
// 1,000,000 history events (10 activities, 100,000 cases) read from the store,
// and the p50/p95 of the dashboard routes at that size.
//
// The log is synthetic and written straight into engine_instances and
// engine_history (running 100,000 instances through the engine would take
// minutes and measure the engine, not the mining): every case has five
// activity instances of a deployed process with ten service tasks, each an
// element_activated and an element_completed row, so 10 rows per case. The
// path is a random walk (seeded) over the ten activities, giving 81 variants.
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <filesystem>

#include <fmt/format.h>

#include "analytics/analytics_store.h"
#include "analytics/mining.h"
#include "api/analytics_api.h"
#include "app/commands.h"
#include "core/id.h"
#include "engine/engine.h"
#include "http/router.h"
#include "store/database.h"

namespace amtsweg::app {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kActivities = 10;
constexpr int kPerCase = 5;
constexpr const char* kTenant = "bench";

std::string BenchModel() {
  std::string body = R"(<bpmn:startEvent id="start"/>)";
  std::string prev = "start";
  for (int i = 1; i <= kActivities; ++i) {
    std::string id = fmt::format("a{:02}", i);
    body += fmt::format(
        R"(<bpmn:serviceTask id="{0}" name="Activity {1}"><bpmn:extensionElements><zeebe:taskDefinition type="t"/></bpmn:extensionElements></bpmn:serviceTask>)"
        R"(<bpmn:sequenceFlow id="f{1}" sourceRef="{2}" targetRef="{0}"/>)",
        id, i, prev);
    prev = id;
  }
  body += fmt::format(R"(<bpmn:endEvent id="end"/><bpmn:sequenceFlow id="fend" sourceRef="{}" targetRef="end"/>)", prev);
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="mining_definitions" targetNamespace="http://amtsweg.de/bench">
<bpmn:process id="mining" isExecutable="true">{}</bpmn:process>
</bpmn:definitions>)",
                     body);
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of the calling thread in ms (reads run on the calling thread).
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

core::Status RunMiningBackend(const std::string& backend, const std::string& url, int cases, int runs,
                              int api_rounds, std::ostream& out) {
  store::Options so;
  so.url = url;
  AW_ASSIGN_OR_RETURN(auto db, store::Database::Open(so));
  AW_ASSIGN_OR_RETURN(auto applied, db->Migrate());
  (void)applied;
  AW_TRY(db->writer().Start());
  engine::Engine engine(*db);
  AW_ASSIGN_OR_RETURN(auto dep, engine.Deploy(kTenant, {{"mining.bpmn", BenchModel()}}));
  auto t_write = Clock::now();
  AW_TRY(analytics::WriteSyntheticLog(*db, {.tenant = kTenant,
                                             .process_id = "mining",
                                             .definition_key = dep.definitions.at(0).definition_key,
                                             .cases = cases,
                                             .activities = kActivities,
                                             .per_case = kPerCase}));
  out << fmt::format("# {}: wrote {} cases, {} history rows in {:.1f} s\n", backend, cases,
                     static_cast<int64_t>(cases) * kPerCase * 2, Ms(Clock::now() - t_write) / 1000);
  out.flush();

  std::vector<double> load_ms, dfg_ms, var_ms, total_ms, cpu_ms;
  size_t variants = 0, edges = 0;
  for (int r = 0; r < runs; ++r) {
    double c0 = CpuMs();
    auto t0 = Clock::now();
    AW_ASSIGN_OR_RETURN(auto log, analytics::LoadLog(*db, {.tenant = kTenant, .process_id = "mining"}));
    auto t1 = Clock::now();
    analytics::Dfg dfg = analytics::ComputeDfg(log);
    auto t2 = Clock::now();
    auto v = analytics::ComputeVariants(log);
    auto t3 = Clock::now();
    load_ms.push_back(Ms(t1 - t0));
    dfg_ms.push_back(Ms(t2 - t1));
    var_ms.push_back(Ms(t3 - t2));
    total_ms.push_back(Ms(t3 - t0));
    cpu_ms.push_back(CpuMs() - c0);
    variants = v.size();
    edges = dfg.edges.size();
    if (log.cases.size() != static_cast<size_t>(cases)) return core::Internal("bench log lost cases");
  }
  double events = static_cast<double>(cases) * kPerCase * 2;
  auto line = [&](const char* name, const std::vector<double>& ms) {
    out << fmt::format("{}_mining_{} {} {:.0f} {:.0f} {:.0f}\n", backend, name, ms.size(), Pct(ms, 0.5) * 1000,
                       Pct(ms, 1.0) * 1000, events / (Pct(ms, 0.5) / 1000));
  };
  line("load_log", load_ms);
  line("dfg", dfg_ms);
  line("variants", var_ms);
  line("dfg_variants_from_store", total_ms);
  out << fmt::format("# {}: {} variants, {} DFG edges; DFG + variants from the store: median {:.0f} ms "
                     "wall, {:.0f} ms CPU of this thread (target < 1000 ms)\n",
                     backend, variants, edges, Pct(total_ms, 0.5), Pct(cpu_ms, 0.5));
  out.flush();

  // The dashboard routes, called through the router as the server does (no socket).
  http::Router router;
  api::RegisterAnalyticsRoutes(router, {db.get(), nullptr});
  std::vector<double> api_ms;
  for (int r = 0; r < api_rounds; ++r) {
    for (const char* leaf : {"dfg", "variants", "durations", "activities", "open"}) {
      http::Request req;
      req.method = "GET";
      req.path = fmt::format("/api/v1/tenants/{}/analytics/processes/mining/{}", kTenant, leaf);
      req.target = req.path;
      http::RouteMatch m = router.Find("GET", req.path, &req.path_params);
      if (m.kind != http::RouteMatch::Kind::kFound) return core::Internal("bench route not found");
      req.route = m.route->pattern;
      auto t0 = Clock::now();
      auto resp = m.route->handler(req);
      api_ms.push_back(Ms(Clock::now() - t0));
      if (!resp.ok()) return std::move(resp).error();
      if (resp->status != 200) return core::Internal("bench route answered " + std::to_string(resp->status));
    }
  }
  out << fmt::format("{}_mining_dashboard_api {} {:.0f} {:.0f} {:.1f}\n", backend, api_ms.size(),
                     Pct(api_ms, 0.5) * 1000, Pct(api_ms, 0.95) * 1000, 1000.0 / Pct(api_ms, 0.5));
  out << fmt::format("# {}: dashboard routes (dfg, variants, durations, activities, open) p50 {:.0f} ms, "
                     "p95 {:.0f} ms over {} calls\n",
                     backend, Pct(api_ms, 0.5), Pct(api_ms, 0.95), api_ms.size());
  out.flush();
  db->Close();
  return core::OkStatus();
}

// Runs `fn` with a fresh PostgreSQL schema on `base_url`, dropped afterwards.
core::Status WithPgSchema(const std::string& base_url, const std::function<core::Status(const std::string&)>& fn) {
  store::Options so;
  so.url = base_url;
  AW_ASSIGN_OR_RETURN(auto admin, store::Database::Open(so));
  AW_TRY(admin->writer().Start());
  std::string schema = "bench_mining_" + core::NewId().substr(24);
  AW_TRY(admin->writer().Write([&](store::Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("CREATE SCHEMA " + schema));
    return core::OkStatus();
  }));
  std::string url =
      base_url + (base_url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  core::Status s = fn(url);
  (void)admin->writer().Write([&](store::Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("DROP SCHEMA " + schema + " CASCADE"));
    return core::OkStatus();
  });
  admin->Close();
  return s;
}

}  // namespace

int BenchMining(const BenchFlags& flags, std::ostream& out) {
  const int cases = 100'000, runs = 3, api_rounds = 4;
  out << fmt::format("mining bench: {} cases x {} activity instances = {} history rows, {} activities; "
                     "{} runs; then {} dashboard calls\n",
                     cases, kPerCase, cases * kPerCase * 2, kActivities, runs, api_rounds * 5);
  out << "name runs median_us max_us(dashboard: p95_us) events_per_s(dashboard: calls_per_s)\n";
  auto dir = std::filesystem::path("./data") / fmt::format("bench-mining-{}", getpid());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  core::Status s = RunMiningBackend("sqlite", "sqlite:" + (dir / "mining.db").string(), cases, runs, api_rounds, out);
  std::filesystem::remove_all(dir, ec);
  if (s.ok() && flags.pg_url) {
    s = WithPgSchema(*flags.pg_url, [&](const std::string& url) {
      return RunMiningBackend("postgres", url, cases, runs, api_rounds, out);
    });
  }
  if (!s.ok()) {
    ReportError(s.error());
    return 1;
  }
  out << "\n";
  return 0;
}

}  // namespace amtsweg::app
