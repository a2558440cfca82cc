// DMN model (DMN 1.3 chapter 6-8 elements, also read from 1.1-1.5 files):
// plain data produced by the importer (importer.h) and compiled by the engine
// (engine.h). No behaviour here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace amtsweg::dmn {

struct ItemDefinition {
  std::string id;
  std::string name;
  std::string type_ref;        // base type, e.g. "number", "tOther"; empty if structured
  std::string allowed_values;  // unary tests text; empty if unconstrained
  bool is_collection = false;
  std::vector<ItemDefinition> components;
  bool is_function = false;  // functionItem
};

struct Expression;
using ExpressionPtr = std::shared_ptr<const Expression>;

struct Binding {
  std::string parameter;
  ExpressionPtr expression;  // may be null: parameter is bound to null
};

struct ContextEntry {
  std::string variable;  // empty for the final result entry
  std::string type_ref;
  ExpressionPtr expression;
};

struct Parameter {
  std::string name;
  std::string type_ref;
};

struct InputClause {
  std::string id;
  std::string label;
  std::string expression;  // FEEL text
  std::string type_ref;
  std::string input_values;  // unary tests text
};

struct OutputClause {
  std::string id;
  std::string name;
  std::string type_ref;
  std::string output_values;  // unary tests text (list of literals gives priorities)
  std::string default_entry;  // FEEL text
};

struct Rule {
  std::string id;
  std::vector<std::string> input_entries;   // unary tests text
  std::vector<std::string> output_entries;  // FEEL text
};

enum class HitPolicy { kUnique, kFirst, kPriority, kAny, kCollect, kRuleOrder, kOutputOrder };
enum class Aggregation { kNone, kSum, kMin, kMax, kCount };

struct DecisionTable {
  HitPolicy hit_policy = HitPolicy::kUnique;
  Aggregation aggregation = Aggregation::kNone;
  std::string output_label;
  std::vector<InputClause> inputs;
  std::vector<OutputClause> outputs;
  std::vector<Rule> rules;
};

enum class ExpressionKind {
  kLiteral,
  kDecisionTable,
  kContext,
  kInvocation,
  kRelation,
  kList,
  kFunctionDefinition,
  kConditional,
  kFor,
  kSome,
  kEvery,
  kFilter,
  kUnsupported,
};

// A boxed expression. Fields are used according to `kind`.
struct Expression {
  ExpressionKind kind = ExpressionKind::kLiteral;
  std::string id;
  std::string type_ref;
  std::string text;                  // literal FEEL text; invocation callee name; element name if unsupported
  DecisionTable table;               // decision table
  std::vector<ContextEntry> entries; // context
  std::vector<Binding> bindings;     // invocation
  std::vector<std::string> columns;  // relation
  std::vector<std::vector<ExpressionPtr>> rows;  // relation
  std::vector<ExpressionPtr> items;  // list; conditional (if, then, else); for/some/every (in, body); filter (in, match)
  std::vector<Parameter> parameters; // function definition
  std::string function_kind = "FEEL";
  std::string iterator;              // for/some/every iterator variable
  ExpressionPtr body;                // function definition body
};

struct Requirement {
  std::string href;  // "#id" or "namespace#id"
};

struct InputData {
  std::string id;
  std::string name;
  std::string type_ref;
};

struct Decision {
  std::string id;
  std::string name;
  std::string type_ref;
  std::vector<Requirement> required_decisions;
  std::vector<Requirement> required_inputs;
  std::vector<Requirement> required_knowledge;
  ExpressionPtr expression;  // null if the decision has no logic
};

struct Bkm {
  std::string id;
  std::string name;
  std::string type_ref;
  std::vector<Requirement> required_knowledge;
  ExpressionPtr logic;  // a function definition; null if none
};

struct DecisionService {
  std::string id;
  std::string name;
  std::string type_ref;
  std::vector<Requirement> output_decisions;
  std::vector<Requirement> encapsulated_decisions;
  std::vector<Requirement> input_decisions;
  std::vector<Requirement> input_data;
};

struct Import {
  std::string name;       // prefix used in expressions
  std::string namespace_;
  std::string import_type;
};

struct Definitions {
  std::string id;
  std::string name;
  std::string namespace_;
  std::string dmn_version;  // "1.1" .. "1.5" from the model namespace
  std::vector<ItemDefinition> item_definitions;
  std::vector<InputData> inputs;
  std::vector<Decision> decisions;
  std::vector<Bkm> bkms;
  std::vector<DecisionService> services;
  std::vector<Import> imports;
};

}  // namespace amtsweg::dmn
