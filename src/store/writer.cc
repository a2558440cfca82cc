#include "store/writer.h"

#include <chrono>

#include "core/log.h"
#include "store/connection.h"

namespace amtsweg::store {
namespace {

core::Status Invoke(FunctionRef<core::Status(Tx&)> fn, Tx& tx) {
  // No exception leaves store/: a throwing command fails alone, like one returning an error.
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return core::Internal(std::string("write command threw: ") + e.what());
  } catch (...) {
    return core::Internal("write command threw a non-standard exception");
  }
}

// Callers of a batch wake each other as a tree of this fan-out: the writer
// wakes callers 0..7, caller i wakes (i+1)*8 .. (i+1)*8+7. The writer's cost
// per batch stays bounded (at most 8 wake-ups, not one per caller) while the
// tree stays shallow (3 levels for 512 callers), which matters when the
// cores are busy and every hop waits for a time slice.
constexpr size_t kWakeFanout = 8;

}  // namespace

Writer::Writer(std::unique_ptr<internal::Connection> conn, size_t max_batch, core::metrics::Registry& metrics)
    : max_batch_(max_batch == 0 ? 1 : max_batch),
      dialect_(conn->dialect()),
      conn_(std::move(conn)),
      batch_size_(metrics.Histogram("amtsweg_store_writer_batch_size", "Commands per group-commit transaction.",
                                    core::metrics::SizeBuckets())),
      commit_seconds_(metrics.Histogram("amtsweg_store_writer_commit_seconds",
                                        "Duration of the COMMIT of one group-commit transaction.",
                                        core::metrics::LatencyBuckets())),
      queue_depth_(metrics.Gauge("amtsweg_store_writer_queue_depth", "Write commands waiting for the writer.")),
      ok_total_(metrics.Counter("amtsweg_store_writer_commands_total", "Write commands by outcome.",
                                {{"outcome", "ok"}})),
      failed_total_(metrics.Counter("amtsweg_store_writer_commands_total", "Write commands by outcome.",
                                    {{"outcome", "failed"}})),
      rejected_total_(metrics.Counter("amtsweg_store_writer_commands_total", "Write commands by outcome.",
                                      {{"outcome", "rejected"}})),
      replays_total_(metrics.Counter("amtsweg_store_writer_replays_total",
                                     "Batches rolled back after a failing command and run again with savepoints.")) {}

Writer::~Writer() {
  core::Status s = Stop();
  if (!s.ok()) core::LogError("store writer stop failed", {{"error", s.error().ToString()}});
}

core::Status Writer::Start() {
  std::lock_guard life(lifecycle_mu_);
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kRunning) return core::OkStatus();
    if (state_ != State::kNew) return core::FailedPrecondition("store writer was stopped; it cannot be restarted");
    state_ = State::kRunning;
  }
  try {
    thread_ = std::thread([this] { Loop(); });
  } catch (const std::exception& e) {
    std::lock_guard lock(mu_);
    state_ = State::kNew;
    return core::Unavailable(std::string("cannot start the store writer thread: ") + e.what());
  }
  return core::OkStatus();
}

core::Status Writer::Stop() {
  if (std::this_thread::get_id() == thread_id_.load()) {
    return core::FailedPrecondition("Writer::Stop called from a write command");
  }
  std::lock_guard life(lifecycle_mu_);
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kNew) {
      state_ = State::kStopped;
      return core::OkStatus();
    }
    if (state_ == State::kRunning) state_ = State::kStopping;
  }
  work_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  state_ = State::kStopped;
  return core::OkStatus();
}

core::Status Writer::Flush() {
  if (std::this_thread::get_id() == thread_id_.load()) {
    return core::FailedPrecondition("Writer::Flush called from a write command: it would wait for itself");
  }
  std::unique_lock lock(mu_);
  const uint64_t target = submitted_;
  flush_cv_.wait(lock, [&] { return completed_ >= target; });
  return core::OkStatus();
}

core::Status Writer::EnqueueLocked(Request* r) {
  if (state_ != State::kRunning) {
    rejected_total_.Inc();
    if (state_ == State::kNew) return core::FailedPrecondition("store writer not started (call Writer::Start)");
    return core::Unavailable("store writer is stopped");
  }
  r->seq = ++submitted_;
  queue_.push_back(r);
  queue_depth_.Set(static_cast<double>(queue_.size()));
  return core::OkStatus();
}

