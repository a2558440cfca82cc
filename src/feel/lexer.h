// FEEL lexer: turns expression text into tokens with line:column positions.
//
// Names are not joined here: `Date of Birth` is three name tokens. The parser
// joins them against the names known in scope (see parser.h), which is how FEEL
// names with spaces and operator characters (`income/month`) are resolved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace amtsweg::feel {

enum class TokenKind { kName, kNumber, kString, kPunct, kEnd };

struct Token {
  TokenKind kind;
  std::string text;  // name text, number text, decoded string, or punctuation
  size_t begin = 0;  // byte offsets into the source
  size_t end = 0;
  int line = 1;
  int column = 1;
};

// Tokenises `source`. kInvalidArgument "line:col: ..." for an unterminated
// string or comment, or a character that starts no token. The last token is kEnd.
core::Result<std::vector<Token>> Tokenize(std::string_view source);

}  // namespace amtsweg::feel
