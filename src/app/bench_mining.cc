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
// Every case also has a `cases` row (service "bench-mining", one of three
// departments in turn), so the tenant dashboard (analytics/overview) has
// 100,000 applications to count. The dashboard routes are then called over
// real HTTP (http::Server on a loopback port, http::Fetch), p50/p95 per route.
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
#include "catalog/catalog.h"
#include "core/metrics.h"
#include "core/id.h"
#include "engine/engine.h"
#include "http/client.h"
#include "http/router.h"
#include "http/server.h"
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
  catalog::Catalog catalog(*db);
  const std::vector<std::string> departments = {"ordnungsamt", "bauamt", "tiefbau"};
  AW_TRY(catalog.CreateTenant({{"id", kTenant}, {"name", "Amt Bench"}, {"type", "Amt"}, {"ars", "010595988000"}}));
  for (const auto& d : departments) AW_TRY(catalog.CreateDepartment(kTenant, {{"id", d}, {"name", d}}));
  AW_TRY(catalog.AddFormVersion(
      kTenant, {{"id", "bench-mining"},
                {"type", "default"},
                {"components", {{{"type", "textfield"}, {"key", "name"}, {"label", "Name"}}}}}));
  AW_TRY(catalog.CreateService(kTenant, {{"id", "bench-mining"}, {"leika", "99108011000000"}, {"published", true},
                                         {"name", {{"de", "Mining"}}}, {"processingTimeDays", 1},
                                         {"form", {{"id", "bench-mining"}, {"version", 1}}},
                                         {"process", {{"id", "mining"}}},
                                         {"responsibility", {{"department", "ordnungsamt"}}}}));
  auto t_write = Clock::now();
  AW_TRY(analytics::WriteSyntheticLog(*db, {.tenant = kTenant,
                                             .process_id = "mining",
                                             .definition_key = dep.definitions.at(0).definition_key,
                                             .cases = cases,
                                             .activities = kActivities,
                                             .per_case = kPerCase,
                                             .service_id = "bench-mining",
                                             .departments = departments}));
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

  // The dashboard routes over real HTTP: a server on a loopback port, one
  // connection per call (http::Fetch), the body read completely.
  http::Router router;
  api::RegisterAnalyticsRoutes(router, {db.get(), nullptr});
  core::metrics::Registry metrics;
  http::Options ho;
  ho.port = 0;
  ho.threads = 2;
  ho.access_log = false;
  AW_ASSIGN_OR_RETURN(auto server, http::Server::Start(ho, router, metrics));
  const std::string origin = fmt::format("http://127.0.0.1:{}", server->port());
  const std::string process = fmt::format("/api/v1/tenants/{}/analytics/processes/mining/", kTenant);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"overview", fmt::format("/api/v1/tenants/{}/analytics/overview", kTenant)},
      {"overview_week", fmt::format("/api/v1/tenants/{}/analytics/overview?interval=week", kTenant)},
      {"dfg", process + "dfg"},
      {"variants", process + "variants"},
      {"durations", process + "durations"},
      {"activities", process + "activities"},
      {"open", process + "open"}};
  std::vector<double> api_ms;
  std::vector<std::vector<double>> per_route(routes.size());
  size_t overview_bytes = 0;
  for (int r = 0; r < api_rounds; ++r) {
    for (size_t i = 0; i < routes.size(); ++i) {
      auto t0 = Clock::now();
      auto resp = http::Fetch({.url = origin + routes[i].second}, {.timeout = std::chrono::minutes(2)});
      double ms = Ms(Clock::now() - t0);
      if (!resp.ok()) return std::move(resp).error();
      if (resp->status != 200) {
        return core::Internal(fmt::format("bench route {} answered {}: {}", routes[i].second, resp->status,
                                          resp->body.substr(0, 300)));
      }
      if (i == 0) overview_bytes = resp->body.size();
      per_route[i].push_back(ms);
      api_ms.push_back(ms);
    }
  }
  server->Stop(std::chrono::seconds(1));
  for (size_t i = 0; i < routes.size(); ++i) {
    const auto& ms = per_route[i];
    out << fmt::format("{}_dashboard_http_{} {} {:.0f} {:.0f} {:.2f}\n", backend, routes[i].first, ms.size(),
                       Pct(ms, 0.5) * 1000, Pct(ms, 0.95) * 1000, 1000.0 / Pct(ms, 0.5));
  }
  out << fmt::format("{}_mining_dashboard_api {} {:.0f} {:.0f} {:.1f}\n", backend, api_ms.size(),
                     Pct(api_ms, 0.5) * 1000, Pct(api_ms, 0.95) * 1000, 1000.0 / Pct(api_ms, 0.5));
  out << fmt::format("# {}: dashboard routes over HTTP (overview, overview weekly, dfg, variants, durations, "
                     "activities, open) p50 {:.0f} ms, p95 {:.0f} ms over {} calls; overview body {} bytes\n",
                     backend, Pct(api_ms, 0.5), Pct(api_ms, 0.95), api_ms.size(), overview_bytes);
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
  const int cases = 100'000, runs = 3, api_rounds = 5;
  out << fmt::format("mining bench: {} cases x {} activity instances = {} history rows, {} activities; "
                     "{} runs; then {} dashboard calls over HTTP\n",
                     cases, kPerCase, cases * kPerCase * 2, kActivities, runs, api_rounds * 7);
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
