// SQLite implementation of internal::Connection.
//
// Each connection is opened with SQLITE_OPEN_NOMUTEX: the pool and the writer
// already give it to one thread at a time, so SQLite's own mutex is waste.
#include <sqlite3.h>

#include <array>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "store/connection.h"

namespace amtsweg::store::internal {
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

core::Error SqliteError(sqlite3* db, int rc, std::string_view sql) {
  int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg = "sqlite: ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!sql.empty()) {
    msg += " (in: ";
    msg += SqlSnippet(sql);
    msg += ")";
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return core::AlreadyExists(std::move(msg));
      }
      return core::FailedPrecondition(std::move(msg));
    case SQLITE_READONLY: return core::FailedPrecondition(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL: return core::Unavailable(std::move(msg));
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG: return core::InvalidArgument(std::move(msg));
    case SQLITE_INTERRUPT: return core::Cancelled(std::move(msg));
    case SQLITE_NOMEM: return core::ResourceExhausted(std::move(msg));
    default: return core::Internal(std::move(msg));
  }
}

// True when `tail` holds nothing but whitespace and comments.
bool OnlyTrivia(const char* tail) {
  std::string_view s(tail);
  while (!s.empty()) {
    char c = s.front();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
      s.remove_prefix(1);
    } else if (s.starts_with("--")) {
      size_t nl = s.find('\n');
      s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    } else if (s.starts_with("/*")) {
      size_t end = s.find("*/", 2);
      s = end == std::string_view::npos ? std::string_view() : s.substr(end + 2);
    } else {
      return false;
    }
  }
  return true;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st.stmt);
    cache_.clear();
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* db() const { return db_; }

  core::Status Begin(TxKind kind) override {
    // IMMEDIATE takes the write lock now, so a busy database shows up here
    // (after busy_timeout) and not halfway through a batch.
    AW_TRY(Simple(kind == TxKind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
    in_write_ = kind == TxKind::kWrite;
    if (in_write_) {
      // BEGIN IMMEDIATE has read the WAL header: the data version moved
      // since our last transaction only if another connection committed.
      if (DataVersion() != data_version_) ++epoch_;
    }
    return core::OkStatus();
  }

  core::Status Commit() override {
    auto r = Exec("COMMIT", {});
    if (!r.ok()) {
      // A failed COMMIT (deferred foreign keys, SQLITE_BUSY) may leave the
      // transaction open; the contract is that it is gone afterwards.
      Rollback();
      return std::move(r).error();
    }
    EndTx();
    return core::OkStatus();
  }

  void Rollback() noexcept override {
    ++epoch_;
    if (!sqlite3_get_autocommit(db_)) {
      auto r = Exec("ROLLBACK", {});
      if (!r.ok()) core::LogError("sqlite rollback failed", {{"error", r.error().message()}});
    }
    EndTx();
  }

  std::optional<uint64_t> CacheEpoch() const override {
    if (!in_write_ || sqlite3_get_autocommit(db_)) return std::nullopt;
    return epoch_;
  }

  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  bool Aborted() const override { return false; }

  core::Status Savepoint() override { return Simple("SAVEPOINT aw_cmd"); }
  core::Status ReleaseSavepoint() override { return Simple("RELEASE aw_cmd"); }
  core::Status RollbackToSavepoint() override {
    ++epoch_;
    // ROLLBACK TO keeps the savepoint open; release it so savepoints do not pile up.
    AW_TRY(Simple("ROLLBACK TO aw_cmd"));
    return Simple("RELEASE aw_cmd");
  }

  core::Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    AW_ASSIGN_OR_RETURN(Stmt * st, Prepare(sql));
    AW_TRY(Bind(*st, sql, params));
    int64_t before = sqlite3_total_changes64(db_);
    int rc;
    while ((rc = sqlite3_step(st->stmt)) == SQLITE_ROW) {
    }
    int64_t changes = sqlite3_total_changes64(db_) != before ? sqlite3_changes64(db_) : 0;
    core::Status s = rc == SQLITE_DONE ? core::OkStatus() : core::Status(SqliteError(db_, rc, sql));
    Done(st);
    AW_TRY(s);
    return changes;
  }

  core::Status Query(std::string_view sql, std::span<const Value> params, size_t max_rows,
                     std::vector<Row>* out) override {
    AW_ASSIGN_OR_RETURN(Stmt * st, Prepare(sql));
    AW_TRY(Bind(*st, sql, params));
    int ncol = sqlite3_column_count(st->stmt);
    if (st->names == nullptr) {
      auto names = std::make_shared<std::vector<std::string>>();
      for (int i = 0; i < ncol; ++i) {
        const char* n = sqlite3_column_name(st->stmt, i);
        names->emplace_back(n != nullptr ? n : "");
      }
      st->names = std::move(names);
    }
    int rc = SQLITE_DONE;
    size_t n = 0;
    while ((max_rows == 0 || n < max_rows) && (rc = sqlite3_step(st->stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(ncol);
      for (int i = 0; i < ncol; ++i) values.push_back(Column(st->stmt, i));
      out->emplace_back(st->names, std::move(values));
      ++n;
    }
    core::Status s = (max_rows != 0 && n == max_rows) || rc == SQLITE_DONE
                         ? core::OkStatus()
                         : core::Status(SqliteError(db_, rc, sql));
    Done(st);
    return s;
  }

  core::Status ExecScript(std::string_view sql) override {
    ++epoch_;  // migrations and the like: anything may have changed
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      core::Error e = SqliteError(db_, rc, {});
      sqlite3_free(err);
      return e;
    }
    return core::OkStatus();
  }

 private:
  struct Stmt {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> index_of;  // index_of[n-1]: SQLite's index of "$n", 0 when unused
    std::shared_ptr<const std::vector<std::string>> names;  // filled on first Query
    bool cached = true;
  };

  // SQLite's data version of the main database: changes with every commit,
  // this connection's and others'.
  unsigned DataVersion() const {
    unsigned v = 0;
    sqlite3_file_control(db_, "main", SQLITE_FCNTL_DATA_VERSION, &v);
    return v;
  }

  // After COMMIT or ROLLBACK: remember the version our own transaction left.
  void EndTx() {
    in_write_ = false;
    data_version_ = DataVersion();
  }

  core::Status Simple(std::string_view sql) {
    auto r = Exec(sql, {});
    if (!r.ok()) return std::move(r).error();
    return core::OkStatus();
  }

  core::Result<Stmt*> Prepare(std::string_view sql) {
    // Callers pass the same SQL text object again and again (literals and
    // static strings), so a slot chosen by its address usually holds it:
    // one compare of the text instead of hashing it (~300 instructions).
    Recent& slot = recent_[(reinterpret_cast<uintptr_t>(sql.data()) >> 3) % kRecentSlots];
    if (slot.stmt != nullptr && slot.data == sql.data() && slot.text->size() == sql.size() &&
        std::memcmp(slot.text->data(), sql.data(), sql.size()) == 0) {
      return slot.stmt;
    }
    if (auto it = cache_.find(sql); it != cache_.end()) {
      slot = Recent{sql.data(), &it->first, &it->second};
      return &it->second;
    }
    Stmt st;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &st.stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    if (st.stmt == nullptr) return core::InvalidArgument("empty SQL statement");
    auto finalize_on_error = [&](core::Error e) -> core::Error {
      sqlite3_finalize(st.stmt);
      return e;
    };
    // sqlite3_prepare stops after the first statement; a silently ignored second one would be a bug.
    std::string_view rest(tail, sql.data() + sql.size() - tail);
    if (!OnlyTrivia(std::string(rest).c_str())) {
      return finalize_on_error(core::InvalidArgument("one statement per call expected (in: " + SqlSnippet(sql) + ")"));
    }
    int count = sqlite3_bind_parameter_count(st.stmt);
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(st.stmt, i);
      int n = 0;
      std::string_view nm = name != nullptr ? std::string_view(name) : std::string_view();
      auto [ptr, ec] = nm.size() >= 2 && nm[0] == '$'
                           ? std::from_chars(nm.data() + 1, nm.data() + nm.size(), n)
                           : std::from_chars_result{nullptr, std::errc::invalid_argument};
      if (ec != std::errc() || ptr != nm.data() + nm.size() || n < 1 || n > 32766) {
        return finalize_on_error(core::InvalidArgument(
            "placeholders must be $1..$n, got '" + std::string(nm.empty() ? "?" : nm) + "' (in: " + SqlSnippet(sql) + ")"));
      }
      if (static_cast<size_t>(n) > st.index_of.size()) st.index_of.resize(n, 0);
      st.index_of[n - 1] = i;
    }
    if (cache_.size() >= kStatementCacheLimit) {
      st.cached = false;
      uncached_ = std::move(st);
      return &uncached_;
    }
    auto [it, inserted] = cache_.emplace(std::string(sql), std::move(st));
    return &it->second;
  }

  core::Status Bind(Stmt& st, std::string_view sql, std::span<const Value> params) {
    if (params.size() != st.index_of.size()) {
      core::Error e = core::InvalidArgument("statement expects " + std::to_string(st.index_of.size()) +
                                            " parameters, got " + std::to_string(params.size()) +
                                            " (in: " + SqlSnippet(sql) + ")");
      Done(&st);
      return e;
    }
    for (size_t n = 0; n < params.size(); ++n) {
      int idx = st.index_of[n];
      if (idx == 0) continue;
      const Value& v = params[n];
      int rc = SQLITE_OK;
      // SQLITE_STATIC: the values outlive the statement's use; Done() clears the bindings.
      switch (v.type()) {
        case Value::Type::kNull: rc = sqlite3_bind_null(st.stmt, idx); break;
        case Value::Type::kInt: rc = sqlite3_bind_int64(st.stmt, idx, *v.if_int()); break;
        case Value::Type::kReal: rc = sqlite3_bind_double(st.stmt, idx, *v.if_real()); break;
        case Value::Type::kText: {
          const std::string& s = *v.if_text();
          rc = sqlite3_bind_text64(st.stmt, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
          break;
        }
        case Value::Type::kBlob: {
          const Bytes& b = *v.if_blob();
          // A zero-length blob with a null data pointer would bind NULL; zeroblob keeps it a blob.
          rc = b.empty() ? sqlite3_bind_zeroblob(st.stmt, idx, 0)
                         : sqlite3_bind_blob64(st.stmt, idx, b.data(), b.size(), SQLITE_STATIC);
          break;
        }
      }
      if (rc != SQLITE_OK) {
        core::Error e = SqliteError(db_, rc, sql);
        Done(&st);
        return e;
      }
    }
    return core::OkStatus();
  }

  void Done(Stmt* st) {
    sqlite3_reset(st->stmt);
    sqlite3_clear_bindings(st->stmt);
    if (!st->cached) {
      sqlite3_finalize(st->stmt);
      st->stmt = nullptr;
    }
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return Value(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
      case SQLITE_FLOAT: return Value(sqlite3_column_double(stmt, i));
      case SQLITE_TEXT: {
        const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return Value(std::string(p, sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const uint8_t* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
        int len = sqlite3_column_bytes(stmt, i);
        return Value(Bytes(p, p + len));
      }
      default: return Value();
    }
  }

  // Recently used statements by the address of their SQL text (Prepare).
  // Entries point into cache_, whose nodes never move or go before the destructor.
  struct Recent {
    const char* data = nullptr;
    const std::string* text = nullptr;
    Stmt* stmt = nullptr;
  };
  static constexpr size_t kRecentSlots = 64;
  std::array<Recent, kRecentSlots> recent_{};

  sqlite3* db_;
  bool in_write_ = false;     // a write transaction is open (Begin(kWrite) until Commit/Rollback)
  unsigned data_version_ = 0; // DataVersion() after our last transaction ended
  uint64_t epoch_ = 1;        // CacheEpoch()
  std::unordered_map<std::string, Stmt, StringHash, std::equal_to<>> cache_;
  Stmt uncached_;  // the one statement in use beyond the cache limit
};

}  // namespace

std::string SqlSnippet(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    if (out.size() >= 80) {
      out += "...";
      break;
    }
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}

namespace {

// Process-wide SQLite settings, applied once before SQLite initialises.
// MEMSTATUS off: with it on (the default) every sqlite3_malloc/sqlite3_free
// takes a global mutex to keep allocation statistics nobody here reads
// (about 60 allocations per engine instance on the writer thread).
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    // SQLITE_MISUSE when SQLite was already initialised (another library in
    // the process opened a database first): the defaults stay, which is correct, only slower.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize() == SQLITE_OK;
  }();
  (void)configured;
}

}  // namespace

