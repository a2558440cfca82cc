// Internal: one connection to the database, behind which SQLite and
// PostgreSQL differ. Everything above (Tx, pools, the writer, migrations)
// talks to this interface only. Not part of the public API of store/.
//
// Thread-safety: none. A connection is used by one thread at a time; the pool
// and the writer guarantee that.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.h"
#include "core/result.h"
#include "store/value.h"

namespace amtsweg::store::internal {

enum class TxKind { kRead, kWrite };

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Opens a transaction. kRead: a read-only snapshot (SQLite deferred BEGIN;
  // PostgreSQL REPEATABLE READ, READ ONLY). kWrite: SQLite BEGIN IMMEDIATE,
  // PostgreSQL READ COMMITTED.
  virtual core::Status Begin(TxKind kind) = 0;
  // Commits the open transaction. On failure the transaction is rolled back.
  virtual core::Status Commit() = 0;
  // Rolls back the open transaction, if any. Never fails (errors are logged).
  virtual void Rollback() noexcept = 0;
  // False when no transaction is open, also when the database ended it on its
  // own (SQLite rolls back on some I/O and memory errors).
  virtual bool InTransaction() const = 0;
  // True when an SQL error left the transaction unusable until a rollback
  // (PostgreSQL); SQLite statements fail alone, so always false there.
  virtual bool Aborted() const = 0;

  // One savepoint level for the writer's per-command isolation.
  virtual core::Status Savepoint() = 0;
  virtual core::Status ReleaseSavepoint() = 0;
  virtual core::Status RollbackToSavepoint() = 0;

  // One statement with $1..$n parameters, inside the open transaction.
  virtual core::Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) = 0;
  // Appends at most `max_rows` rows (0: all) to `out`.
  virtual core::Status Query(std::string_view sql, std::span<const Value> params, size_t max_rows,
                             std::vector<Row>* out) = 0;
  // Several statements without parameters (migration scripts), inside the open transaction.
  virtual core::Status ExecScript(std::string_view sql) = 0;

  // See Tx::CacheEpoch. nullopt unless the dialect can tell (SQLite) and a
  // write transaction is open.
  virtual std::optional<uint64_t> CacheEpoch() const { return std::nullopt; }
};

struct SqliteConnectionOptions {
  std::string path;
  bool read_only = false;
  int busy_timeout_ms = 5000;
};
core::Result<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteConnectionOptions& options);

// Copies the database behind `source` (a SqliteConnection outside a
// transaction) to `dest_path` with the online backup API.
core::Status SqliteBackup(Connection& source, const std::string& dest_path);

core::Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& url);

// Checkpoints the WAL of a SQLite database on a thread of its own, with a
// connection of its own, so the writer's COMMIT never waits for a checkpoint
// (copying pages into the database file and its fsync). Installed as the
// writer connection's WAL hook in place of SQLite's auto-checkpoint: after a
// commit that leaves `threshold_pages` or more in the WAL the thread runs a
// PASSIVE checkpoint; the next write transaction then starts the WAL from its
// beginning again if the checkpoint copied everything. Should the thread fall
// behind (readers holding old snapshots), a commit that leaves
// `inline_pages` or more checkpoints on the writer itself, as SQLite would.
class WalCheckpointer {
 public:
  // `writer` must be idle (Writer::RunExclusive); `path` is its database file.
  // `on_thread` / `on_writer` count the checkpoints run (they outlive this object).
  static core::Result<std::unique_ptr<WalCheckpointer>> Start(Connection& writer, const std::string& path,
                                                              int threshold_pages, int inline_pages,
                                                              core::metrics::Counter& on_thread,
                                                              core::metrics::Counter& on_writer);
  // Removes the hook from `writer` (idle), restores SQLite's auto-checkpoint
  // at `threshold_pages`, stops and joins the thread. Idempotent.
  virtual void Detach(Connection& writer) = 0;
  virtual ~WalCheckpointer() = default;
};

// At most this many prepared statements are cached per connection; statements
// beyond it are prepared for one use. Generous: the SQL texts of a process are few.
inline constexpr size_t kStatementCacheLimit = 1024;

// The first 80 characters of `sql`, one line, for error messages (never the
// parameter values: they may be personal data).
std::string SqlSnippet(std::string_view sql);

}  // namespace amtsweg::store::internal
