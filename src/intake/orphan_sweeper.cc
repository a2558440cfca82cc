#include "intake/orphan_sweeper.h"

#include "core/log.h"

namespace amtsweg::intake {

OrphanSweeper::OrphanSweeper(Intake& intake, SweepSchedule schedule, core::metrics::Registry* metrics)
    : intake_(intake), schedule_(schedule) {
  if (metrics != nullptr) {
    removed_ = &metrics->Counter("amtsweg_intake_orphans_removed_total",
                                 "attachment files removed because no case refers to them");
    const char* help = "scheduled sweeps of orphaned attachment files";
    ok_ = &metrics->Counter("amtsweg_intake_orphan_sweeps_total", help, {{"outcome", "ok"}});
    failed_ = &metrics->Counter("amtsweg_intake_orphan_sweeps_total", help, {{"outcome", "failed"}});
  }
}

OrphanSweeper::~OrphanSweeper() { Stop(); }

void OrphanSweeper::Start() {
  if (schedule_.interval.count() <= 0 || thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    for (;;) {
      if (cv_.wait_for(lock, schedule_.interval, [this] { return stop_; })) return;
      lock.unlock();
      (void)RunOnce();  // logged and counted there
      lock.lock();
    }
  });
}

void OrphanSweeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

core::Result<Intake::SweepReport> OrphanSweeper::RunOnce() {
  auto started = std::chrono::steady_clock::now();
  auto r = intake_.SweepAllOrphans(schedule_.min_age);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  {
    std::lock_guard lock(mu_);
    ++runs_;
  }
  if (!r.ok()) {
    if (failed_ != nullptr) failed_->Inc();
    core::LogWarn("orphan sweep failed", {{"error", r.error().ToString()}});
    return r;
  }
  if (removed_ != nullptr) removed_->Inc(r->removed);
  if (r->failed > 0) {
    if (failed_ != nullptr) failed_->Inc();
    core::LogWarn("orphan sweep incomplete", {{"tenants", std::to_string(r->tenants)},
                                              {"failed", std::to_string(r->failed)},
                                              {"removed", std::to_string(r->removed)},
                                              {"error", r->first_error}});
  } else {
    if (ok_ != nullptr) ok_->Inc();
    core::LogInfo("orphan sweep", {{"tenants", std::to_string(r->tenants)},
                                   {"removed", std::to_string(r->removed)},
                                   {"duration_ms", std::to_string(ms.count())}});
  }
  return r;
}

int OrphanSweeper::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace amtsweg::intake
