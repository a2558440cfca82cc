#include "dmn/importer.h"

#include <cstring>
#include <string>

#include <pugixml.hpp>

namespace amtsweg::dmn {
namespace {

// Local name of an element, without its namespace prefix.
std::string_view Local(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& n, std::string_view local) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && Local(c) == local) return c;
  }
  return {};
}

std::vector<pugi::xml_node> Children(const pugi::xml_node& n, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && Local(c) == local) out.push_back(c);
  }
  return out;
}

std::string Attr(const pugi::xml_node& n, const char* name) { return n.attribute(name).value(); }

// Text of the <text> child (literal expressions, unary tests).
std::string TextOf(const pugi::xml_node& n) {
  if (!n) return "";
  pugi::xml_node t = Child(n, "text");
  return t ? t.text().get() : "";
}

// "feel:number" / "tns:tPerson" -> "number" / "tPerson". Only simple QName
// prefixes are stripped, never a FEEL type like context<a: number>.
std::string TypeRef(std::string t) {
  size_t colon = t.find(':');
  if (colon == std::string::npos) return t;
  std::string prefix = t.substr(0, colon);
  if (prefix.empty() || prefix.find_first_of(" <>") != std::string::npos) return t;
  if (t.find('<') != std::string::npos) return t;
  return t.substr(colon + 1);
}

std::string VersionOf(std::string_view ns) {
  if (ns.find("20151101") != std::string_view::npos) return "1.1";
  if (ns.find("20180521") != std::string_view::npos) return "1.2";
  if (ns.find("20191111") != std::string_view::npos) return "1.3";
  if (ns.find("20211108") != std::string_view::npos) return "1.4";
  if (ns.find("20230324") != std::string_view::npos) return "1.5";
  return "";
}

ItemDefinition ParseItem(const pugi::xml_node& n) {
  ItemDefinition d;
  d.id = Attr(n, "id");
  d.name = Attr(n, "name");
  d.is_collection = std::strcmp(n.attribute("isCollection").value(), "true") == 0;
  if (pugi::xml_node t = Child(n, "typeRef")) d.type_ref = TypeRef(t.text().get());
  if (d.type_ref.empty() && n.attribute("typeRef")) d.type_ref = TypeRef(Attr(n, "typeRef"));
  if (pugi::xml_node av = Child(n, "allowedValues")) d.allowed_values = TextOf(av);
  for (const auto& c : Children(n, "itemComponent")) d.components.push_back(ParseItem(c));
  if (Child(n, "functionItem")) d.is_function = true;
  return d;
}

ExpressionPtr ParseExpr(const pugi::xml_node& n);

// The first boxed-expression child of `n`, or null.
ExpressionPtr FirstExpr(const pugi::xml_node& n) {
  static const char* kKinds[] = {"literalExpression", "decisionTable", "context", "invocation",
                                 "relation", "list", "functionDefinition", "conditional", "for",
                                 "some", "every", "filter"};
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    for (const char* k : kKinds) {
      if (Local(c) == k) return ParseExpr(c);
    }
  }
  return nullptr;
}

HitPolicy ParseHitPolicy(const std::string& s) {
  if (s == "FIRST") return HitPolicy::kFirst;
  if (s == "PRIORITY") return HitPolicy::kPriority;
  if (s == "ANY") return HitPolicy::kAny;
  if (s == "COLLECT") return HitPolicy::kCollect;
  if (s == "RULE ORDER") return HitPolicy::kRuleOrder;
  if (s == "OUTPUT ORDER") return HitPolicy::kOutputOrder;
  return HitPolicy::kUnique;
}

Aggregation ParseAggregation(const std::string& s) {
  if (s == "SUM") return Aggregation::kSum;
  if (s == "MIN") return Aggregation::kMin;
  if (s == "MAX") return Aggregation::kMax;
  if (s == "COUNT") return Aggregation::kCount;
  return Aggregation::kNone;
}

