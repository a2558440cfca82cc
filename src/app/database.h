// Opening the configured database, shared by the commands that need one.
#pragma once

#include <memory>
#include <vector>

#include "core/config.h"
#include "core/metrics.h"
#include "store/database.h"

namespace amtsweg::app {

// Opens `cfg.url` with the configured pool sizes; `metrics` may be null.
core::Result<std::unique_ptr<store::Database>> OpenDatabase(const core::DatabaseConfig& cfg,
                                                            core::metrics::Registry* metrics);

struct MigratedDatabase {
  std::unique_ptr<store::Database> db;
  std::vector<store::MigrationInfo> applied;  // by this call; empty when it was up to date
};

// OpenDatabase, then apply pending migrations (serve and migrate both start so).
core::Result<MigratedDatabase> OpenAndMigrate(const core::DatabaseConfig& cfg, core::metrics::Registry* metrics);

// OpenAndMigrate with the writer started, for a command that writes; on
// failure the error is reported on stderr ("amtsweg: ...") and null returned.
std::unique_ptr<store::Database> OpenForWriting(const core::DatabaseConfig& cfg);

}  // namespace amtsweg::app
