// Prometheus metrics: counters, gauges and histograms with labels, rendered in
// the Prometheus text exposition format 0.0.4 for GET /metrics.
//
// Thread-safety: every method of every class here is thread-safe. Looking up a
// series (Registry::Counter etc.) takes a mutex; callers on hot paths look a
// series up once and keep the returned reference, which stays valid for the
// registry's lifetime. Updating a series is lock-free (atomics).
#pragma once

#include <atomic>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amtsweg::core::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(double by = 1.0);
  double Value() const;

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double by = 1.0);
  void Dec(double by = 1.0) { Inc(-by); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds` are the upper bounds of the buckets, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bucket (last is +Inf), sum and count, read consistently enough for scraping.
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
  std::atomic<uint64_t> count_{0};
};

// Bucket bounds in seconds for request and commit latencies: 50 µs .. 10 s.
std::vector<double> LatencyBuckets();
// Bucket bounds for sizes (batch sizes, counts): 1, 2, 4, .. 16384.
std::vector<double> SizeBuckets();

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the series of family `name` with `labels`, creating family and
  // series on first use. The first call for a family fixes its help text (and
  // for histograms its buckets). Reusing a name with another type aborts: that
  // is a programming error.
  metrics::Counter& Counter(std::string_view name, std::string_view help, const Labels& labels = {});
  metrics::Gauge& Gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  metrics::Histogram& Histogram(std::string_view name, std::string_view help,
                                const std::vector<double>& bounds, const Labels& labels = {});

  // The text exposition format, families sorted by name.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;
    // Key: rendered label set `{a="x",b="y"}`; values are stable (unique_ptr).
    std::map<std::string, std::unique_ptr<metrics::Counter>> counters;
    std::map<std::string, std::unique_ptr<metrics::Gauge>> gauges;
    std::map<std::string, std::unique_ptr<metrics::Histogram>> histograms;
  };
  Family& GetFamily(std::string_view name, std::string_view help, Type type);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;  // GUARDED_BY(mu_)
};

}  // namespace amtsweg::core::metrics
