#include "http/http_bench.h"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <ostream>
#include <vector>

#include <fmt/format.h>

#include "core/metrics.h"
#include "http/server.h"

extern char** environ;

namespace amtsweg::http {
namespace {

// "1.23ms" → 1230 µs; units of wrk: us, ms, s, m.
std::optional<double> ParseDurationUs(std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  std::string_view unit(end);
  if (unit == "us") return v;
  if (unit == "ms") return v * 1e3;
  if (unit == "s") return v * 1e6;
  if (unit == "m") return v * 60e6;
  return std::nullopt;
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == ',')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ',') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

uint64_t ToU64(std::string_view s) { return std::strtoull(std::string(s).c_str(), nullptr, 10); }

// Runs `argv` and returns its stdout and stderr.
core::Result<std::string> RunProcess(const std::vector<std::string>& args) {
  int fds[2];
  if (::pipe(fds) != 0) return core::Unavailable(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return core::Unavailable("cannot run " + args[0] + ": " + std::strerror(rc));
  }
  std::string output;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return core::Unavailable(args[0] + " failed (status " + std::to_string(status) + "): " + output);
  }
  return output;
}

// CPU seconds (user + system) of this process or of its waited-for children.
double CpuSeconds(int who) {
  rusage u{};
  ::getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

core::Result<WrkResult> ParseWrkOutput(std::string_view text) {
  WrkResult r;
  r.raw = std::string(text);
  bool have_rps = false, have_p50 = false, have_p99 = false;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto w = Words(line);
    if (w.empty()) continue;
    if (w[0] == "Requests/sec:" && w.size() >= 2) {
      r.requests_per_sec = std::strtod(std::string(w[1]).c_str(), nullptr);
      have_rps = true;
    } else if ((w[0] == "50%" || w[0] == "99%") && w.size() >= 2) {
      auto us = ParseDurationUs(w[1]);
      if (!us) return core::InvalidArgument("wrk output: bad latency '" + std::string(w[1]) + "'");
      (w[0] == "50%" ? r.p50_us : r.p99_us) = *us;
      (w[0] == "50%" ? have_p50 : have_p99) = true;
    } else if (w.size() >= 3 && w[1] == "requests" && w[2] == "in") {
      r.requests = ToU64(w[0]);
    } else if (w[0] == "Socket" && w.size() >= 10) {
      // Socket errors: connect 0, read 0, write 0, timeout 0
      r.socket_errors = ToU64(w[3]) + ToU64(w[5]) + ToU64(w[7]) + ToU64(w[9]);
    } else if (w[0] == "Non-2xx" && w.size() >= 5) {
      r.non_2xx = ToU64(w[4]);
    }
  }
  if (!have_rps || !have_p50 || !have_p99) {
    return core::InvalidArgument("wrk output lacks Requests/sec or the 50%/99% latency lines (run with --latency)");
  }
  return r;
}

core::Result<WrkResult> RunHttpBench(const HttpBenchOptions& options, std::ostream& out) {
  Router router;
  router.Get(
      "/healthz",
      [](Request&) -> core::Result<Response> { return Response::Bytes(R"({"status":"ok"})", "application/json"); },
      {.summary = "Liveness probe", .tag = "ops"});
  core::metrics::Registry metrics;
  Options server_options;
  server_options.port = 0;
  server_options.threads = options.server_threads;
  server_options.access_log = options.access_log;
  server_options.max_connections = std::max(options.connections * 2, 1000);
  auto started = Server::Start(server_options, router, metrics);
  if (!started.ok()) return std::move(started).error().WithContext("starting the bench server");
  auto& server = **started;
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/healthz";

  auto wrk_args = [&](std::chrono::seconds d) {
    return std::vector<std::string>{options.wrk,
                                    "-t" + std::to_string(options.wrk_threads),
                                    "-c" + std::to_string(options.connections),
                                    "-d" + std::to_string(d.count()) + "s",
                                    "--latency",
                                    url};
  };
  if (options.warmup.count() > 0) {
    auto warm = RunProcess(wrk_args(options.warmup));
    if (!warm.ok()) return std::move(warm).error();
  }
  // CPU per request tells more than requests/s on a machine shared with
  // other work: it does not depend on how much of the CPU we were given.
  double server_cpu0 = CpuSeconds(RUSAGE_SELF), wrk_cpu0 = CpuSeconds(RUSAGE_CHILDREN);
  std::vector<WrkResult> runs;
  for (int i = 0; i < std::max(1, options.runs); ++i) {
    auto output = RunProcess(wrk_args(options.duration));
    if (!output.ok()) return std::move(output).error();
    auto parsed = ParseWrkOutput(*output);
    if (!parsed.ok()) return std::move(parsed).error();
    runs.push_back(std::move(*parsed));
  }
  double server_cpu = CpuSeconds(RUSAGE_SELF) - server_cpu0, wrk_cpu = CpuSeconds(RUSAGE_CHILDREN) - wrk_cpu0;
  server.Stop(std::chrono::seconds(2));

  std::vector<double> rps, p50, p99;
  WrkResult summary;
  for (const auto& r : runs) {
    rps.push_back(r.requests_per_sec);
    p50.push_back(r.p50_us);
    p99.push_back(r.p99_us);
    summary.requests += r.requests;
    summary.socket_errors += r.socket_errors;
    summary.non_2xx += r.non_2xx;
  }
  summary.requests_per_sec = Median(rps);
  summary.p50_us = Median(p50);
  summary.p99_us = Median(p99);
  out << fmt::format("http.healthz {} {:.1f} {:.1f} {:.0f}\n", runs.size(), summary.p50_us, summary.p99_us,
                     summary.requests_per_sec);
  if (summary.requests > 0) {
    out << fmt::format("cpu per request: server {:.2f} us ({} threads), wrk {:.2f} us\n",
                       server_cpu * 1e6 / static_cast<double>(summary.requests), options.server_threads,
                       wrk_cpu * 1e6 / static_cast<double>(summary.requests));
  }
  for (const auto& r : runs) {
    out << r.raw;
    summary.raw += r.raw;
  }
  out.flush();
  if (summary.socket_errors > 0 || summary.non_2xx > 0) {
    return core::Internal(fmt::format("wrk saw {} socket errors and {} non-2xx responses", summary.socket_errors,
                                      summary.non_2xx));
  }
  return summary;
}

}  // namespace amtsweg::http
