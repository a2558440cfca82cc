#include "engine/scheduler.h"

#include "core/log.h"

namespace amtsweg::engine {

Scheduler::Scheduler(Engine& engine, SchedulerOptions options) : engine_(engine), options_(options) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  if (!timers_.joinable()) timers_ = std::thread([this] { TimerLoop(); });
  if (!workers_.joinable()) workers_ = std::thread([this] { WorkerLoop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (timers_.joinable()) timers_.join();
  if (workers_.joinable()) workers_.join();
}

bool Scheduler::Sleep(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopping_; });
  return !stopping_;
}

bool Scheduler::Stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

void Scheduler::TimerLoop() {
  while (true) {
    auto fired = engine_.FireDueTimers(options_.max_timers_per_round);
    if (!fired.ok()) {
      core::LogWarn("firing due timers failed; retrying", {{"error", fired.error().ToString()}});
    }
    // A full batch: more may be due, go on without a pause.
    bool more = fired.ok() && *fired >= options_.max_timers_per_round;
    if (more ? Stopping() : !Sleep(options_.timer_interval)) return;
  }
}

void Scheduler::WorkerLoop() {
  while (true) {
    bool busy = false;
    std::vector<std::string> types = engine_.WorkerTypes();
    auto tenants = types.empty() ? core::Result<std::vector<std::string>>(std::vector<std::string>{})
                                 : engine_.TenantsWithAvailableJobs(types);
    if (!tenants.ok()) {
      core::LogWarn("looking for jobs of in-process workers failed", {{"error", tenants.error().ToString()}});
    } else {
      for (const std::string& tenant : *tenants) {
        auto handled = engine_.RunWorkers(tenant, options_.max_jobs_per_type, options_.job_lock_timeout);
        if (!handled.ok()) {
          core::LogWarn("in-process workers failed", {{"tenant", tenant}, {"error", handled.error().ToString()}});
        } else if (*handled > 0) {
          busy = true;
        }
      }
    }
    if (busy ? Stopping() : !Sleep(options_.worker_interval)) return;
  }
}

}  // namespace amtsweg::engine
