#include <cstdio>
#include <filesystem>

#include "app/commands.h"
#include "app/database.h"

namespace amtsweg::app {

int RunBackup(const CommonFlags& common, const std::string& file) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  const std::string& url = cfg->database.url;
  if (url.starts_with("postgresql:") || url.starts_with("postgres:")) {
    // Not opened at all: a PostgreSQL backup belongs to PostgreSQL's own tools.
    std::fprintf(stderr,
                 "amtsweg: backup works on SQLite databases only; back up PostgreSQL with pg_dump, e.g.\n"
                 "  pg_dump --format=custom --file=%s '%s'\n",
                 file.c_str(), url.c_str());
    return 1;
  }
  auto db = OpenDatabase(cfg->database, nullptr);
  if (!db.ok()) {
    ReportError(db.error());
    return 1;
  }
  core::Status s = (*db)->Backup(file);
  (*db)->Close();
  if (!s.ok()) {
    ReportError(s.error());
    return 1;
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  std::printf("backup written to %s (%ju bytes)\n", file.c_str(), static_cast<uintmax_t>(ec ? 0 : size));
  return 0;
}

}  // namespace amtsweg::app
