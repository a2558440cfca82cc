#include "http/http_bench.h"

#include <sys/stat.h>

#include <sstream>

#include <gtest/gtest.h>

namespace amtsweg::http {
namespace {

constexpr std::string_view kWrkOutput = R"(Running 10s test @ http://127.0.0.1:41234/healthz
  2 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.23ms  456.78us  12.34ms   78.90%
    Req/Sec    30.12k     2.34k   35.67k    70.00%
  Latency Distribution
     50%  850.00us
     75%    1.50ms
     90%    2.00ms
     99%    4.25ms
  600123 requests in 10.00s, 80.00MB read
  Socket errors: connect 0, read 2, write 1, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  60012.30
Transfer/sec:      8.00MB
)";

TEST(WrkOutput, ParsesThroughputLatenciesAndErrors) {
  auto r = ParseWrkOutput(kWrkOutput);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_DOUBLE_EQ(r->requests_per_sec, 60012.30);
  EXPECT_DOUBLE_EQ(r->p50_us, 850.0);
  EXPECT_DOUBLE_EQ(r->p99_us, 4250.0);
  EXPECT_EQ(r->requests, 600123u);
  EXPECT_EQ(r->socket_errors, 6u);
  EXPECT_EQ(r->non_2xx, 7u);
}

TEST(WrkOutput, SecondsAndMissingLines) {
  std::string text(kWrkOutput);
  text.replace(text.find("4.25ms"), 6, "1.02s");
  auto r = ParseWrkOutput(text);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->p99_us, 1.02e6);
  EXPECT_FALSE(ParseWrkOutput("Requests/sec: 10\n").ok());
}

bool HaveWrk() {
  struct stat st {};
  return ::stat("/usr/bin/wrk", &st) == 0;
}

TEST(HttpBench, RunsWrkAgainstTheServerAndPrintsTheStableLine) {
  if (!HaveWrk()) GTEST_SKIP() << "wrk is not installed";
  HttpBenchOptions o;
  o.duration = std::chrono::seconds(1);
  o.warmup = std::chrono::seconds(0);
  o.connections = 10;
  o.wrk_threads = 1;
  std::ostringstream out;
  auto r = RunHttpBench(o, out);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_GT(r->requests_per_sec, 100);
  EXPECT_GT(r->p99_us, 0);
  std::string first_line = out.str().substr(0, out.str().find('\n'));
  EXPECT_TRUE(first_line.starts_with("http.healthz 1 ")) << first_line;
  EXPECT_NE(out.str().find("Requests/sec:"), std::string::npos);
}

}  // namespace
}  // namespace amtsweg::http