DecisionTable ParseTable(const pugi::xml_node& n) {
  DecisionTable t;
  t.hit_policy = ParseHitPolicy(Attr(n, "hitPolicy"));
  t.aggregation = ParseAggregation(Attr(n, "aggregation"));
  t.output_label = Attr(n, "outputLabel");
  for (const auto& in : Children(n, "input")) {
    InputClause c;
    c.id = Attr(in, "id");
    c.label = Attr(in, "label");
    pugi::xml_node ie = Child(in, "inputExpression");
    c.expression = TextOf(ie);
    c.type_ref = TypeRef(Attr(ie, "typeRef"));
    c.input_values = TextOf(Child(in, "inputValues"));
    t.inputs.push_back(std::move(c));
  }
  for (const auto& out : Children(n, "output")) {
    OutputClause c;
    c.id = Attr(out, "id");
    c.name = Attr(out, "name");
    c.type_ref = TypeRef(Attr(out, "typeRef"));
    c.output_values = TextOf(Child(out, "outputValues"));
    c.default_entry = TextOf(Child(out, "defaultOutputEntry"));
    t.outputs.push_back(std::move(c));
  }
  for (const auto& r : Children(n, "rule")) {
    Rule rule;
    rule.id = Attr(r, "id");
    for (const auto& e : Children(r, "inputEntry")) rule.input_entries.push_back(TextOf(e));
    for (const auto& e : Children(r, "outputEntry")) rule.output_entries.push_back(TextOf(e));
    t.rules.push_back(std::move(rule));
  }
  return t;
}

ExpressionPtr ParseExpr(const pugi::xml_node& n) {
  auto e = std::make_shared<Expression>();
  e->id = Attr(n, "id");
  e->type_ref = TypeRef(Attr(n, "typeRef"));
  std::string_view k = Local(n);
  if (k == "literalExpression") {
    e->kind = ExpressionKind::kLiteral;
    e->text = TextOf(n);
  } else if (k == "decisionTable") {
    e->kind = ExpressionKind::kDecisionTable;
    e->table = ParseTable(n);
  } else if (k == "context") {
    e->kind = ExpressionKind::kContext;
    for (const auto& ce : Children(n, "contextEntry")) {
      ContextEntry entry;
      if (pugi::xml_node v = Child(ce, "variable")) {
        entry.variable = Attr(v, "name");
        entry.type_ref = TypeRef(Attr(v, "typeRef"));
      }
      entry.expression = FirstExpr(ce);
      e->entries.push_back(std::move(entry));
    }
  } else if (k == "invocation") {
    e->kind = ExpressionKind::kInvocation;
    if (ExpressionPtr callee = FirstExpr(n)) e->text = callee->text;
    for (const auto& b : Children(n, "binding")) {
      Binding binding;
      binding.parameter = Attr(Child(b, "parameter"), "name");
      binding.expression = FirstExpr(b);
      e->bindings.push_back(std::move(binding));
    }
  } else if (k == "relation") {
    e->kind = ExpressionKind::kRelation;
    for (const auto& c : Children(n, "column")) e->columns.push_back(Attr(c, "name"));
    for (const auto& r : Children(n, "row")) {
      std::vector<ExpressionPtr> row;
      for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) row.push_back(ParseExpr(c));
      }
      e->rows.push_back(std::move(row));
    }
  } else if (k == "list") {
    e->kind = ExpressionKind::kList;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) e->items.push_back(ParseExpr(c));
    }
  } else if (k == "functionDefinition") {
    e->kind = ExpressionKind::kFunctionDefinition;
    if (n.attribute("kind")) e->function_kind = Attr(n, "kind");
    for (const auto& p : Children(n, "formalParameter")) {
      e->parameters.push_back(Parameter{Attr(p, "name"), TypeRef(Attr(p, "typeRef"))});
    }
    e->body = FirstExpr(n);
  } else if (k == "conditional") {
    e->kind = ExpressionKind::kConditional;
    for (const char* part : {"if", "then", "else"}) e->items.push_back(FirstExpr(Child(n, part)));
  } else if (k == "for" || k == "some" || k == "every") {
    e->kind = k == "for" ? ExpressionKind::kFor
                         : (k == "some" ? ExpressionKind::kSome : ExpressionKind::kEvery);
    e->iterator = Attr(n, "iteratorVariable");
    e->items.push_back(FirstExpr(Child(n, "in")));
    e->items.push_back(FirstExpr(Child(n, k == "for" ? "return" : "satisfies")));
  } else if (k == "filter") {
    e->kind = ExpressionKind::kFilter;
    e->items.push_back(FirstExpr(Child(n, "in")));
    e->items.push_back(FirstExpr(Child(n, "match")));
  } else {
    e->kind = ExpressionKind::kUnsupported;
    e->text = std::string(k);
  }
  return e;
}

