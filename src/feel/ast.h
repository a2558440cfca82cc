// FEEL abstract syntax tree, produced by the parser and consumed by the compiler.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "feel/decimal.h"

namespace amtsweg::feel {

enum class NodeKind {
  kNull,
  kBool,          // text "true"/"false"
  kNumber,        // number
  kString,        // text
  kAtLiteral,     // @"..." text
  kName,          // text: variable name (possibly with spaces)
  kQuestion,      // ? in unary tests
  kList,          // kids
  kContext,       // names[i] : kids[i]
  kRange,         // kids[0]=low|null-kind-absent, kids[1]=high; low_closed/high_closed
  kUnaryCompare,  // text op ("<", "<=", ">", ">=", "=", "!="), kids[0] endpoint; a range value
  kArith,         // text op (+ - * / **), kids[0], kids[1]
  kNegate,        // kids[0]
  kCompare,       // text op (= != < <= > >=), kids[0], kids[1]
  kAnd,
  kOr,
  kBetween,       // kids[0] between kids[1] and kids[2]
  kIn,            // kids[0] in kids[1] (kids[1] is a unary-tests node)
  kInstanceOf,    // kids[0] instance of type (type_text)
  kIf,            // kids: cond, then, else
  kFor,           // names: iterators; kids: domains..., body last. range_iter marks `a..b` domains
  kSome,          // names; kids: domains..., condition last
  kEvery,
  kFilter,        // kids[0][kids[1]]
  kPath,          // kids[0].text
  kCall,          // kids[0](kids[1..]); names non-empty for named arguments
  kFunctionDef,   // names: params; kids[0] body; external if `external` is set
  // Unary tests (decision table input entries, `in`):
  kTestAny,       // -
  kTestNot,       // not(kids...)
  kTestList,      // kids: positive unary tests (or-ed)
  kTestExpr,      // kids[0]: expression compared with / applied to the input
};

struct Node {
  NodeKind kind;
  int line = 0, column = 0;
  std::string text;
  Decimal number;
  std::vector<std::unique_ptr<Node>> kids;
  std::vector<std::string> names;
  std::vector<std::string> type_texts;  // parameter types / instance-of type
  bool low_closed = false, high_closed = false;
  bool has_low = true, has_high = true;
  bool external = false;
  std::vector<bool> range_iter;  // for kFor/kSome/kEvery: domain i is `a..b`
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace amtsweg::feel