core::Status Writer::Run(FunctionRef<core::Status(Tx&)> fn) {
  if (std::this_thread::get_id() == thread_id_.load()) {
    return core::FailedPrecondition("Writer::Write called from a write command: it would wait for itself");
  }
  auto completion = std::make_shared<Completion>();
  Request req(fn);
  req.completion = completion;
  {
    std::lock_guard lock(mu_);
    AW_TRY(EnqueueLocked(&req));
  }
  work_cv_.notify_one();
  // The writer moves `completion` out of `req` before signalling and never
  // touches `req` afterwards, so `req` may die as soon as this returns.
  std::unique_lock lock(completion->mu);
  completion->cv.wait(lock, [&] { return completion->done; });
  core::Status status = std::move(completion->status);
  std::shared_ptr<WakeList> list = std::move(completion->wake_list);
  const size_t i = completion->wake_index;
  lock.unlock();
  // Pass the wake-up on. Every `done` of the batch was set before the first
  // wake-up, so a child that has not slept yet sees it and does not sleep.
  if (list != nullptr) {
    for (size_t child = (i + 1) * kWakeFanout; child < (i + 2) * kWakeFanout && child < list->size(); ++child) {
      (*list)[child]->cv.notify_one();
    }
  }
  return status;
}

void Writer::Submit(Command cmd, Callback done) {
  auto* a = new AsyncRequest(std::move(cmd), std::move(done));
  a->req.async = a;
  core::Status s;
  {
    std::lock_guard lock(mu_);
    s = EnqueueLocked(&a->req);
  }
  if (!s.ok()) {
    Callback cb = std::move(a->done);
    delete a;
    if (cb) cb(std::move(s));
    return;
  }
  work_cv_.notify_one();
}

std::future<core::Status> Writer::Submit(Command cmd) {
  auto promise = std::make_shared<std::promise<core::Status>>();
  std::future<core::Status> f = promise->get_future();
  Submit(std::move(cmd), [promise](core::Status s) { promise->set_value(std::move(s)); });
  return f;
}

size_t Writer::QueueDepth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

Writer::Stats Writer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

core::Status Writer::RunExclusive(FunctionRef<core::Status(internal::Connection&)> fn) {
  std::lock_guard lock(conn_mu_);
  if (conn_ == nullptr) return core::Unavailable("store writer connection is closed");
  return fn(*conn_);
}

void Writer::CloseConnection() {
  core::Status s = Stop();
  if (!s.ok()) core::LogError("store writer stop failed", {{"error", s.error().ToString()}});
  std::lock_guard lock(conn_mu_);
  conn_.reset();
}

void Writer::Loop() {
  thread_id_.store(std::this_thread::get_id());
  std::vector<Request*> batch;
  batch.reserve(max_batch_);
  std::vector<AsyncRequest*> async_done;
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return !queue_.empty() || state_ == State::kStopping; });
    if (queue_.empty()) break;  // stopping, and everything is answered
    // Take everything that waits: this is the group. While it commits, the
    // next group gathers in the queue.
    const size_t n = std::min(queue_.size(), max_batch_);
    batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_depth_.Set(static_cast<double>(queue_.size()));
    lock.unlock();

    const bool replayed = RunBatch(batch);
    if (replayed) replays_total_.Inc();
    batch_size_.Observe(static_cast<double>(batch.size()));
    // Read before answering: answered requests may be gone.
    const uint64_t last_seq = batch.back()->seq;

    uint64_t ok = 0;
    for (Request* r : batch) ok += r->status.ok() ? 1 : 0;
    ok_total_.Inc(static_cast<double>(ok));
    failed_total_.Inc(static_cast<double>(batch.size() - ok));
    {
      // Stats first: a caller that sees its answer also sees its batch counted.
      std::lock_guard stats_lock(mu_);
      stats_.batches++;
      stats_.replays += replayed ? 1 : 0;
      stats_.commands_ok += ok;
      stats_.commands_failed += batch.size() - ok;
      stats_.last_batch_size = batch.size();
      stats_.max_batch_size = std::max(stats_.max_batch_size, batch.size());
    }
    // Answer without holding mu_, so submitters can queue the next group meanwhile.
    auto wake = std::make_shared<WakeList>();
    async_done.clear();
    for (Request* r : batch) {
      if (r->async != nullptr) {
        async_done.push_back(r->async);
      } else {
        r->completion->status = std::move(r->status);
        wake->push_back(std::move(r->completion));
      }
    }
    for (size_t i = 0; i < wake->size(); ++i) {
      Completion& c = *(*wake)[i];
      std::lock_guard done_lock(c.mu);
      c.wake_list = wake;
      c.wake_index = i;
      c.done = true;  // from here on, that caller's Request may be gone
    }
    for (size_t i = 0; i < kWakeFanout && i < wake->size(); ++i) (*wake)[i]->cv.notify_one();
    wake.reset();
    for (AsyncRequest* a : async_done) {
      try {
        if (a->done) a->done(std::move(a->req.status));
      } catch (...) {
        core::LogError("store writer: a Submit callback threw; ignored");
      }
      delete a;
    }
    lock.lock();
    completed_ = last_seq;
    flush_cv_.notify_all();
  }
  thread_id_.store(std::thread::id());
}