core::Result<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteConnectionOptions& options) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    core::Error e = SqliteError(db, rc, {});
    sqlite3_close_v2(db);
    return e.WithContext("opening " + options.path);
  }
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  auto conn = std::make_unique<SqliteConnection>(db);
  auto pragma = [&](std::string_view sql) -> core::Status {
    std::vector<Row> rows;
    AW_TRY(conn->Query(sql, {}, 0, &rows));
    return core::OkStatus();
  };
  if (!options.read_only) {
    std::vector<Row> rows;
    AW_TRY(conn->Query("PRAGMA journal_mode=WAL", {}, 0, &rows));
    if (rows.empty() || rows[0].Text(0) != "wal") {
      return core::FailedPrecondition("sqlite: cannot switch " + options.path + " to WAL mode");
    }
    // FULL: the WAL is synced on every commit, so an acknowledged commit survives power loss.
    AW_TRY(pragma("PRAGMA synchronous=FULL"));
    AW_TRY(pragma("PRAGMA foreign_keys=ON"));
  } else {
    AW_TRY(pragma("PRAGMA query_only=ON"));
  }
  // Savepoint journals stay in memory: the writer opens one per command.
  AW_TRY(pragma("PRAGMA temp_store=MEMORY"));
  return std::unique_ptr<Connection>(std::move(conn));
}

