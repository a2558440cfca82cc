// `amtsweg bench http`: the HTTP server under wrk, in-process.
//
// Starts a Server on 127.0.0.1 with an ephemeral port and one route,
// GET /healthz → {"status":"ok"}, runs `wrk --latency` against it as a child
// process (after a warm-up run), and prints
//   http.healthz <runs> <median_us> <p99_us> <ops_per_s>
// (medians over the runs of wrk's p50 latency, p99 latency and requests/s),
// followed by each run's raw wrk summary. wrk runs on the same machine and
// competes with the server for the CPU: the figure is for both together.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/result.h"

namespace amtsweg::http {

struct HttpBenchOptions {
  int server_threads = 2;
  int wrk_threads = 2;
  int connections = 100;
  std::chrono::seconds duration{10};
  std::chrono::seconds warmup{2};  // 0: no warm-up run
  int runs = 1;
  bool access_log = false;  // true: every request is logged (to stderr), as in production
  std::string wrk = "wrk";  // program name or path
};

struct WrkResult {
  double requests_per_sec = 0;
  double p50_us = 0;
  double p99_us = 0;
  uint64_t requests = 0;
  uint64_t socket_errors = 0;  // connect + read + write + timeout
  uint64_t non_2xx = 0;
  std::string raw;  // wrk's output
};

// Parses the output of `wrk --latency`. kInvalidArgument when Requests/sec or
// the 50%/99% latency lines are missing.
core::Result<WrkResult> ParseWrkOutput(std::string_view text);

// Runs the benchmark and prints to `out`. kUnavailable: wrk missing or failed,
// or the server could not start. kInternal: wrk saw errors or non-2xx answers.
core::Result<WrkResult> RunHttpBench(const HttpBenchOptions& options, std::ostream& out);

}  // namespace amtsweg::http
