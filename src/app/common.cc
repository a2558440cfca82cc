#include <cstdio>

#include "app/commands.h"

namespace amtsweg::app {

void ReportError(const core::Error& error) {
  std::fprintf(stderr, "amtsweg: %s\n", error.message().c_str());
  for (const auto& d : error.details()) {
    std::fprintf(stderr, "  %s: %s\n", d.pointer.c_str(), d.message.c_str());
  }
}

std::optional<core::Config> LoadConfigOrReport(const CommonFlags& common) {
  auto cfg = core::LoadConfig(common.config_file, core::EnvironmentMap());
  if (!cfg.ok()) {
    ReportError(cfg.error());
    return std::nullopt;
  }
  if (common.db_url) cfg->database.url = *common.db_url;
  return std::move(*cfg);
}

}  // namespace amtsweg::app
