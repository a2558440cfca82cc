// Checks of an imported model: modelling errors (after bpmnlint's rules) and
// what the engine will not execute (after Zeebe's deployment validation).
#pragma once

#include <string>
#include <vector>

#include "bpmn/model.h"
#include "core/result.h"

namespace amtsweg::bpmn {

enum class Severity { kError, kWarning };
const char* SeverityName(Severity severity);  // "error" / "warning"

struct Finding {
  Severity severity = Severity::kError;
  // Stable kebab-case rule name: "unsupported-element", "missing-condition", ...
  // (README.md lists them all).
  std::string code;
  std::string process_id;  // empty for definitions-level findings
  std::string element_id;
  // What the finding is about, for unsupported features the unsupported thing:
  // "complexGateway", "compensateEventDefinition", "JUEL", "camunda:executionListener".
  std::string subject;
  std::string message;
  SourcePos pos;
  // True when the engine does not implement the feature (as opposed to a
  // modelling error the author can fix within what the engine supports).
  bool unsupported = false;
  bool operator==(const Finding&) const = default;
};

// All findings, in document order per process. Execution checks (unsupported
// features, missing task types, correlation keys...) are errors in executable
// processes and warnings in non-executable ones; modelling checks have a fixed
// severity. Pure and thread-safe.
std::vector<Finding> Lint(const Definitions& definitions);

// Whether the engine will execute `definitions`: OK when there is at least one
// executable process and no executable process has an error finding.
// kUnimplemented: every refusal is an unsupported feature. kInvalidArgument:
// at least one modelling error, or no executable process. Each refused finding
// is a detail: pointer = element id (or process id), message = "code: message
// (line L:C)".
core::Status CheckExecutable(const Definitions& definitions);

// One line for the CLI: "error   line 12:5  Task_1  task-type-missing  <message>".
std::string FormatFinding(const Finding& finding);

}  // namespace amtsweg::bpmn
