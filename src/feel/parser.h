// FEEL parser (DMN 1.3 grammar, chapter 10.3.1) producing an AST.
//
// Names with spaces and operator characters (`Date of Birth`, `income/month`)
// are resolved against the names known in scope: the caller's `NameSet` (input
// data, decisions, BKMs, item components), every built-in function name, and
// names introduced inside the expression (context keys, function parameters,
// iterator variables). At each name position the longest known token sequence
// wins; an unknown name is a single token.
//
// Errors: kInvalidArgument "L:C: expected X, found Y". Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "feel/ast.h"

namespace amtsweg::feel {

// A set of (possibly multi-word) names, indexed by their first token.
class NameSet {
 public:
  void Add(std::string_view name);
  void AddAll(const NameSet& other);
  // Token sequences starting with `first` token text, with their canonical names.
  const std::vector<std::pair<std::vector<std::string>, std::string>>* Candidates(
      const std::string& first) const;
  size_t size() const { return count_; }

 private:
  std::unordered_map<std::string, std::vector<std::pair<std::vector<std::string>, std::string>>>
      by_first_;
  size_t count_ = 0;
};

// A full FEEL expression (literal expression, output entry, BKM body).
core::Result<NodePtr> ParseExpression(std::string_view text, const NameSet& names);

// Unary tests as in a decision-table input entry: "-", "< 10, > 20",
// "not(\"a\", \"b\")", "[1..5]", or any expression (tested against `?`).
core::Result<NodePtr> ParseUnaryTests(std::string_view text, const NameSet& names);

// Names of all built-in functions and multi-word property names, for NameSet.
const NameSet& BuiltinNames();

}  // namespace amtsweg::feel
