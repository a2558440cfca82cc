#include "store/database.h"

#include <filesystem>

#include "core/log.h"
#include "store/connection.h"
#include "store/pool.h"

namespace amtsweg::store {
namespace {

struct ParsedUrl {
  Dialect dialect;
  std::string target;  // SQLite path, or the PostgreSQL URI unchanged
};

// Never echoes the URL: a PostgreSQL URL may hold a password.
core::Result<ParsedUrl> ParseUrl(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path
    if (path.empty()) return core::InvalidArgument("sqlite URL without a path; expected sqlite:PATH");
    if (path == ":memory:" || path.starts_with("file:")) {
      return core::InvalidArgument("sqlite: in-memory and file: URI databases are not supported; give a file path");
    }
    return ParsedUrl{Dialect::kSqlite, std::string(path)};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return ParsedUrl{Dialect::kPostgres, std::string(url)};
  }
  return core::InvalidArgument("unknown database URL scheme; expected sqlite:PATH or postgresql://user@host:port/db");
}

core::Status InvokeRead(FunctionRef<core::Status(Tx&)> fn, Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return core::Internal(std::string("read function threw: ") + e.what());
  } catch (...) {
    return core::Internal("read function threw a non-standard exception");
  }
}

}  // namespace

core::Result<std::unique_ptr<Database>> Database::Open(const Options& options) {
  AW_ASSIGN_OR_RETURN(ParsedUrl url, ParseUrl(options.url));
  if (options.max_batch_size == 0) return core::InvalidArgument("max_batch_size must be at least 1");
  std::unique_ptr<Database> db(new Database());
  db->dialect_ = url.dialect;
  db->options_ = options;
  core::metrics::Registry* metrics = options.metrics;
  if (metrics == nullptr) {
    db->own_metrics_ = std::make_unique<core::metrics::Registry>();
    metrics = db->own_metrics_.get();
  }
  if (options.migrations.has_value()) {
    db->migrations_ = *options.migrations;
    AW_TRY(internal::ValidateMigrations(db->migrations_));
  } else {
    AW_ASSIGN_OR_RETURN(db->migrations_, EmbeddedMigrations(url.dialect));
  }

  std::unique_ptr<internal::Connection> writer_conn;
  std::vector<std::unique_ptr<internal::Connection>> readers;
  if (url.dialect == Dialect::kSqlite) {
    if (options.read_pool_size == 0) return core::InvalidArgument("read_pool_size must be at least 1");
    std::filesystem::path parent = std::filesystem::path(url.target).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) return core::Unavailable("creating " + parent.string() + ": " + ec.message());
    }
    internal::SqliteConnectionOptions o{url.target, false, static_cast<int>(options.busy_timeout.count())};
    // The writer first: it creates the file and switches it to WAL before any reader opens it.
    AW_ASSIGN_OR_RETURN(writer_conn, internal::OpenSqliteConnection(o));
    o.read_only = true;
    for (size_t i = 0; i < options.read_pool_size; ++i) {
      AW_ASSIGN_OR_RETURN(auto c, internal::OpenSqliteConnection(o));
      readers.push_back(std::move(c));
    }
  } else {
    if (options.pg_pool_size == 0) return core::InvalidArgument("pg_pool_size must be at least 1");
    AW_ASSIGN_OR_RETURN(writer_conn, internal::OpenPostgresConnection(url.target));
    for (size_t i = 0; i < options.pg_pool_size; ++i) {
      AW_ASSIGN_OR_RETURN(auto c, internal::OpenPostgresConnection(url.target));
      readers.push_back(std::move(c));
    }
  }
  db->writer_ = std::make_unique<Writer>(std::move(writer_conn), options.max_batch_size, *metrics);
  if (url.dialect == Dialect::kSqlite && options.wal_checkpoint_pages > 0) {
    const int pages = options.wal_checkpoint_pages;
    auto& on_thread = metrics->Counter("amtsweg_store_wal_checkpoints_total",
                                       "SQLite WAL checkpoints by where they ran.", {{"on", "thread"}});
    auto& on_writer = metrics->Counter("amtsweg_store_wal_checkpoints_total",
                                       "SQLite WAL checkpoints by where they ran.", {{"on", "writer"}});
    AW_TRY(db->writer_->RunExclusive([&](internal::Connection& c) -> core::Status {
      // Inline only when the thread is far behind: 16x the threshold.
      AW_ASSIGN_OR_RETURN(db->checkpointer_,
                          internal::WalCheckpointer::Start(c, url.target, pages, pages * 16, on_thread, on_writer));
      return core::OkStatus();
    }));
  }
  db->pool_ = std::make_unique<internal::ConnectionPool>(std::move(readers), "read", *metrics);
  return db;
}

Database::~Database() { Close(); }

void Database::Close() {
  if (writer_ != nullptr) {
    core::Status s = writer_->Stop();
    if (!s.ok()) core::LogError("store: stopping the writer failed", {{"error", s.error().ToString()}});
  }
  if (pool_ != nullptr) pool_->Close();
  if (checkpointer_ != nullptr && writer_ != nullptr) {
    // The writer is stopped: its connection is idle. Without the hook again
    // before it closes, so the last close checkpoints as SQLite does.
    (void)writer_->RunExclusive([&](internal::Connection& c) -> core::Status {
      checkpointer_->Detach(c);
      return core::OkStatus();
    });
    checkpointer_.reset();
  }
  // The writer connection closes last: in SQLite the last connection
  // checkpoints and removes the WAL.
  if (writer_ != nullptr) writer_->CloseConnection();
}

core::Result<std::vector<MigrationInfo>> Database::Migrate() {
  std::vector<MigrationInfo> applied;
  AW_TRY(writer_->RunExclusive([&](internal::Connection& c) -> core::Status {
    AW_ASSIGN_OR_RETURN(applied, internal::ApplyMigrations(c, migrations_));
    return core::OkStatus();
  }));
  return applied;
}

core::Result<MigrationStatus> Database::Migrations() {
  AW_ASSIGN_OR_RETURN(auto lease, pool_->Acquire(options_.pool_timeout));
  AW_TRY(lease->Begin(internal::TxKind::kRead));
  auto status = internal::ReadMigrationStatus(*lease, migrations_);
  lease->Rollback();
  return status;
}

core::Status Database::Ping() {
  return RunRead([](Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT 1"));
    if (!row.has_value() || row->Int(0) != 1) return core::Internal("ping: SELECT 1 did not return 1");
    return core::OkStatus();
  });
}

core::Status Database::RunRead(FunctionRef<core::Status(Tx&)> fn) {
  AW_ASSIGN_OR_RETURN(auto lease, pool_->Acquire(options_.pool_timeout));
  AW_TRY(lease->Begin(internal::TxKind::kRead));
  Tx tx(&*lease);
  core::Status s = InvokeRead(fn, tx);
  if (!s.ok()) {
    lease->Rollback();
    return s;
  }
  return lease->Commit();
}

core::Status Database::Backup(std::string_view path) {
  if (dialect_ == Dialect::kPostgres) {
    return core::Unimplemented(
        "Backup is not supported for PostgreSQL: back up the server with pg_dump "
        "(e.g. pg_dump -Fc -f amtsweg.dump DBNAME) or its continuous archiving");
  }
  AW_ASSIGN_OR_RETURN(auto lease, pool_->Acquire(options_.pool_timeout));
  return internal::SqliteBackup(*lease, std::string(path));
}

}  // namespace amtsweg::store
