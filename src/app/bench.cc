// `amtsweg bench NAME`: end-to-end figures on this machine. Each scenario prints
// one stable line `name runs median_us p99_us ops_per_s` after a header.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/build_info.h"
#include "app/commands.h"
#include "core/time.h"
#include "http/http_bench.h"
#include "engine/engine_bench.h"
#include "store/store_bench.h"

extern char** environ;

namespace amtsweg::app {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

void PrintHeader(std::ostream& out) {
  out << fmt::format("amtsweg bench — version {} commit {} ({}, {})\n", kVersion, kCommit, kCompiler, kBuildType)
      << fmt::format("machine: {} cores, {}\n", std::thread::hardware_concurrency(), CpuModel())
      << fmt::format("date: {}\n\n", core::FormatIso8601(core::SystemClock::Instance().Now(), 0));
}

std::string ReadText(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6));
  }
  return -1;
}

struct ServeSample {
  double startup_ms = -1;
  int64_t rss_kib = -1;
};

// Starts `amtsweg serve` on `db`, measures the time until it listens (its port
// file appears) and its resident memory after a second of idleness, stops it.
core::Result<ServeSample> SampleServe(const std::filesystem::path& dir, const std::string& db) {
  auto port_file = dir / "port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args{"/proc/self/exe", "serve", "--db", db, "--port", "0", "--port-file",
                                port_file.string(), "--static-dir", dir.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envs{"AMTSWEG_LOG_LEVEL=warn"};
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with("AMTSWEG_LOG_LEVEL=")) envs.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);

  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) {
    return core::Unavailable("cannot start amtsweg serve");
  }
  ServeSample s;
  for (int i = 0; i < 20000; ++i) {
    std::string text = ReadText(port_file);
    if (!text.empty() && text.back() == '\n') {
      s.startup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  if (s.startup_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    s.rss_kib = RssKib(pid);
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  if (s.startup_ms < 0) return core::Unavailable("amtsweg serve did not start within 10 s");
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int BenchServe(std::ostream& out) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("amtsweg-bench-serve-{}", getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.html") << "<!doctype html><title>bench</title>";
  constexpr int kRuns = 5;
  std::vector<double> fresh_ms, warm_ms, rss_mib;
  for (int i = 0; i < kRuns; ++i) {
    std::string db = "sqlite:" + (dir / fmt::format("fresh-{}.db", i)).string();
    auto fresh = SampleServe(dir, db);  // new database: migrations run at start
    auto warm = SampleServe(dir, db);   // existing database
    if (!fresh.ok() || !warm.ok()) {
      ReportError(fresh.ok() ? warm.error() : fresh.error());
      std::filesystem::remove_all(dir);
      return 1;
    }
    fresh_ms.push_back(fresh->startup_ms);
    warm_ms.push_back(warm->startup_ms);
    rss_mib.push_back(static_cast<double>(warm->rss_kib) / 1024.0);
  }
  std::filesystem::remove_all(dir);
  auto line = [&](const char* name, const std::vector<double>& ms) {
    double worst = *std::max_element(ms.begin(), ms.end());
    out << fmt::format("{} {} {:.0f} {:.0f} -\n", name, ms.size(), Median(ms) * 1000, worst * 1000);
  };
  out << "# serve: start-up = spawn until listening (port file written); RSS after 1 s idle\n";
  line("serve.startup_new_db", fresh_ms);
  line("serve.startup_existing_db", warm_ms);
  out << fmt::format("serve.idle_rss_mib {} {:.1f} (max {:.1f}) target < 30 MiB\n", rss_mib.size(), Median(rss_mib),
                     *std::max_element(rss_mib.begin(), rss_mib.end()));
  out << fmt::format("serve.startup median {:.1f} ms new database, {:.1f} ms existing; target < 200 ms\n\n",
                     Median(fresh_ms), Median(warm_ms));
  return 0;
}

// Runs a benchmark whose SQLite database lives in a fresh folder under ./data
// (the real disk: /tmp may be RAM, where fsync costs nothing) and removes it.
template <class Options, class Fn>
int BenchOnDisk(const BenchFlags& flags, std::string_view name, Options o, Fn run, std::ostream& out) {
  o.sqlite_dir = fmt::format("./data/bench-{}-{}", name, getpid());
  if (flags.pg_url) o.pg_url = *flags.pg_url;
  core::Status s = run(o, out);
  std::error_code ec;
  std::filesystem::remove_all(o.sqlite_dir, ec);
  if (!s.ok()) {
    ReportError(s.error());
    return 1;
  }
  out << "\n";
  return 0;
}

int BenchStore(const BenchFlags& flags, std::ostream& out) {
  store::StoreBenchOptions o;
  o.build_info = fmt::format("commit {} build {}", kCommit, kBuildType);
  return BenchOnDisk(flags, "store", o, store::RunStoreBench, out);
}

// Where bench/ is: the working directory (make bench runs in the repo) or the source tree.
std::filesystem::path BenchDir() {
  if (std::filesystem::exists("bench/bpmn-engine/run.mjs")) return "bench";
  return std::filesystem::path(AMTSWEG_SOURCE_DIR) / "bench";
}

// The bpmn-engine peer (bench/bpmn-engine/run.mjs): name -> instances/s, and
// its heap per waiting instance. Empty when node or the package is missing.
struct PeerFigures {
  std::map<std::string, double> ops_per_s;
  int waiting = 0;
  double heap_bytes_per_waiting = -1;
  std::string version;
};

// The value of "key": in one line of JSON from run.mjs (numbers and strings only).
std::string JsonField(const std::string& line, const std::string& key) {
  std::string k = "\"" + key + "\":";
  size_t p = line.find(k);
  if (p == std::string::npos) return "";
  p += k.size();
  if (p < line.size() && line[p] == '"') {
    size_t e = line.find('"', p + 1);
    return e == std::string::npos ? "" : line.substr(p + 1, e - p - 1);
  }
  size_t e = line.find_first_of(",}", p);
  return line.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

PeerFigures RunBpmnEngine(double seconds_per_run, int waiting, std::ostream& out) {
  PeerFigures peer;
  auto dir = BenchDir() / "bpmn-engine";
  if (!std::filesystem::exists(dir / "node_modules" / "bpmn-engine")) {
    out << "# bpmn-engine not installed (run make setup: npm ci in bench/bpmn-engine); no side-by-side figures\n";
    return peer;
  }
  std::string cmd = fmt::format("node --expose-gc --max-old-space-size=8192 '{}' {} {} 2>&1",
                                (dir / "run.mjs").string(), seconds_per_run, waiting);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    out << "# bpmn-engine: cannot run node; no side-by-side figures\n";
    return peer;
  }
  char buf[1024];
  while (fgets(buf, sizeof buf, pipe) != nullptr) {
    std::string line(buf);
    std::string name = JsonField(line, "name");
    if (name.empty()) {
      out << "# bpmn-engine: " << line;
    } else if (name == "version") {
      peer.version = JsonField(line, "bpmn_engine") + " on node " + JsonField(line, "node");
    } else if (name == "waiting_user_task") {
      peer.waiting = std::atoi(JsonField(line, "instances").c_str());
      peer.heap_bytes_per_waiting = std::atof(JsonField(line, "heap_bytes_per_instance").c_str());
    } else {
      peer.ops_per_s[name] = std::atof(JsonField(line, "ops_per_s").c_str());
    }
  }
  int rc = pclose(pipe);
  if (rc != 0) out << "# bpmn-engine: run.mjs exited with status " << rc << "\n";
  return peer;
}

int BenchEngine(const BenchFlags& flags, std::ostream& out) {
  engine::EngineBenchResult result;
  int rc = BenchOnDisk(flags, "engine", engine::EngineBenchOptions{},
                       [&](const engine::EngineBenchOptions& o, std::ostream& os) {
                         return engine::RunEngineBench(o, os, &result);
                       },
                       out);
  if (rc != 0) return rc;
  // The same two models in bpmn-engine (Node.js, in memory), in the same command.
  // Its instance rate is far lower, so it runs for a time, not a count.
  const double seconds = flags.seconds > 0 ? flags.seconds : 3;
  const int peer_waiting = 2000;  // about 0.45 MB each: 10,000 would take minutes and GBs
  out << fmt::format("# bpmn-engine: the same models in memory, 3 runs of {} s each, 16 instances in flight; "
                     "conditions as JavaScript compiled once\n",
                     seconds);
  out.flush();
  PeerFigures peer = RunBpmnEngine(seconds, peer_waiting, out);
  if (peer.ops_per_s.empty()) {
    out << "\n";
    return 0;
  }
  if (!peer.version.empty()) out << "# bpmn-engine " << peer.version << "\n";
  out << "name runs median_us p99_us ops_per_s\n";
  for (const auto& [name, rate] : peer.ops_per_s) out << fmt::format("bpmn_{} 3 - - {:.0f}\n", name, rate);
  if (peer.heap_bytes_per_waiting >= 0) {
    out << fmt::format("bpmn_engine_waiting_user_task {} instances: heap {:.0f} B/instance (kept in memory)\n",
                       peer.waiting, peer.heap_bytes_per_waiting);
  }
  for (const auto& s : result.scenarios) {
    // sqlite_engine_service_task -> engine_service_task
    std::string model = s.name.substr(s.name.find('_') + 1);
    auto it = peer.ops_per_s.find(model);
    if (it == peer.ops_per_s.end() || it->second <= 0) continue;
    out << fmt::format("ratio {} / bpmn_{}: {:.1f}x (durable vs in memory; target >= 5x)\n", s.name, model,
                       s.ops_per_s / it->second);
  }
  out << "\n";
  return 0;
}

int BenchHttp(const BenchFlags& flags, std::ostream& out) {
  http::HttpBenchOptions o;
  if (flags.seconds > 0) o.duration = std::chrono::seconds(flags.seconds);
  auto r = http::RunHttpBench(o, out);
  if (!r.ok()) {
    ReportError(r.error());
    return 1;
  }
  out << "\n";
  return 0;
}

}  // namespace

int RunBench(const BenchFlags& flags) {
  std::ostream& out = std::cout;
  PrintHeader(out);
  int rc = 0;
  if (flags.name == "store" || flags.name == "all") rc |= BenchStore(flags, out);
  if (flags.name == "feel" || flags.name == "all") rc |= BenchFeel(out);
  if (flags.name == "engine" || flags.name == "all") rc |= BenchEngine(flags, out);
  if (flags.name == "http" || flags.name == "all") rc |= BenchHttp(flags, out);
  if (flags.name == "serve" || flags.name == "all") rc |= BenchServe(out);
  if (flags.name == "mining" || flags.name == "all") rc |= BenchMining(flags, out);
  if (flags.name == "intake" || flags.name == "all") rc |= BenchIntake(flags, out);
  if (flags.name == "cases") rc |= BenchCases(flags, out);
  out.flush();
  return rc;
}

}  // namespace amtsweg::app