core::Status SqliteBackup(Connection& source, const std::string& dest_path) {
  auto* src = dynamic_cast<SqliteConnection*>(&source);
  AW_ASSERT(src != nullptr, "SqliteBackup needs a SQLite connection");
  std::string tmp = dest_path + ".tmp";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(tmp.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    core::Error e = SqliteError(dest, rc, {});
    sqlite3_close_v2(dest);
    return e.WithContext("opening backup file " + tmp);
  }
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", src->db(), "main");
  if (b == nullptr) {
    core::Error e = SqliteError(dest, sqlite3_errcode(dest), {});
    sqlite3_close_v2(dest);
    std::filesystem::remove(tmp, ec);
    return e.WithContext("starting backup");
  }
  // -1: all pages in one step, so the copy is one consistent snapshot of the source.
  rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    core::Error e = SqliteError(nullptr, rc, {});
    sqlite3_close_v2(dest);
    std::filesystem::remove(tmp, ec);
    return e.WithContext("backup to " + dest_path);
  }
  rc = sqlite3_close_v2(dest);
  if (rc != SQLITE_OK) {
    std::filesystem::remove(tmp, ec);
    return core::Unavailable("closing backup file " + tmp + ": " + sqlite3_errstr(rc));
  }
  // Rename last: a crash mid-backup never leaves a half-written file under the final name.
  std::filesystem::rename(tmp, dest_path, ec);
  if (ec) return core::Unavailable("renaming " + tmp + " to " + dest_path + ": " + ec.message());
  return core::OkStatus();
}


