// Import of BPMN 2.0 XML into the immutable model of bpmn/model.h.
#pragma once

#include <memory>
#include <string_view>

#include "bpmn/model.h"
#include "core/result.h"

namespace amtsweg::bpmn {

// Largest document ImportBpmn accepts; larger input is kResourceExhausted.
inline constexpr size_t kMaxBpmnBytes = 32u << 20;
// Deepest XML element nesting accepted (keeps recursion and fuzzing bounded).
inline constexpr int kMaxBpmnDepth = 256;

// Parses `xml` (BPMN 2.0, any namespace prefix style, UTF-8 or with a BOM)
// into Definitions. The text is copied into Definitions::source_xml unchanged;
// `xml` is not retained. Pure: no I/O, no global state; thread-safe.
//
// Namespaces are resolved by URI (http://www.omg.org/spec/BPMN/20100524/MODEL),
// so default-namespace, bpmn:, bpmn2:, semantic:, model: files all import.
// zeebe: and camunda: (also activiti:) extensions are mapped to Extensions;
// other vendors' extensions are kept in source_xml only.
//
// Import succeeds for models the engine cannot execute (non-executable
// processes, JUEL conditions, transactions...): that is decided by
// CheckExecutable (bpmn/lint.h), not here.
//
// kInvalidArgument: malformed XML ("line L:C: ..." in the message), a root
//   that is not bpmn:definitions, or structural errors — duplicate ids,
//   sequence flows/default flows/boundary attachments/message flows/event
//   definition refs to unknown ids, flows crossing a sub-process boundary.
//   Each problem is a detail whose pointer is the element id and whose
//   message starts with "line L:C".
// kResourceExhausted: more than kMaxBpmnBytes, or nesting deeper than kMaxBpmnDepth.
core::Result<std::shared_ptr<const Definitions>> ImportBpmn(std::string_view xml);

}  // namespace amtsweg::bpmn
