// The scheduled orphan sweep: every `interval`, Intake::SweepAllOrphans
// removes attachment files that no case refers to and that are older than
// `min_age` — left by a crash between a file's fsync and its transaction's
// commit, or by a submission whose batch failed. `amtsweg serve` runs one
// (config [intake] sweep_interval_s / sweep_min_age_s).
//
// Each run logs its counts and feeds the metrics
//   amtsweg_intake_orphans_removed_total
//   amtsweg_intake_orphan_sweeps_total{outcome="ok"|"failed"}.
// Thread-safety: Start/Stop from one thread; RunOnce is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/metrics.h"
#include "intake/intake.h"

namespace amtsweg::intake {

struct SweepSchedule {
  std::chrono::seconds interval{3600};  // zero: Start does nothing
  std::chrono::seconds min_age{3600};
};

class OrphanSweeper {
 public:
  // Borrows `intake` and `metrics` (may be null); they outlive the sweeper.
  OrphanSweeper(Intake& intake, SweepSchedule schedule, core::metrics::Registry* metrics);
  ~OrphanSweeper();
  OrphanSweeper(const OrphanSweeper&) = delete;
  OrphanSweeper& operator=(const OrphanSweeper&) = delete;

  // A background thread: the first sweep one interval after Start (a
  // restart after a crash gets its orphans removed once they are old
  // enough), then every interval. Stop wakes it and joins.
  void Start();
  void Stop();

  // One sweep across all tenants, logged and counted.
  core::Result<Intake::SweepReport> RunOnce();

  // Sweeps run so far (by the thread or RunOnce).
  int runs() const;

 private:
  Intake& intake_;
  SweepSchedule schedule_;
  core::metrics::Counter* removed_ = nullptr;
  core::metrics::Counter* ok_ = nullptr;
  core::metrics::Counter* failed_ = nullptr;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  int runs_ = 0;       // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace amtsweg::intake