std::vector<Requirement> Hrefs(const pugi::xml_node& n, const char* outer, const char* inner) {
  std::vector<Requirement> out;
  for (const auto& r : Children(n, outer)) {
    for (const auto& ref : Children(r, inner)) out.push_back(Requirement{Attr(ref, "href")});
  }
  return out;
}

std::vector<Requirement> DirectHrefs(const pugi::xml_node& n, const char* name) {
  std::vector<Requirement> out;
  for (const auto& r : Children(n, name)) out.push_back(Requirement{Attr(r, "href")});
  return out;
}

std::string VariableType(const pugi::xml_node& n) {
  return TypeRef(Attr(Child(n, "variable"), "typeRef"));
}

}  // namespace

core::Result<Definitions> ParseDmnXml(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result pr = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!pr) {
    // Line and column of the byte offset pugixml reports.
    int line = 1, column = 1;
    for (ptrdiff_t i = 0; i < pr.offset && static_cast<size_t>(i) < xml.size(); ++i) {
      if (xml[static_cast<size_t>(i)] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return core::InvalidArgument("DMN XML " + std::to_string(line) + ":" + std::to_string(column) + ": " +
                                 pr.description());
  }
  pugi::xml_node root = doc.document_element();
  if (Local(root) != "definitions") {
    return core::InvalidArgument("DMN XML: root element is <" + std::string(root.name()) +
                                 ">, expected <definitions>");
  }
  Definitions d;
  d.id = Attr(root, "id");
  d.name = Attr(root, "name");
  d.namespace_ = Attr(root, "namespace");
  // The DMN version is the namespace bound to the root's prefix.
  std::string prefix;
  std::string_view rn = root.name();
  if (size_t c = rn.find(':'); c != std::string_view::npos) prefix = std::string(rn.substr(0, c));
  std::string xmlns_attr = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
  d.dmn_version = VersionOf(root.attribute(xmlns_attr.c_str()).value());

  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view k = Local(c);
    // Elements without an id are addressed by name.
    if (std::string(c.attribute("id").value()).empty() && c.attribute("name"))
      c.append_attribute("id") = c.attribute("name").value();
    if (k == "itemDefinition") {
      d.item_definitions.push_back(ParseItem(c));
    } else if (k == "inputData") {
      d.inputs.push_back(InputData{Attr(c, "id"), Attr(c, "name"), VariableType(c)});
    } else if (k == "decision") {
      Decision dec;
      dec.id = Attr(c, "id");
      dec.name = Attr(c, "name");
      dec.type_ref = VariableType(c);
      dec.required_decisions = Hrefs(c, "informationRequirement", "requiredDecision");
      dec.required_inputs = Hrefs(c, "informationRequirement", "requiredInput");
      dec.required_knowledge = Hrefs(c, "knowledgeRequirement", "requiredKnowledge");
      dec.expression = FirstExpr(c);
      d.decisions.push_back(std::move(dec));
    } else if (k == "businessKnowledgeModel") {
      Bkm b;
      b.id = Attr(c, "id");
      b.name = Attr(c, "name");
      b.type_ref = VariableType(c);
      b.required_knowledge = Hrefs(c, "knowledgeRequirement", "requiredKnowledge");
      if (pugi::xml_node logic = Child(c, "encapsulatedLogic")) {
        auto e = std::make_shared<Expression>();
        e->kind = ExpressionKind::kFunctionDefinition;
        e->id = Attr(logic, "id");
        if (logic.attribute("kind")) e->function_kind = Attr(logic, "kind");
        for (const auto& p : Children(logic, "formalParameter"))
          e->parameters.push_back(Parameter{Attr(p, "name"), TypeRef(Attr(p, "typeRef"))});
        e->body = FirstExpr(logic);
        b.logic = e;
      }
      d.bkms.push_back(std::move(b));
    } else if (k == "decisionService") {
      DecisionService s;
      s.id = Attr(c, "id");
      s.name = Attr(c, "name");
      s.type_ref = VariableType(c);
      s.output_decisions = DirectHrefs(c, "outputDecision");
      s.encapsulated_decisions = DirectHrefs(c, "encapsulatedDecision");
      s.input_decisions = DirectHrefs(c, "inputDecision");
      s.input_data = DirectHrefs(c, "inputData");
      d.services.push_back(std::move(s));
    } else if (k == "import") {
      d.imports.push_back(Import{Attr(c, "name"), Attr(c, "namespace"), Attr(c, "importType")});
    }
  }
  return d;
}

}  // namespace amtsweg::dmn
