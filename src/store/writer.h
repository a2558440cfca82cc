// Writer: the one writer of a process, committing many commands at once
// (group commit).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "core/metrics.h"
#include "core/result.h"
#include "store/function_ref.h"
#include "store/tx.h"

namespace amtsweg::store {

namespace internal {
class Connection;
}

// Callers submit write commands; one writer thread takes every command that
// waits (up to `max_batch`), runs them in ONE transaction, commits once, and
// only then answers each caller with the status of its own command. One fsync
// pays for the whole batch (LevelDB's DBImpl::Write / BuildBatchGroup, with a
// dedicated thread as the leader).
//
// A batch first runs optimistically, without savepoints. If one of its
// commands fails, the whole transaction is rolled back and the batch runs
// again with each command inside its own SAVEPOINT, so the failing command
// rolls back alone (and the next few batches start with savepoints). So a
// command MAY RUN MORE THAN ONCE before its caller is answered; only its last
// run counts. Commands must therefore be re-runnable: effects outside the
// transaction are limited to outputs that each run overwrites (no counters
// incremented, no messages sent from inside a command).
//
// Guarantees:
//  - An OK answer means the command's writes are committed and durable
//    (SQLite synchronous=FULL; PostgreSQL synchronous_commit as configured).
//  - A command that returns an error is rolled back (to its savepoint in the
//    replay); its batch-mates are kept. Its caller gets its own error.
//  - If the COMMIT fails, or the database aborts the transaction, every
//    caller of that batch gets an error; nothing of the batch is kept.
//  - Commands run one at a time, in submission order, on the writer thread;
//    a command sees the writes of the commands before it (in a replay: of
//    those before it that succeeded).
//
// Commands must not block on other writes (calling Write from a command is
// refused with kFailedPrecondition) and should be short: the batch waits for
// them. In PostgreSQL a command that hits an SQL error must return an error
// (the savepoint is then rolled back); swallowing it fails the whole batch.
//
// Thread-safety: all public methods are thread-safe. Submit callbacks run on
// the writer thread after the commit; they must be quick and must not call
// the blocking methods (Write, Run, Flush, Stop).
class Writer {
 public:
  using Command = std::function<core::Status(Tx&)>;
  using Callback = std::function<void(core::Status)>;

  struct Stats {
    uint64_t batches = 0;          // committed or failed transactions
    uint64_t commands_ok = 0;
    uint64_t commands_failed = 0;  // own error, or a failed batch
    size_t last_batch_size = 0;
    size_t max_batch_size = 0;
    uint64_t replays = 0;          // batches run again with savepoints after a failing command
  };

  // Constructed by Database; owns the writer connection. The thread starts with Start().
  Writer(std::unique_ptr<internal::Connection> conn, size_t max_batch, core::metrics::Registry& metrics);
  ~Writer();  // Stop()
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Starts the writer thread. Idempotent while running.
  // kFailedPrecondition after Stop(); kUnavailable if no thread can be started.
  core::Status Start();

  // Refuses new commands (kUnavailable), runs everything already queued,
  // commits, answers, then joins the thread. Idempotent.
  // kFailedPrecondition when called from the writer thread.
  core::Status Stop();

  // Returns once every command submitted before the call is committed and answered.
  // kFailedPrecondition when called from the writer thread.
  core::Status Flush();

  // Runs `fn(Tx&)` in the next batch and returns its result once committed.
  // `fn` returns core::Status or core::Result<T>; Write returns the same type.
  // A value from `fn` is returned only if the commit succeeded.
  // kFailedPrecondition: writer not started, or called from a command.
  // kUnavailable: writer stopping or stopped. Otherwise `fn`'s error or the commit's.
  template <class F>
  auto Write(F&& fn) -> std::invoke_result_t<F&, Tx&>;

  // Write for a Status command, without allocating.
  core::Status Run(FunctionRef<core::Status(Tx&)> fn);

  // Queues `cmd`; `done` gets its status after the commit, on the writer
  // thread. When the writer refuses the command, `done` runs at once on the
  // calling thread with the error (codes as Write).
  void Submit(Command cmd, Callback done);
  // The same, answered through a future.
  std::future<core::Status> Submit(Command cmd);

  size_t QueueDepth() const;
  Stats stats() const;
  Dialect dialect() const { return dialect_; }

