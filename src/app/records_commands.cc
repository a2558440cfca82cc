// `amtsweg cases retention`: the retention job of records/ from the command line.
#include <cstdio>

#include "app/commands.h"
#include "app/database.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "records/records.h"
#include "records/retention.h"

namespace amtsweg::app {

int RunCasesRetention(const CommonFlags& common, bool dry_run, const std::optional<std::string>& tenant) {
  auto cfg = LoadConfigOrReport(common);
  if (!cfg) return 1;
  auto db = OpenForWriting(cfg->database);
  if (!db) return 1;
  core::Result<core::Json> reports = core::Json::array();
  {
    catalog::Catalog catalog(*db);
    engine::Engine engine(*db);
    records::Records records(*db, catalog, engine, {.files_dir = cfg->storage.files_dir});
    reports = records::RunRetention(records, {.dry_run = dry_run, .tenant = tenant, .actor = "cli"});
  }
  core::Status stopped = db->writer().Stop();
  db->Close();
  if (!reports.ok()) {
    core::Error e = std::move(reports).error();
    e.WithContext("cases retention");
    ReportError(e);
    return 1;
  }
  if (!stopped.ok()) {
    ReportError(stopped.error());
    return 1;
  }
  for (const auto& r : *reports) {
    std::fprintf(stderr, "tenant %s: %s%lld cases anonymised\n", r.value("tenant", "").c_str(),
                 dry_run ? "(dry run) " : "", static_cast<long long>(r["counts"].value("cases", 0)));
  }
  std::printf("%s\n", reports->dump(2).c_str());
  return 0;
}

}  // namespace amtsweg::app
