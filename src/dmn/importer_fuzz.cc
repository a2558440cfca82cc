// Fuzz entry for the DMN importer and engine (LLVMFuzzerTestOneInput):
// parse, compile, and evaluate every decision with no inputs under a step
// budget. importer_fuzz_test.cc replays it in the normal suite.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dmn/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace amtsweg;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto engine = dmn::ImportDmn(xml);
  if (!engine.ok()) return 0;
  for (const auto& d : (*engine)->main().decisions) {
    (void)(*engine)->EvaluateDecision(d.name, feel::Context());
  }
  return 0;
}
