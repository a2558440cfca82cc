// Export of a model back to BPMN 2.0 XML.
#pragma once

#include <string>

#include "bpmn/model.h"

namespace amtsweg::bpmn {

// Returns the XML the model was imported from, byte for byte, so a deployed
// file downloads unchanged (diagram interchange, vendor extensions, comments
// and formatting included). ImportBpmn(ExportBpmn(d)) yields a model equal to
// `d`. Thread-safe; never fails.
std::string ExportBpmn(const Definitions& definitions);

}  // namespace amtsweg::bpmn