  // Internal (Database::Migrate): runs `fn` on the writer connection, between batches.
  // kUnavailable after CloseConnection().
  core::Status RunExclusive(FunctionRef<core::Status(internal::Connection&)> fn);
  // Internal (Database::Close): stops and closes the writer connection.
  void CloseConnection();

 private:
  struct AsyncRequest;
  // Where a blocking caller waits. Shared with the writer, so the writer can
  // signal after unlocking without racing the caller's return.
  // The callers of one batch wake each other as a tree (writer.cc,
  // kWakeFanout), so the writer makes a few wake-up calls per batch, not one
  // per caller, and goes on with the next batch.
  struct Completion;
  using WakeList = std::vector<std::shared_ptr<Completion>>;
  struct Completion {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;                    // GUARDED_BY(mu)
    core::Status status;                  // written before done
    std::shared_ptr<WakeList> wake_list;  // GUARDED_BY(mu); moved out by the caller (breaks the cycle)
    size_t wake_index = 0;                // GUARDED_BY(mu)
  };
  struct Request {
    explicit Request(FunctionRef<core::Status(Tx&)> f) : fn(f) {}
    FunctionRef<core::Status(Tx&)> fn;
    core::Status status;
    uint64_t seq = 0;
    std::shared_ptr<Completion> completion;  // set for Run()
    AsyncRequest* async = nullptr;           // set for Submit()
  };
  struct AsyncRequest {
    AsyncRequest(Command c, Callback d) : cmd(std::move(c)), done(std::move(d)) {}
    Command cmd;
    Callback done;
    Request req{cmd};  // after cmd: refers to it
  };
  enum class State { kNew, kRunning, kStopping, kStopped };

  core::Status EnqueueLocked(Request* r);  // REQUIRES(mu_)
  void Loop();
  // Runs the batch; true when it was replayed with savepoints.
  bool RunBatch(std::vector<Request*>& batch);
  // The batch in one transaction without savepoints. False when a command
  // failed: everything is rolled back then and nobody is answered yet.
  bool RunOptimistic(std::vector<Request*>& batch);
  // The batch with one savepoint per command (a failing command rolls back alone).
  void RunIsolated(std::vector<Request*>& batch);

  const size_t max_batch_;
  Dialect dialect_;

  // Batches that start with savepoints after a replay (writer.cc).
  static constexpr int kIsolatedAfterReplay = 16;

  std::mutex conn_mu_;  // the writer connection: one batch or RunExclusive at a time
  int isolated_batches_left_ = 0;  // GUARDED_BY(conn_mu_)
  std::unique_ptr<internal::Connection> conn_;  // GUARDED_BY(conn_mu_)

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // writer waits for commands or Stop
  std::condition_variable flush_cv_;  // Flush waits for completed_
  std::deque<Request*> queue_;        // GUARDED_BY(mu_)
  State state_ = State::kNew;         // GUARDED_BY(mu_)
  uint64_t submitted_ = 0;            // GUARDED_BY(mu_) seq of the last queued command
  uint64_t completed_ = 0;            // GUARDED_BY(mu_) seq of the last answered command
  Stats stats_;                       // GUARDED_BY(mu_)

  std::mutex lifecycle_mu_;  // serialises Start and Stop
  std::thread thread_;       // GUARDED_BY(lifecycle_mu_)
  std::atomic<std::thread::id> thread_id_{};

  core::metrics::Histogram& batch_size_;
  core::metrics::Histogram& commit_seconds_;
  core::metrics::Gauge& queue_depth_;
  core::metrics::Counter& ok_total_;
  core::metrics::Counter& failed_total_;
  core::metrics::Counter& rejected_total_;
  core::metrics::Counter& replays_total_;
};

template <class F>
auto Writer::Write(F&& fn) -> std::invoke_result_t<F&, Tx&> {
  using R = std::invoke_result_t<F&, Tx&>;
  if constexpr (std::is_same_v<R, core::Status>) {
    return Run(fn);
  } else {
    std::optional<typename internal::ResultValue<R>::type> out;
    auto cmd = [&](Tx& tx) -> core::Status {
      R r = fn(tx);
      if (!r.ok()) return std::move(r).error();
      out.emplace(std::move(r).value());
      return core::OkStatus();
    };
    core::Status s = Run(cmd);
    if (!s.ok()) return std::move(s).error();
    return R(std::move(*out));
  }
}

}  // namespace amtsweg::store