bool Writer::RunBatch(std::vector<Request*>& batch) {
  std::lock_guard conn_lock(conn_mu_);
  if (conn_ == nullptr) {  // Database::Close from inside a callback; nothing can run
    for (Request* r : batch) r->status = core::Unavailable("store writer connection is closed");
    return false;
  }
  // A lone command needs no savepoint: its failure rolls back the transaction,
  // which is the same thing without two extra statements. A larger batch runs
  // optimistically without savepoints too (SAVEPOINT/RELEASE per command cost
  // SQLite a sub-journal copy of every page a command touches, PostgreSQL a
  // round trip); only when one of its commands fails is the batch rolled back
  // and run again, this time with a savepoint per command. After such a
  // replay the next kIsolatedAfterReplay batches start isolated, so a steady
  // trickle of failing commands does not make every batch run twice.
  bool replayed = false;
  if (batch.size() > 1 && isolated_batches_left_ == 0) {
    if (RunOptimistic(batch)) return false;
    replayed = true;
    isolated_batches_left_ = kIsolatedAfterReplay;
  } else if (isolated_batches_left_ > 0) {
    isolated_batches_left_--;
  }
  RunIsolated(batch);
  return replayed;
}

bool Writer::RunOptimistic(std::vector<Request*>& batch) {
  internal::Connection& c = *conn_;
  core::Status begin = c.Begin(internal::TxKind::kWrite);
  if (!begin.ok()) {
    core::Error e = std::move(begin).error();
    e.WithContext("beginning the write transaction");
    for (Request* r : batch) r->status = e;
    return true;  // answered: nothing ran
  }
  Tx tx(&c);
  for (Request* r : batch) {
    r->status = Invoke(r->fn, tx);
    if (!r->status.ok() || c.Aborted() || !c.InTransaction()) {
      c.Rollback();
      return false;
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  core::Status commit = c.Commit();
  commit_seconds_.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!commit.ok()) {
    // Every command succeeded; the commit itself failed (as it would have with savepoints).
    core::Error e(commit.error().code(), "commit failed, the write was not kept: " + commit.error().message());
    for (Request* r : batch) r->status = e;
  }
  return true;
}

void Writer::RunIsolated(std::vector<Request*>& batch) {
  internal::Connection& c = *conn_;
  core::Status begin = c.Begin(internal::TxKind::kWrite);
  if (!begin.ok()) {
    core::Error e = std::move(begin).error();
    e.WithContext("beginning the write transaction");
    for (Request* r : batch) r->status = e;
    return;
  }
  const bool isolate = batch.size() > 1;
  Tx tx(&c);
  for (size_t i = 0; i < batch.size(); ++i) {
    Request* r = batch[i];
    std::optional<core::Error> fatal;
    if (isolate) {
      core::Status sp = c.Savepoint();
      if (!sp.ok()) fatal = std::move(sp).error();
    }
    if (!fatal) {
      r->status = Invoke(r->fn, tx);
      if (r->status.ok() && c.Aborted()) {
        r->status = core::Internal("write command returned OK after an SQL error; its writes were rolled back");
      }
      if (isolate) {
        core::Status end = r->status.ok() ? c.ReleaseSavepoint() : c.RollbackToSavepoint();
        if (!end.ok()) fatal = std::move(end).error();
      }
      if (!fatal && !c.InTransaction()) {
        fatal = core::Unavailable("the database rolled back the write transaction");
      }
    }
    if (fatal) {
      // The transaction is unusable: nothing of this batch can be committed.
      c.Rollback();
      core::Error e = core::Error(fatal->code(), "write batch rolled back: " + fatal->message());
      for (size_t j = 0; j < batch.size(); ++j) {
        if (j > i || batch[j]->status.ok()) batch[j]->status = e;
      }
      return;
    }
  }
  if (!isolate && !batch[0]->status.ok()) {
    c.Rollback();
    return;
  }
  auto t0 = std::chrono::steady_clock::now();
  core::Status commit = c.Commit();
  commit_seconds_.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!commit.ok()) {
    core::Error e(commit.error().code(), "commit failed, the write was not kept: " + commit.error().message());
    for (Request* r : batch) {
      if (r->status.ok()) r->status = e;
    }
  }
}

}  // namespace amtsweg::store
