// The background work of records/ inside `amtsweg serve`: one thread that
// takes `amtsweg:bescheid` jobs (RunBescheidJobs) every `bescheid_interval`
// while idle (at once again after a full batch) and runs the retention job
// (RunRetention, every tenant) every `retention_interval`, the first time
// `retention_delay` after Start. Errors are logged and retried next round.
// Safe with several serve processes on one PostgreSQL database: jobs are
// activated with SKIP LOCKED, and retention takes each case in its own
// command that skips cases already anonymised.
//
// Stop() before the store writer is stopped. Start/Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "records/records.h"

namespace amtsweg::records {

struct SchedulerOptions {
  std::chrono::milliseconds bescheid_interval{500};
  int max_bescheid_jobs = 16;
  std::chrono::milliseconds retention_delay{std::chrono::minutes(5)};
  std::chrono::milliseconds retention_interval{std::chrono::hours(24)};
};

class Scheduler {
 public:
  Scheduler(Records& records, SchedulerOptions options = {});
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  void Stop();  // idempotent; waits for the current round

 private:
  void Loop();
  Records& records_;
  SchedulerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace amtsweg::records
