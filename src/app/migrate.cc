#include <cstdio>

#include "app/commands.h"
#include "app/database.h"

namespace amtsweg::app {

int RunMigrate(const CommonFlags& common) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto db = OpenDatabase(cfg->database, nullptr);
  if (!db.ok()) {
    ReportError(db.error());
    return 1;
  }
  auto applied = (*db)->Migrate();
  if (!applied.ok()) {
    ReportError(applied.error());
    return 1;
  }
  if (applied->empty()) {
    auto status = (*db)->Migrations();
    size_t n = status.ok() ? status->applied.size() : 0;
    std::printf("database is up to date (%zu migrations applied)\n", n);
  } else {
    for (const auto& m : *applied) std::printf("applied %s\n", m.name.c_str());
    std::printf("%zu migration(s) applied\n", applied->size());
  }
  (*db)->Close();
  return 0;
}

}  // namespace amtsweg::app
