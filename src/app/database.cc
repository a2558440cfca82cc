#include "app/database.h"

#include "app/commands.h"

namespace amtsweg::app {

core::Result<std::unique_ptr<store::Database>> OpenDatabase(const core::DatabaseConfig& cfg,
                                                            core::metrics::Registry* metrics) {
  store::Options options;
  options.url = cfg.url;
  options.read_pool_size = static_cast<size_t>(cfg.readers);
  options.pg_pool_size = static_cast<size_t>(cfg.pool_size);
  options.busy_timeout = std::chrono::milliseconds(cfg.busy_timeout_ms);
  options.max_batch_size = static_cast<size_t>(cfg.max_batch);
  options.metrics = metrics;
  auto db = store::Database::Open(options);
  if (!db.ok()) {
    core::Error e = std::move(db).error();
    e.WithContext("database " + cfg.url);
    return e;
  }
  return db;
}

core::Result<MigratedDatabase> OpenAndMigrate(const core::DatabaseConfig& cfg, core::metrics::Registry* metrics) {
  AW_ASSIGN_OR_RETURN(auto db, OpenDatabase(cfg, metrics));
  auto applied = db->Migrate();
  if (!applied.ok()) return std::move(applied).error();
  return MigratedDatabase{std::move(db), std::move(*applied)};
}

std::unique_ptr<store::Database> OpenForWriting(const core::DatabaseConfig& cfg) {
  auto opened = OpenAndMigrate(cfg, nullptr);
  if (!opened.ok()) {
    ReportError(opened.error());
    return nullptr;
  }
  if (auto s = opened->db->writer().Start(); !s.ok()) {
    ReportError(s.error());
    return nullptr;
  }
  return std::move(opened->db);
}

}  // namespace amtsweg::app
