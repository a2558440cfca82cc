// Scheduler: the background work of an engine inside `amtsweg serve`.
//
// Two threads: one fires due timers (FireDueTimers) and wakes at least every
// `timer_interval` (sooner when it found a full batch); one runs the
// registered in-process workers (RunWorkers) of every tenant that has jobs of
// their types available, polling every `worker_interval` while idle. Both
// are safe with several processes on one PostgreSQL database (timers and jobs
// are taken with SKIP LOCKED). Errors are logged and retried on the next
// round; they never stop the threads.
//
// Stop() before the store writer is stopped: it waits for the current round.
//
// Thread-safety: Start and Stop from one owning thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/engine.h"

namespace amtsweg::engine {

struct SchedulerOptions {
  std::chrono::milliseconds timer_interval{100};
  std::chrono::milliseconds worker_interval{100};
  int max_timers_per_round = 1000;
  int max_jobs_per_type = 32;
  std::chrono::milliseconds job_lock_timeout{60'000};
};

class Scheduler {
 public:
  Scheduler(Engine& engine, SchedulerOptions options = {});
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  // Idempotent; returns after both threads have finished their current round.
  void Stop();

 private:
  void TimerLoop();
  void WorkerLoop();
  // Waits `d` or until Stop; false when stopping.
  bool Sleep(std::chrono::milliseconds d);
  bool Stopping();

  Engine& engine_;
  SchedulerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread timers_;
  std::thread workers_;
};

}  // namespace amtsweg::engine
