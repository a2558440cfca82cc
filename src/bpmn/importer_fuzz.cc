// libFuzzer entry for the BPMN importer and the lint that runs on every
// imported model. Build: cmake -DAMTSWEG_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++.
// Crashes become files in testdata/fuzz_corpus/, replayed by bpmn_test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bpmn/exporter.h"
#include "bpmn/importer.h"
#include "bpmn/lint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto defs = amtsweg::bpmn::ImportBpmn(xml);
  if (!defs.ok()) return 0;
  (void)amtsweg::bpmn::Lint(**defs);
  (void)amtsweg::bpmn::CheckExecutable(**defs);
  // Round trip: the export must import to the same model.
  auto again = amtsweg::bpmn::ImportBpmn(amtsweg::bpmn::ExportBpmn(**defs));
  if (!again.ok() || !(**again == **defs)) __builtin_trap();
  return 0;
}
