#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "bpmn/importer.h"
#include "bpmn/lint.h"

namespace amtsweg::app {

int RunBpmnLint(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "amtsweg: %s: cannot read file\n", file.c_str());
    return 1;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  auto defs = bpmn::ImportBpmn(buf.str());
  if (!defs.ok()) {
    // Import errors carry "line L:C" per element: print them as file:... lines.
    std::fprintf(stderr, "%s: %s\n", file.c_str(), defs.error().message().c_str());
    for (const auto& d : defs.error().details()) {
      std::fprintf(stderr, "%s: %s: %s\n", file.c_str(), d.pointer.c_str(), d.message.c_str());
    }
    return 1;
  }
  auto findings = bpmn::Lint(**defs);
  size_t errors = 0, warnings = 0;
  for (const auto& f : findings) {
    std::printf("%s: %s\n", file.c_str(), bpmn::FormatFinding(f).c_str());
    (f.severity == bpmn::Severity::kError ? errors : warnings)++;
  }
  core::Status exec = bpmn::CheckExecutable(**defs);
  std::printf("%zu error(s), %zu warning(s); %s\n", errors, warnings,
              exec.ok() ? "deployable: the engine executes this model"
                        : ("not deployable: " + exec.error().message()).c_str());
  return errors == 0 ? 0 : 1;
}

}  // namespace amtsweg::app
