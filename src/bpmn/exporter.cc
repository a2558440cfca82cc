#include "bpmn/exporter.h"

namespace amtsweg::bpmn {

// The model is built from the XML and never edited (Definitions is immutable
// once imported), so the original text is the exact serialisation; writing
// our own XML would lose vendor extensions and layout that we do not model.
std::string ExportBpmn(const Definitions& definitions) { return definitions.source_xml; }

}  // namespace amtsweg::bpmn
