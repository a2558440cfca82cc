#include "core/metrics.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace amtsweg::core::metrics {
namespace {

TEST(Metrics, RendersCountersWithLabelsInTextFormat) {
  Registry reg;
  reg.Counter("http_requests_total", "Requests.", {{"route", "/healthz"}, {"status", "200"}}).Inc();
  reg.Counter("http_requests_total", "Requests.", {{"route", "/healthz"}, {"status", "200"}}).Inc(2);
  std::string text = reg.Render();
  EXPECT_NE(text.find("# TYPE http_requests_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("http_requests_total{route=\"/healthz\",status=\"200\"} 3\n"), std::string::npos)
      << text;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry reg;
  auto& h = reg.Histogram("lat_seconds", "Latency.", {0.1, 1.0});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  std::string text = reg.Render();
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_count 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_sum 5.55\n"), std::string::npos) << text;
}

TEST(Metrics, EscapesLabelValues) {
  Registry reg;
  reg.Gauge("g", "G.", {{"path", "a\"b\\c"}}).Set(1);
  EXPECT_NE(reg.Render().find("g{path=\"a\\\"b\\\\c\"} 1\n"), std::string::npos) << reg.Render();
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  Registry reg;
  auto& c = reg.Counter("c_total", "C.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.Inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000);
}

}  // namespace
}  // namespace amtsweg::core::metrics