namespace {

class WalCheckpointerImpl final : public WalCheckpointer {
 public:
  WalCheckpointerImpl(sqlite3* own, int threshold_pages, int inline_pages, core::metrics::Counter& on_thread,
                      core::metrics::Counter& on_writer)
      : own_(own),
        threshold_pages_(threshold_pages),
        inline_pages_(inline_pages),
        on_thread_(on_thread),
        on_writer_(on_writer) {}
  ~WalCheckpointerImpl() override {
    StopThread();
    sqlite3_close_v2(own_);
  }

  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return pending_ || stopping_; });
      if (stopping_) return;
      pending_ = false;
      lock.unlock();
      // PASSIVE: copies what no reader still needs, never waits for the
      // writer or readers; the writer goes on appending meanwhile.
      int rc = sqlite3_wal_checkpoint_v2(own_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        core::LogWarn("store: WAL checkpoint failed", {{"error", sqlite3_errmsg(own_)}});
      }
      on_thread_.Inc();
      lock.lock();
    }
  }

  // sqlite3_wal_hook: runs on the writer thread after each commit.
  static int Hook(void* arg, sqlite3* db, const char* name, int pages) {
    auto* self = static_cast<WalCheckpointerImpl*>(arg);
    if (pages >= self->inline_pages_) {
      (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      self->on_writer_.Inc();
    } else if (pages >= self->threshold_pages_) {
      std::lock_guard lock(self->mu_);
      self->pending_ = true;
      self->cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void Detach(Connection& writer) override {
    if (attached_ != nullptr) {
      auto* w = dynamic_cast<SqliteConnection*>(&writer);
      AW_ASSERT(w != nullptr && w->db() == attached_, "WalCheckpointer::Detach with another connection");
      sqlite3_wal_hook(attached_, nullptr, nullptr);
      sqlite3_wal_autocheckpoint(attached_, threshold_pages_);
      attached_ = nullptr;
    }
    StopThread();
  }

  sqlite3* own_;
  sqlite3* attached_ = nullptr;
  std::thread thread_;

 private:
  void StopThread() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  const int threshold_pages_;
  const int inline_pages_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;   // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  core::metrics::Counter& on_thread_;
  core::metrics::Counter& on_writer_;
};

}  // namespace

core::Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(Connection& writer, const std::string& path,
                                                                      int threshold_pages, int inline_pages,
                                                                      core::metrics::Counter& on_thread,
                                                                      core::metrics::Counter& on_writer) {
  auto* w = dynamic_cast<SqliteConnection*>(&writer);
  AW_ASSERT(w != nullptr, "WalCheckpointer needs a SQLite connection");
  sqlite3* own = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                           nullptr);
  if (rc != SQLITE_OK) {
    core::Error e = SqliteError(own, rc, {});
    sqlite3_close_v2(own);
    return e.WithContext("opening the checkpoint connection to " + path);
  }
  // FULL: the checkpoint syncs the database file before the WAL may be
  // reused, so a power loss never loses a page that was copied out of it.
  rc = sqlite3_exec(own, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    core::Error e = SqliteError(own, rc, "PRAGMA synchronous=FULL");
    sqlite3_close_v2(own);
    return e;
  }
  auto impl = std::make_unique<WalCheckpointerImpl>(own, threshold_pages, inline_pages, on_thread, on_writer);
  try {
    impl->thread_ = std::thread([p = impl.get()] { p->Run(); });
  } catch (const std::system_error& e) {
    return core::Unavailable(std::string("starting the WAL checkpoint thread: ") + e.what());
  }
  // Replaces SQLite's auto-checkpoint hook (sqlite3_wal_autocheckpoint is one).
  sqlite3_wal_hook(w->db(), &WalCheckpointerImpl::Hook, impl.get());
  impl->attached_ = w->db();
  return std::unique_ptr<WalCheckpointer>(std::move(impl));
}

}  // namespace amtsweg::store::internal
