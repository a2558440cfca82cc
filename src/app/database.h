// Opening the configured database, shared by the commands that need one.
#pragma once

#include <memory>

#include "core/config.h"
#include "core/metrics.h"
#include "store/database.h"

namespace amtsweg::app {

// Opens `cfg.url` with the configured pool sizes; `metrics` may be null.
core::Result<std::unique_ptr<store::Database>> OpenDatabase(const core::DatabaseConfig& cfg,
                                                            core::metrics::Registry* metrics);

}  // namespace amtsweg::app
