#include "app/demo.h"
namespace amtsweg::app {
core::Result<HistoryStats> SeedDemoHistory(store::Database&, const HistoryOptions&) {
  return core::Unimplemented("later");
}
}  // namespace amtsweg::app
