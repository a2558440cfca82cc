#include "store/migrations.h"

#include "core/hash.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <sodium.h>

#include "core/log.h"
#include "core/time.h"
#include "store/connection.h"

namespace amtsweg::store {
namespace {

// Any constant will do: it only has to be the same in every Amtsweg process.
constexpr int64_t kMigrationLockKey = 0x616d7473776567;  // "amtsweg"

bool ValidName(std::string_view name, int* version) {
  // NNNN_name.sql, name of [a-z0-9_]
  if (name.size() < 4 + 1 + 1 + 4 || !name.ends_with(".sql") || name[4] != '_') return false;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + 4, *version);
  if (ec != std::errc() || ptr != name.data() + 4 || *version <= 0) return false;
  for (char c : name.substr(5, name.size() - 5 - 4)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

core::Result<std::vector<MigrationInfo>> ReadApplied(internal::Connection& c) {
  std::vector<Row> rows;
  if (c.dialect() == Dialect::kSqlite) {
    AW_TRY(c.Query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", {}, 0,
                   &rows));
  } else {
    // to_regclass follows search_path, so each schema has its own migrations.
    AW_TRY(c.Query("SELECT to_regclass('schema_migrations') IS NOT NULL", {}, 0, &rows));
  }
  std::vector<MigrationInfo> out;
  if (rows.empty() || rows[0].Int(0) == 0) return out;
  rows.clear();
  AW_TRY(c.Query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version", {}, 0, &rows));
  for (const Row& r : rows) {
    out.push_back({static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), r.Text(3)});
  }
  return out;
}

// Every applied migration must be one of ours, unchanged.
core::Status CheckApplied(const std::vector<Migration>& known, const std::vector<MigrationInfo>& applied) {
  for (const MigrationInfo& a : applied) {
    auto it = std::find_if(known.begin(), known.end(), [&](const Migration& m) { return m.version == a.version; });
    if (it == known.end()) {
      return core::FailedPrecondition("database has migration " + a.name +
                                      " applied, which this binary does not know; run a newer Amtsweg");
    }
    std::string sum = MigrationChecksum(it->sql);
    if (sum != a.checksum) {
      return core::FailedPrecondition("migration " + it->name + " was changed after it was applied (checksum " +
                                      sum + ", applied " + a.checksum +
                                      "); never edit an applied migration, add a new one");
    }
  }
  return core::OkStatus();
}

core::Status BeginLocked(internal::Connection& c) {
  AW_TRY(c.Begin(internal::TxKind::kWrite));
  if (c.dialect() == Dialect::kPostgres) {
    // Several `amtsweg serve` processes may start at once; one migrates at a time.
    std::vector<Row> rows;
    const Value key[] = {Value(kMigrationLockKey)};
    core::Status s = c.Query("SELECT pg_advisory_xact_lock($1)", key, 0, &rows);
    if (!s.ok()) {
      c.Rollback();
      return s;
    }
  }
  return core::OkStatus();
}

}  // namespace

std::string MigrationChecksum(std::string_view sql) { return core::Sha256Hex(sql); }

core::Result<std::vector<Migration>> EmbeddedMigrations(Dialect dialect) {
  std::vector<Migration> out;
  for (size_t i = 0; i < internal::kEmbeddedFileCount; ++i) {
    const internal::EmbeddedFile& f = internal::kEmbeddedFiles[i];
    if (std::string_view(f.dialect) != DialectName(dialect)) continue;
    out.push_back({0, f.name, std::string(reinterpret_cast<const char*>(f.data), f.size)});
  }
  AW_TRY(internal::ValidateMigrations(out));
  return out;
}

namespace internal {

core::Status ValidateMigrations(std::vector<Migration>& migrations) {
  for (Migration& m : migrations) {
    int version = 0;
    if (!ValidName(m.name, &version)) {
      return core::Internal("migration file name '" + m.name + "' is not NNNN_name.sql (name: a-z, 0-9, _)");
    }
    m.version = version;
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return core::Internal("migrations " + migrations[i - 1].name + " and " + migrations[i].name +
                            " have the same version");
    }
  }
  return core::OkStatus();
}

core::Result<MigrationStatus> ReadMigrationStatus(Connection& conn, const std::vector<Migration>& migrations) {
  AW_ASSIGN_OR_RETURN(std::vector<MigrationInfo> applied, ReadApplied(conn));
  AW_TRY(CheckApplied(migrations, applied));
  MigrationStatus status;
  for (const Migration& m : migrations) {
    bool done = std::any_of(applied.begin(), applied.end(), [&](const MigrationInfo& a) { return a.version == m.version; });
    if (!done) status.pending.push_back({m.version, m.name, MigrationChecksum(m.sql), ""});
  }
  status.applied = std::move(applied);
  return status;
}

core::Result<std::vector<MigrationInfo>> ApplyMigrations(Connection& conn, const std::vector<Migration>& migrations) {
  std::vector<MigrationInfo> done;
  AW_TRY(BeginLocked(conn));
  auto first = ReadMigrationStatus(conn, migrations);
  conn.Rollback();
  if (!first.ok()) return std::move(first).error();
  for (const MigrationInfo& p : first->pending) {
    const Migration& m =
        *std::find_if(migrations.begin(), migrations.end(), [&](const Migration& x) { return x.version == p.version; });
    // One transaction per migration, re-reading what is applied under the
    // lock: another process may have applied it meanwhile.
    AW_TRY(BeginLocked(conn));
    auto status = ReadMigrationStatus(conn, migrations);
    if (!status.ok()) {
      conn.Rollback();
      return std::move(status).error();
    }
    bool pending = std::any_of(status->pending.begin(), status->pending.end(),
                               [&](const MigrationInfo& p) { return p.version == m.version; });
    if (!pending) {
      conn.Rollback();
      continue;
    }
    MigrationInfo info{m.version, m.name, MigrationChecksum(m.sql),
                       core::FormatIso8601(core::SystemClock::Instance().Now(), 6)};
    core::Status s = conn.ExecScript(m.sql);
    if (s.ok()) {
      const Value row[] = {info.version, info.name, info.checksum, info.applied_at};
      auto r = conn.Exec("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
                         row);
      if (!r.ok()) s = std::move(r).error();
    }
    if (!s.ok()) {
      conn.Rollback();
      core::Error e = std::move(s).error();
      e.WithContext("migration " + m.name);
      return e;
    }
    AW_TRY(conn.Commit());
    core::LogInfo("store migration applied", {{"name", m.name}, {"dialect", DialectName(conn.dialect())}});
    done.push_back(std::move(info));
  }
  return done;
}

}  // namespace internal
}  // namespace amtsweg::store
