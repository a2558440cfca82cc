#include "feel/printer.h"

namespace amtsweg::feel {

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

namespace {

std::string Join(const Node& n, size_t from, const char* sep) {
  std::string out;
  for (size_t i = from; i < n.kids.size(); ++i) {
    if (i > from) out += sep;
    out += Print(*n.kids[i]);
  }
  return out;
}

std::string Iterators(const Node& n) {
  std::string out;
  for (size_t i = 0; i < n.names.size(); ++i) {
    if (i) out += ", ";
    out += n.names[i] + " in ";
    const Node& d = *n.kids[i];
    if (i < n.range_iter.size() && n.range_iter[i]) {
      out += Print(*d.kids[0]) + ".." + Print(*d.kids[1]);
    } else {
      out += Print(d);
    }
  }
  return out;
}

}  // namespace

std::string Print(const Node& n) {
  switch (n.kind) {
    case NodeKind::kNull: return "null";
    case NodeKind::kBool: return n.text;
    case NodeKind::kNumber: return n.number.ToString();
    case NodeKind::kString: return QuoteString(n.text);
    case NodeKind::kAtLiteral: return "@" + QuoteString(n.text);
    case NodeKind::kName: return n.text;
    case NodeKind::kQuestion: return "?";
    case NodeKind::kList: return "[" + Join(n, 0, ", ") + "]";
    case NodeKind::kContext: {
      std::string out = "{";
      for (size_t i = 0; i < n.kids.size(); ++i) {
        if (i) out += ", ";
        out += QuoteString(n.names[i]) + ": " + Print(*n.kids[i]);
      }
      return out + "}";
    }
    case NodeKind::kRange:
      return std::string(n.low_closed ? "[" : "(") + Print(*n.kids[0]) + ".." + Print(*n.kids[1]) +
             (n.high_closed ? "]" : ")");
    case NodeKind::kUnaryCompare: return "(" + n.text + " " + Print(*n.kids[0]) + ")";
    case NodeKind::kArith:
    case NodeKind::kCompare:
      return "(" + Print(*n.kids[0]) + " " + n.text + " " + Print(*n.kids[1]) + ")";
    case NodeKind::kNegate: return "(-" + Print(*n.kids[0]) + ")";
    case NodeKind::kAnd: return "(" + Print(*n.kids[0]) + " and " + Print(*n.kids[1]) + ")";
    case NodeKind::kOr: return "(" + Print(*n.kids[0]) + " or " + Print(*n.kids[1]) + ")";
    case NodeKind::kBetween:
      return "(" + Print(*n.kids[0]) + " between " + Print(*n.kids[1]) + " and " + Print(*n.kids[2]) + ")";
    case NodeKind::kIn: return "(" + Print(*n.kids[0]) + " in (" + Print(*n.kids[1]) + "))";
    case NodeKind::kInstanceOf: return "(" + Print(*n.kids[0]) + " instance of " + n.type_texts[0] + ")";
    case NodeKind::kIf:
      return "(if " + Print(*n.kids[0]) + " then " + Print(*n.kids[1]) + " else " + Print(*n.kids[2]) + ")";
    case NodeKind::kFor: return "(for " + Iterators(n) + " return " + Print(*n.kids.back()) + ")";
    case NodeKind::kSome: return "(some " + Iterators(n) + " satisfies " + Print(*n.kids.back()) + ")";
    case NodeKind::kEvery: return "(every " + Iterators(n) + " satisfies " + Print(*n.kids.back()) + ")";
    case NodeKind::kFilter: return "(" + Print(*n.kids[0]) + ")[" + Print(*n.kids[1]) + "]";
    case NodeKind::kPath: return "(" + Print(*n.kids[0]) + ")." + n.text;
    case NodeKind::kCall: {
      const Node& callee = *n.kids[0];
      std::string out = callee.kind == NodeKind::kName ? callee.text : "(" + Print(callee) + ")";
      out += "(";
      for (size_t i = 1; i < n.kids.size(); ++i) {
        if (i > 1) out += ", ";
        if (!n.names.empty()) out += n.names[i - 1] + ": ";
        out += Print(*n.kids[i]);
      }
      return out + ")";
    }
    case NodeKind::kFunctionDef: {
      std::string out = "(function(";
      for (size_t i = 0; i < n.names.size(); ++i) {
        if (i) out += ", ";
        out += n.names[i];
        if (i < n.type_texts.size() && !n.type_texts[i].empty()) out += ": " + n.type_texts[i];
      }
      out += ") ";
      if (n.external) out += "external ";
      return out + Print(*n.kids[0]) + ")";
    }
    case NodeKind::kTestAny: return "-";
    case NodeKind::kTestNot: return "not(" + Print(*n.kids[0]) + ")";
    case NodeKind::kTestList: return Join(n, 0, ", ");
    case NodeKind::kTestExpr: return Print(*n.kids[0]);
  }
  return "";
}

}  // namespace amtsweg::feel
