#include "records/scheduler.h"

#include "core/log.h"
#include "records/bescheid.h"
#include "records/retention.h"

namespace amtsweg::records {

Scheduler::Scheduler(Records& records, SchedulerOptions options) : records_(records), options_(options) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Loop() {
  auto next_retention = std::chrono::steady_clock::now() + options_.retention_delay;
  for (;;) {
    bool busy = false;
    auto handled = RunBescheidJobs(records_, options_.max_bescheid_jobs);
    if (!handled.ok()) {
      core::LogWarn("Bescheid worker failed; retrying", {{"error", handled.error().ToString()}});
    } else {
      busy = *handled >= options_.max_bescheid_jobs;
    }
    if (std::chrono::steady_clock::now() >= next_retention) {
      next_retention = std::chrono::steady_clock::now() + options_.retention_interval;
      auto reports = RunRetention(records_, {});
      if (!reports.ok()) {
        core::LogWarn("retention job failed; next run in a day", {{"error", reports.error().ToString()}});
      } else {
        for (const auto& r : *reports) {
          core::LogInfo("retention job ran", {{"tenant", r.value("tenant", "")},
                                              {"cases", std::to_string(r["counts"].value("cases", 0))},
                                              {"report", r.value("reportId", "")}});
        }
      }
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (!busy) cv_.wait_for(lock, options_.bescheid_interval, [this] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace amtsweg::records
