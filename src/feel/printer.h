// Prints a FEEL AST back to FEEL text that parses to the same tree (fully
// parenthesised). Used for diagnostics and the parse(print(x)) round-trip
// property of the parser tests.
#pragma once

#include <string>
#include <string_view>

#include "feel/ast.h"

namespace amtsweg::feel {

// FEEL text for an expression or unary-tests tree. Multi-word names print as
// they are, so re-parsing needs the same NameSet.
std::string Print(const Node& n);

// A FEEL string literal for `s`: quoted, with \", \\, \n, \r and \t escaped.
std::string QuoteString(std::string_view s);

}  // namespace amtsweg::feel
