#include <cstdio>

#include "app/commands.h"
#include "app/database.h"

namespace amtsweg::app {

int RunMigrate(const CommonFlags& common) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto opened = OpenAndMigrate(cfg->database, nullptr);
  if (!opened.ok()) {
    ReportError(opened.error());
    return 1;
  }
  auto& db = opened->db;
  const auto& applied = opened->applied;
  if (applied.empty()) {
    auto status = db->Migrations();
    size_t n = status.ok() ? status->applied.size() : 0;
    std::printf("database is up to date (%zu migrations applied)\n", n);
  } else {
    for (const auto& m : applied) std::printf("applied %s\n", m.name.c_str());
    std::printf("%zu migration(s) applied\n", applied.size());
  }
  db->Close();
  return 0;
}

}  // namespace amtsweg::app
