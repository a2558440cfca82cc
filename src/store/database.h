// Database: the entry point of store/. Opens SQLite or PostgreSQL by URL,
// migrates, lends pooled read transactions and owns the group-commit writer.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/metrics.h"
#include "core/result.h"
#include "store/function_ref.h"
#include "store/migrations.h"
#include "store/tx.h"
#include "store/value.h"
#include "store/writer.h"

namespace amtsweg::store {

namespace internal {
class ConnectionPool;
class WalCheckpointer;
}

struct Options {
  // "sqlite:./data/amtsweg.db" (a file; its folder is created) or
  // "postgresql://user@host:port/db" (any libpq URI; "postgres://" too).
  std::string url;
  size_t read_pool_size = 4;  // SQLite: read-only connections for Read()
  size_t pg_pool_size = 8;    // PostgreSQL: connections for Read(); the writer has its own
  std::chrono::milliseconds busy_timeout{5000};  // SQLite: wait for a lock held by another process
  std::chrono::milliseconds pool_timeout{5000};  // Read(): wait for a free pooled connection
  size_t max_batch_size = 1024;                  // commands per group-commit transaction
  core::metrics::Registry* metrics = nullptr;    // borrowed, may be null (then metrics stay private)
  // Replaces the embedded migrations (tests). File names as NNNN_name.sql.
  std::optional<std::vector<Migration>> migrations;
  // SQLite: WAL checkpoints on a thread of their own (internal::WalCheckpointer)
  // once the WAL holds this many pages; 0 leaves them to SQLite's
  // auto-checkpoint inside the writer's commits (1,000 pages).
  int wal_checkpoint_pages = 1000;
};

// One database, SQLite or PostgreSQL, behind one interface.
//
// SQLite: WAL, synchronous=FULL, foreign_keys=ON; one writer connection (in
// the Writer) and `read_pool_size` read-only connections. PostgreSQL: one
// writer connection and `pg_pool_size` read connections (libpqxx).
//
// Thread-safety: every method is thread-safe. Close() waits for running reads.
class Database {
 public:
  // Opens the database named by `options.url` and all its connections.
  // kInvalidArgument: bad URL or options. kUnavailable: cannot connect or open.
  // kFailedPrecondition: the SQLite file cannot use WAL. The writer is not
  // started: call writer().Start() (the app decides where threads start).
  static core::Result<std::unique_ptr<Database>> Open(const Options& options);
  ~Database();  // Close()
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }

  // Applies the pending migrations in version order, each in its own
  // transaction with its schema_migrations row. Returns what it applied
  // (empty when up to date). Safe while the writer runs (it waits between batches).
  // kFailedPrecondition: an applied migration changed (the message names the
  // file) or the database is newer than this binary. A failing migration's
  // error names its file; the ones before it stay applied.
  core::Result<std::vector<MigrationInfo>> Migrate();

  // Applied and pending migrations (GET /readyz: ready when up_to_date()).
  // Same kFailedPrecondition cases as Migrate.
  core::Result<MigrationStatus> Migrations();

  // A trivial query on a pooled connection. kUnavailable when unreachable or exhausted.
  core::Status Ping();

  // Runs `fn(Tx&)` in a read-only transaction (one snapshot) on a pooled
  // connection and returns its result. `fn` returns core::Status or
  // core::Result<T>. Writes inside fail with kFailedPrecondition.
  // kUnavailable: no connection free within pool_timeout, or closed.
  // Do not nest Read calls: with a small pool the inner one may time out.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F&, Tx&>;
  core::Status RunRead(FunctionRef<core::Status(Tx&)> fn);

  // The one writer of this database. Valid for the Database's lifetime.
  Writer& writer() { return *writer_; }

  // SQLite: a consistent copy of the database into the file `path` (online
  // backup API; written to path.tmp, then renamed). kUnavailable on I/O errors.
  // PostgreSQL: kUnimplemented; use pg_dump.
  core::Status Backup(std::string_view path);

  // Stops the writer (draining its queue), waits for running reads, closes
  // every connection. Later calls fail with kUnavailable. Idempotent.
  void Close();

 private:
  Database() = default;

  Dialect dialect_ = Dialect::kSqlite;
  Options options_;
  std::unique_ptr<core::metrics::Registry> own_metrics_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<internal::ConnectionPool> pool_;
  std::vector<Migration> migrations_;
  std::unique_ptr<internal::WalCheckpointer> checkpointer_;  // SQLite, when wal_checkpoint_pages > 0
};

template <class F>
auto Database::Read(F&& fn) -> std::invoke_result_t<F&, Tx&> {
  using R = std::invoke_result_t<F&, Tx&>;
  if constexpr (std::is_same_v<R, core::Status>) {
    return RunRead(fn);
  } else {
    std::optional<typename internal::ResultValue<R>::type> out;
    auto run = [&](Tx& tx) -> core::Status {
      R r = fn(tx);
      if (!r.ok()) return std::move(r).error();
      out.emplace(std::move(r).value());
      return core::OkStatus();
    };
    core::Status s = RunRead(run);
    if (!s.ok()) return std::move(s).error();
    return R(std::move(*out));
  }
}

}  // namespace amtsweg::store
