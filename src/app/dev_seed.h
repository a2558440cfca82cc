// Bulk cases through the real intake path (`amtsweg dev seed`, `amtsweg bench cases`).
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "forms/schema.h"
#include "intake/intake.h"
#include "store/database.h"

namespace amtsweg::app {

struct SeedReport {
  int64_t created = 0, failed = 0;
  double seconds = 0;
  std::string first_error;
};

// Submits `n` cases to the published services of `tenant` (round robin) with
// Intake::Submit, at most `in_flight` at a time; progress lines every 5 s to
// `progress` (null: quiet). The database's writer must run.
core::Result<SeedReport> SeedCases(store::Database& db, const std::string& tenant, int64_t n,
                                   const std::filesystem::path& files_dir, int in_flight, std::FILE* progress);

// Valid form data for `form`, varied by `seed`; filepickers get SeedPdf() in `files`.
core::Json SeedData(const forms::Form& form, uint64_t seed, core::Timestamp now, std::vector<intake::Upload>* files);
std::string SeedPdf();

}  // namespace amtsweg::app
