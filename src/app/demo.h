// `amtsweg demo seed` as functions: the two demo municipalities with their
// services (demo.cc), and the demo history run through the engine
// (demo_history.cc). Also used by the scenario tests of the three services.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace amtsweg::app {

inline constexpr const char* kDemoTenantA = "amt-musterland";
inline constexpr const char* kDemoTenantB = "gemeinde-beispielstadt";

// Amt Musterland (departments, staff accounts, the three services of `dir` =
// demo/services, templates, open data) and Gemeinde Beispielstadt (the
// packages of A imported with demo/beispielstadt.json). Each tenant that
// exists already is left as it is. `db`'s writer must be started.
struct SeedOptions {
  bool users = true;      // staff accounts (passwords printed)
  bool open_data = true;  // Amt Musterland's open data (a daily timer process)
};
core::Status SeedDemoTenants(store::Database& db, const core::Config& cfg, const std::filesystem::path& dir,
                             const SeedOptions& options = {});

struct HistoryOptions {
  int cases = 300;              // over both tenants and the three services
  int days = 180;               // spread over this many days before `end`
  uint64_t seed = 20261127;     // the RNG's seed (deterministic history)
  std::filesystem::path files_dir;
  std::optional<core::Timestamp> end{};  // the history ends here; unset: the system clock's now
};

struct HistoryStats {
  int submitted = 0;
  int completed = 0;  // process instances that ended
  int open = 0;       // still running (tasks in the inboxes, waiting timers)
  bool skipped = false;  // history was there already
};

// Runs `options.cases` applications through intake, the engine and the
// workers with a clock that starts `options.days` before the system clock's
// now and moves forward; case workers decide (mostly approvals, some
// refusals, requests for documents with and without replies, deadlines that
// pass). Nothing when either demo tenant already has a case.
core::Result<HistoryStats> SeedDemoHistory(store::Database& db, const HistoryOptions& options);

}  // namespace amtsweg::app
