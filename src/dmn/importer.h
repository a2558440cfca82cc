// DMN XML import: DMN 1.1, 1.2, 1.3 (reference), 1.4 and 1.5 namespaces, with
// default namespace or any prefix. Pure: takes the XML text, no file access.
#pragma once

#include <string_view>

#include "core/result.h"
#include "dmn/model.h"

namespace amtsweg::dmn {

// Parses one DMN document. kInvalidArgument when the XML is malformed (message
// "DMN XML L:C: ...") or the root is not a DMN <definitions> element.
// Unknown extension elements are ignored; unsupported boxed expressions are
// kept as ExpressionKind::kUnsupported and reported when evaluated.
core::Result<Definitions> ParseDmnXml(std::string_view xml);

}  // namespace amtsweg::dmn
