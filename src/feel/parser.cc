#include "feel/parser.h"

#include <set>

#include "feel/builtins.h"
#include "feel/lexer.h"

namespace amtsweg::feel {

void NameSet::Add(std::string_view name) {
  auto toks = Tokenize(name);
  if (!toks.ok() || toks->size() < 2) return;
  std::vector<std::string> texts;
  for (const Token& t : *toks) {
    if (t.kind == TokenKind::kEnd) break;
    // A string token inside a name would not round-trip; such names are not joined.
    if (t.kind == TokenKind::kString) return;
    texts.push_back(t.text);
  }
  auto& list = by_first_[texts[0]];
  for (const auto& existing : list) {
    if (existing.second == name) return;
  }
  list.emplace_back(std::move(texts), std::string(name));
  ++count_;
}

void NameSet::AddAll(const NameSet& other) {
  for (const auto& [first, list] : other.by_first_) {
    auto& mine = by_first_[first];
    for (const auto& e : list) {
      bool dup = false;
      for (const auto& m : mine) dup = dup || m.second == e.second;
      if (!dup) {
        mine.push_back(e);
        ++count_;
      }
    }
  }
}

const std::vector<std::pair<std::vector<std::string>, std::string>>* NameSet::Candidates(
    const std::string& first) const {
  auto it = by_first_.find(first);
  return it == by_first_.end() ? nullptr : &it->second;
}

const NameSet& BuiltinNames() {
  static const NameSet* names = [] {
    auto* n = new NameSet();
    for (const std::string& name : BuiltinFunctionNames()) n->Add(name);
    for (const char* p : {"start included", "end included", "time offset", "date and time",
                          "years and months duration", "days and time duration"})
      n->Add(p);
    return n;
  }();
  return *names;
}

namespace {

const std::set<std::string>& Keywords() {
  static const std::set<std::string> k = {"if",      "then",   "else",      "for",  "return",
                                          "some",    "every",  "satisfies", "in",   "and",
                                          "or",      "between", "instance", "of",   "function",
                                          "null",    "true",   "false"};
  return k;
}

class Parser {
 public:
  Parser(std::vector<Token> toks, std::string_view src, const NameSet& names)
      : t_(std::move(toks)), src_(src), names_(names) {}

  core::Result<NodePtr> ParseWholeExpression() {
    AW_ASSIGN_OR_RETURN(NodePtr e, Expression());
    if (!AtEnd()) return Expected("end of expression");
    return e;
  }

  core::Result<NodePtr> ParseWholeUnaryTests() {
    if (IsPunct("-") && t_[pos_ + 1].kind == TokenKind::kEnd) {
      ++pos_;
      return Make(NodeKind::kTestAny, t_[pos_ - 1]);
    }
    if (IsName("not") && IsPunct("(", 1)) {
      size_t save = pos_;
      const Token& at = Cur();
      pos_ += 2;
      auto list = PositiveUnaryTests(")");
      if (list.ok() && IsPunct(")") && t_[pos_ + 1].kind == TokenKind::kEnd) {
        ++pos_;
        NodePtr n = Make(NodeKind::kTestNot, at);
        n->kids.push_back(std::move(*list));
        return n;
      }
      pos_ = save;  // `not(x) = y` style expression: fall through
    }
    AW_ASSIGN_OR_RETURN(NodePtr list, PositiveUnaryTests(""));
    if (!AtEnd()) return Expected("',' or end of unary tests");
    return list;
  }

 private:
  // ---- token helpers ----
  const Token& Cur() const { return t_[pos_]; }
  const Token& Peek(size_t k) const { return t_[std::min(pos_ + k, t_.size() - 1)]; }
  bool AtEnd() const { return Cur().kind == TokenKind::kEnd; }
  bool IsPunct(const char* p, size_t k = 0) const {
    const Token& t = Peek(k);
    return t.kind == TokenKind::kPunct && t.text == p;
  }
  bool IsName(const char* n, size_t k = 0) const {
    const Token& t = Peek(k);
    return t.kind == TokenKind::kName && t.text == n;
  }
  bool Accept(const char* p) {
    if (IsPunct(p)) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AcceptName(const char* n) {
    if (IsName(n)) {
      ++pos_;
      return true;
    }
    return false;
  }
  core::Error Expected(const std::string& what) const {
    const Token& t = Cur();
    std::string text = t.kind == TokenKind::kString ? "\"" + t.text + "\"" : t.text;
    if (text.size() > 24) text = text.substr(0, 24) + "...";
    std::string shown;
    for (char c : text) {
      if (c == '\n') shown += "\\n";
      else if (c == '\r' || c == '\t') shown += ' ';
      else shown += c;
    }
    std::string found = t.kind == TokenKind::kEnd ? "end of input" : "'" + shown + "'";
    return core::InvalidArgument(std::to_string(t.line) + ":" + std::to_string(t.column) +
                                 ": expected " + what + ", found " + found);
  }
  core::Status Expect(const char* p) {
    if (Accept(p)) return core::OkStatus();
    return Expected(std::string("'") + p + "'");
  }
  core::Status ExpectName(const char* n) {
    if (AcceptName(n)) return core::OkStatus();
    return Expected(std::string("'") + n + "'");
  }
  NodePtr Make(NodeKind k, const Token& at) const {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->line = at.line;
    n->column = at.column;
    return n;
  }

  // Longest known name starting at the current token, over the global and local
  // name sets. Returns the number of tokens it spans (0 if none) and its text.
  size_t MatchKnown(std::string* name) const {
    size_t best = 0;
    auto consider = [&](const std::vector<std::pair<std::vector<std::string>, std::string>>* c) {
      if (!c) return;
      for (const auto& [texts, canonical] : *c) {
        if (texts.size() <= best) continue;
        bool ok = true;
        for (size_t k = 0; k < texts.size() && ok; ++k) {
          const Token& t = Peek(k);
          ok = t.kind != TokenKind::kEnd && t.kind != TokenKind::kString && t.text == texts[k];
        }
        if (ok) {
          best = texts.size();
          *name = canonical;
        }
      }
    };
    const std::string& first = Cur().text;
    consider(names_.Candidates(first));
    consider(BuiltinNames().Candidates(first));
    consider(local_.Candidates(first));
    return best;
  }

  // A name at a reference position: a known multi-token name, else one token.
  core::Result<std::string> RefName() {
    if (Cur().kind != TokenKind::kName) return Expected("a name");
    std::string name;
    size_t n = MatchKnown(&name);
    if (n > 1) {
      pos_ += n;
      return name;
    }
    return t_[pos_++].text;
  }

  // A name at a declaration position (context key, parameter, iterator): every
  // token up to one of `stops`, spacing normalised.
  core::Result<std::string> DeclName(std::initializer_list<const char*> stop_puncts,
                                     std::initializer_list<const char*> stop_names) {
    if (Cur().kind == TokenKind::kString) return t_[pos_++].text;
    size_t start = pos_;
    auto stopped = [&] {
      if (AtEnd()) return true;
      for (const char* p : stop_puncts)
        if (IsPunct(p)) return true;
      for (const char* n : stop_names)
        if (IsName(n)) return true;
      return false;
    };
    while (!stopped()) ++pos_;
    if (pos_ == start) return Expected("a name");
    std::string name;
    for (size_t k = start; k < pos_; ++k) {
      // Keep the source's joining: tokens that touch stay joined, gaps become one space.
      if (k > start && t_[k].begin > t_[k - 1].end) name += ' ';
      name += std::string(src_.substr(t_[k].begin, t_[k].end - t_[k].begin));
    }
    return name;
  }

  // ---- expressions ----
  core::Result<NodePtr> Expression() {
    if (++depth_ > 200) return Expected("a less deeply nested expression");
    auto r = Textual();
    --depth_;
    return r;
  }

  core::Result<NodePtr> Textual() {
    const Token& at = Cur();
    if (at.kind == TokenKind::kName) {
      if (at.text == "if" && !StartsKnownLonger()) return If();
      if (at.text == "for" && !StartsKnownLonger()) return Quantified(NodeKind::kFor);
      if (at.text == "some" && !StartsKnownLonger()) return Quantified(NodeKind::kSome);
      if (at.text == "every" && !StartsKnownLonger()) return Quantified(NodeKind::kEvery);
    }
    return Disjunction();
  }

  bool StartsKnownLonger() const {
    std::string n;
    return MatchKnown(&n) > 1;
  }

  core::Result<NodePtr> If() {
    NodePtr n = Make(NodeKind::kIf, Cur());
    ++pos_;
    AW_ASSIGN_OR_RETURN(NodePtr c, Expression());
    AW_TRY(ExpectName("then"));
    AW_ASSIGN_OR_RETURN(NodePtr a, Expression());
    AW_TRY(ExpectName("else"));
    AW_ASSIGN_OR_RETURN(NodePtr b, Expression());
    n->kids.push_back(std::move(c));
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return n;
  }

  core::Result<NodePtr> Quantified(NodeKind kind) {
    NodePtr n = Make(kind, Cur());
    ++pos_;
    size_t local_mark = local_stack_.size();
    const char* end_kw = kind == NodeKind::kFor ? "return" : "satisfies";
    while (true) {
      AW_ASSIGN_OR_RETURN(std::string var, DeclName({}, {"in"}));
      AW_TRY(ExpectName("in"));
      AW_ASSIGN_OR_RETURN(NodePtr dom, Expression());
      bool is_range = false;
      if (Accept("..")) {
        AW_ASSIGN_OR_RETURN(NodePtr hi, Expression());
        NodePtr r = Make(NodeKind::kList, Cur());
        r->kids.push_back(std::move(dom));
        r->kids.push_back(std::move(hi));
        dom = std::move(r);
        is_range = true;
      }
      n->names.push_back(var);
      n->kids.push_back(std::move(dom));
      n->range_iter.push_back(is_range);
      PushLocal(var);
      if (!Accept(",")) break;
    }
    if (kind == NodeKind::kFor) PushLocal("partial");
    AW_TRY(ExpectName(end_kw));
    AW_ASSIGN_OR_RETURN(NodePtr body, Expression());
    PopLocal(local_mark);
    n->kids.push_back(std::move(body));
    return n;
  }

  void PushLocal(const std::string& name) {
    local_stack_.push_back(name);
    local_.Add(name);
  }
  void PopLocal(size_t mark) {
    if (local_stack_.size() == mark) return;
    local_stack_.resize(mark);
    local_ = NameSet();
    for (const auto& s : local_stack_) local_.Add(s);
  }

  core::Result<NodePtr> Disjunction() {
    AW_ASSIGN_OR_RETURN(NodePtr left, Conjunction());
    while (IsName("or")) {
      NodePtr n = Make(NodeKind::kOr, Cur());
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr right, Conjunction());
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
      left = std::move(n);
    }
    return left;
  }

  core::Result<NodePtr> Conjunction() {
    AW_ASSIGN_OR_RETURN(NodePtr left, Comparison());
    while (IsName("and")) {
      NodePtr n = Make(NodeKind::kAnd, Cur());
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr right, Comparison());
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
      left = std::move(n);
    }
    return left;
  }

  core::Result<NodePtr> Comparison() {
    AW_ASSIGN_OR_RETURN(NodePtr left, Additive());
    while (true) {
      const Token& at = Cur();
      if (at.kind == TokenKind::kPunct &&
          (at.text == "=" || at.text == "!=" || at.text == "<" || at.text == "<=" ||
           at.text == ">" || at.text == ">=")) {
        NodePtr n = Make(NodeKind::kCompare, at);
        n->text = at.text;
        ++pos_;
        AW_ASSIGN_OR_RETURN(NodePtr right, Additive());
        n->kids.push_back(std::move(left));
        n->kids.push_back(std::move(right));
        left = std::move(n);
      } else if (IsName("between")) {
        NodePtr n = Make(NodeKind::kBetween, at);
        ++pos_;
        AW_ASSIGN_OR_RETURN(NodePtr lo, Additive());
        AW_TRY(ExpectName("and"));
        AW_ASSIGN_OR_RETURN(NodePtr hi, Additive());
        n->kids.push_back(std::move(left));
        n->kids.push_back(std::move(lo));
        n->kids.push_back(std::move(hi));
        left = std::move(n);
      } else if (IsName("in")) {
        NodePtr n = Make(NodeKind::kIn, at);
        ++pos_;
        AW_ASSIGN_OR_RETURN(NodePtr tests, InTests());
        n->kids.push_back(std::move(left));
        n->kids.push_back(std::move(tests));
        left = std::move(n);
      } else if (IsName("instance") && IsName("of", 1)) {
        NodePtr n = Make(NodeKind::kInstanceOf, at);
        pos_ += 2;
        AW_ASSIGN_OR_RETURN(std::string type, TypeText());
        n->type_texts.push_back(type);
        n->kids.push_back(std::move(left));
        left = std::move(n);
      } else {
        return left;
      }
    }
  }

  // After `in`: a positive unary test, or a parenthesised list of them.
  core::Result<NodePtr> InTests() {
    if (IsPunct("(")) {
      size_t save = pos_;
      ++pos_;
      auto first = PositiveUnaryTest();
      if (first.ok() && (IsPunct(",") || IsPunct(")"))) {
        NodePtr list = Make(NodeKind::kTestList, t_[save]);
        list->kids.push_back(std::move(*first));
        while (Accept(",")) {
          AW_ASSIGN_OR_RETURN(NodePtr next, PositiveUnaryTest());
          list->kids.push_back(std::move(next));
        }
        AW_TRY(Expect(")"));
        return list;
      }
      pos_ = save;  // an open range `(a..b)` or a parenthesised expression
    }
    NodePtr list = Make(NodeKind::kTestList, Cur());
    AW_ASSIGN_OR_RETURN(NodePtr t, PositiveUnaryTest());
    list->kids.push_back(std::move(t));
    return list;
  }

  core::Result<NodePtr> PositiveUnaryTests(const char* closer) {
    NodePtr list = Make(NodeKind::kTestList, Cur());
    while (true) {
      AW_ASSIGN_OR_RETURN(NodePtr t, PositiveUnaryTest());
      list->kids.push_back(std::move(t));
      if (!Accept(",")) break;
    }
    if (*closer && !IsPunct(closer)) return Expected(std::string("',' or '") + closer + "'");
    return list;
  }

  core::Result<NodePtr> PositiveUnaryTest() {
    const Token& at = Cur();
    if (at.kind == TokenKind::kPunct &&
        (at.text == "<" || at.text == "<=" || at.text == ">" || at.text == ">=" ||
         at.text == "=" || at.text == "!=")) {
      NodePtr n = Make(NodeKind::kUnaryCompare, at);
      n->text = at.text;
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr e, Additive());
      n->kids.push_back(std::move(e));
      return n;
    }
    NodePtr n = Make(NodeKind::kTestExpr, at);
    AW_ASSIGN_OR_RETURN(NodePtr e, Expression());
    n->kids.push_back(std::move(e));
    return n;
  }

  // One left-associative level of binary arithmetic: operand (op operand)*.
  // FEEL makes `**` left-associative too (2 ** 3 ** 2 = 64), so all three
  // levels share this loop.
  template <class Operand>
  core::Result<NodePtr> LeftAssociative(std::initializer_list<const char*> ops, Operand operand) {
    AW_ASSIGN_OR_RETURN(NodePtr left, (this->*operand)());
    auto at_op = [&] {
      for (const char* op : ops) {
        if (IsPunct(op)) return true;
      }
      return false;
    };
    while (at_op()) {
      NodePtr n = Make(NodeKind::kArith, Cur());
      n->text = Cur().text;
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr right, (this->*operand)());
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
      left = std::move(n);
    }
    return left;
  }

  core::Result<NodePtr> Additive() { return LeftAssociative({"+", "-"}, &Parser::Multiplicative); }
  core::Result<NodePtr> Multiplicative() { return LeftAssociative({"*", "/"}, &Parser::Power); }
  core::Result<NodePtr> Power() { return LeftAssociative({"**"}, &Parser::Unary); }

  core::Result<NodePtr> Unary() {
    if (IsPunct("-")) {
      NodePtr n = Make(NodeKind::kNegate, Cur());
      ++pos_;
      if (++depth_ > 200) return Expected("a less deeply nested expression");
      auto inner = Unary();
      --depth_;
      AW_ASSIGN_OR_RETURN(NodePtr e, std::move(inner));
      n->kids.push_back(std::move(e));
      return n;
    }
    if (IsPunct("+")) {
      ++pos_;
      return Unary();
    }
    return Postfix();
  }

  core::Result<NodePtr> Postfix() {
    AW_ASSIGN_OR_RETURN(NodePtr e, Primary());
    while (true) {
      if (IsPunct(".") && Peek(1).kind == TokenKind::kName) {
        NodePtr n = Make(NodeKind::kPath, Cur());
        ++pos_;
        AW_ASSIGN_OR_RETURN(n->text, RefName());
        n->kids.push_back(std::move(e));
        e = std::move(n);
      } else if (IsPunct("[") && !no_filter_) {
        NodePtr n = Make(NodeKind::kFilter, Cur());
        ++pos_;
        AW_ASSIGN_OR_RETURN(NodePtr f, Expression());
        AW_TRY(Expect("]"));
        n->kids.push_back(std::move(e));
        n->kids.push_back(std::move(f));
        e = std::move(n);
      } else if (IsPunct("(")) {
        NodePtr n = Make(NodeKind::kCall, Cur());
        ++pos_;
        n->kids.push_back(std::move(e));
        AW_TRY(Arguments(n.get()));
        e = std::move(n);
      } else {
        return e;
      }
    }
  }

  bool AtNamedArgument() const {
    size_t k = 0;
    while (Peek(k).kind == TokenKind::kName || (k > 0 && Peek(k).kind == TokenKind::kPunct &&
                                                (Peek(k).text == "'" || Peek(k).text == "-" ||
                                                 Peek(k).text == "/" || Peek(k).text == ".")))
      ++k;
    return k > 0 && Peek(k).kind == TokenKind::kPunct && Peek(k).text == ":";
  }

  core::Status Arguments(Node* call) {
    if (Accept(")")) return core::OkStatus();
    bool named = AtNamedArgument();
    while (true) {
      if (named) {
        AW_ASSIGN_OR_RETURN(std::string pname, DeclName({":"}, {}));
        AW_TRY(Expect(":"));
        call->names.push_back(pname);
      }
      AW_ASSIGN_OR_RETURN(NodePtr a, Expression());
      call->kids.push_back(std::move(a));
      if (Accept(")")) return core::OkStatus();
      if (!Accept(",")) return Expected("',' or ')'");
    }
  }

  core::Result<NodePtr> Primary() {
    const Token& at = Cur();
    switch (at.kind) {
      case TokenKind::kNumber: {
        NodePtr n = Make(NodeKind::kNumber, at);
        auto d = Decimal::Parse(at.text);
        if (!d) return Expected("a number");
        n->number = *d;
        ++pos_;
        return n;
      }
      case TokenKind::kString: {
        NodePtr n = Make(NodeKind::kString, at);
        n->text = at.text;
        ++pos_;
        return n;
      }
      case TokenKind::kEnd: return Expected("an expression");
      case TokenKind::kPunct: return PunctPrimary();
      case TokenKind::kName: break;
    }
    if (!StartsKnownLonger()) {
      if (at.text == "null") {
        ++pos_;
        return Make(NodeKind::kNull, at);
      }
      if (at.text == "true" || at.text == "false") {
        NodePtr n = Make(NodeKind::kBool, at);
        n->text = at.text;
        ++pos_;
        return n;
      }
      if (at.text == "function" && IsPunct("(", 1)) return FunctionDef();
      if (at.text == "?") {
        ++pos_;
        return Make(NodeKind::kQuestion, at);
      }
      // A textual expression as the right operand of an operator
      // (`a and some x in l satisfies p`, `1 + if c then 1 else 2`): the
      // grammar allows it (conjunction = expression "and" expression); it
      // extends as far right as it can, as in feel-scala.
      if (at.text == "if" || at.text == "for" || at.text == "some" || at.text == "every") {
        if (++depth_ > 200) return Expected("a less deeply nested expression");
        auto r = Textual();
        --depth_;
        return r;
      }
      if (Keywords().count(at.text)) return Expected("an expression");
    }
    NodePtr n = Make(NodeKind::kName, at);
    AW_ASSIGN_OR_RETURN(n->text, RefName());
    return n;
  }

  core::Result<NodePtr> PunctPrimary() {
    // Brackets nest: filters are allowed again inside them.
    bool saved = no_filter_;
    no_filter_ = false;
    auto r = PunctPrimaryInner();
    no_filter_ = saved;
    return r;
  }

  core::Result<NodePtr> PunctPrimaryInner() {
    const Token& at = Cur();
    if (at.text == "@" && Peek(1).kind == TokenKind::kString) {
      NodePtr n = Make(NodeKind::kAtLiteral, at);
      n->text = Peek(1).text;
      pos_ += 2;
      return n;
    }
    if (at.text == "{") return ContextLiteral();
    if (at.text == "[") {
      ++pos_;
      if (Accept("]")) return Make(NodeKind::kList, at);
      AW_ASSIGN_OR_RETURN(NodePtr first, Expression());
      if (IsPunct("..")) return RangeRest(at, std::move(first), true);
      NodePtr list = Make(NodeKind::kList, at);
      list->kids.push_back(std::move(first));
      while (Accept(",")) {
        AW_ASSIGN_OR_RETURN(NodePtr e, Expression());
        list->kids.push_back(std::move(e));
      }
      AW_TRY(Expect("]"));
      return list;
    }
    if (at.text == "(") {
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr e, Expression());
      if (IsPunct("..")) return RangeRest(at, std::move(e), false);
      AW_TRY(Expect(")"));
      return e;
    }
    if (at.text == "]") {
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr e, Expression());
      if (!IsPunct("..")) return Expected("'..'");
      return RangeRest(at, std::move(e), false);
    }
    if (at.text == "<" || at.text == "<=" || at.text == ">" || at.text == ">=" || at.text == "=" ||
        at.text == "!=") {
      // DMN 1.4 unary comparison used as a range value, e.g. `x in <= 10`.
      NodePtr n = Make(NodeKind::kUnaryCompare, at);
      n->text = at.text;
      ++pos_;
      AW_ASSIGN_OR_RETURN(NodePtr e, Additive());
      n->kids.push_back(std::move(e));
      return n;
    }
    return Expected("an expression");
  }

  core::Result<NodePtr> RangeRest(const Token& at, NodePtr low, bool low_closed) {
    AW_TRY(Expect(".."));
    // `]1..2[`: the closing '[' must not start a filter on the end point.
    bool saved = no_filter_;
    no_filter_ = true;
    auto high_r = Expression();
    no_filter_ = saved;
    AW_ASSIGN_OR_RETURN(NodePtr high, std::move(high_r));
    NodePtr n = Make(NodeKind::kRange, at);
    n->low_closed = low_closed;
    if (Accept("]")) {
      n->high_closed = true;
    } else if (Accept(")") || Accept("[")) {
      n->high_closed = false;
    } else {
      return Expected("']', ')' or '['");
    }
    n->kids.push_back(std::move(low));
    n->kids.push_back(std::move(high));
    return n;
  }

  core::Result<NodePtr> ContextLiteral() {
    NodePtr n = Make(NodeKind::kContext, Cur());
    ++pos_;
    size_t mark = local_stack_.size();
    if (!Accept("}")) {
      while (true) {
        AW_ASSIGN_OR_RETURN(std::string key, DeclName({":"}, {}));
        AW_TRY(Expect(":"));
        AW_ASSIGN_OR_RETURN(NodePtr v, Expression());
        n->names.push_back(key);
        n->kids.push_back(std::move(v));
        PushLocal(key);
        if (Accept("}")) break;
        if (!Accept(",")) return Expected("',' or '}'");
      }
    }
    // Keys stay known after the context (for paths like `ctx.first name`).
    (void)mark;
    return n;
  }

  core::Result<NodePtr> FunctionDef() {
    NodePtr n = Make(NodeKind::kFunctionDef, Cur());
    pos_ += 2;  // function (
    size_t mark = local_stack_.size();
    if (!Accept(")")) {
      while (true) {
        AW_ASSIGN_OR_RETURN(std::string p, DeclName({":", ",", ")"}, {}));
        std::string type;
        if (Accept(":")) {
          AW_ASSIGN_OR_RETURN(type, TypeText());
        }
        n->names.push_back(p);
        n->type_texts.push_back(type);
        PushLocal(p);
        if (Accept(")")) break;
        if (!Accept(",")) return Expected("',' or ')'");
      }
    }
    if (AcceptName("external")) n->external = true;
    AW_ASSIGN_OR_RETURN(NodePtr body, Expression());
    PopLocal(mark);
    n->kids.push_back(std::move(body));
    return n;
  }

  // A type as text: `number`, `date and time`, `list<context<a: number>>`,
  // `function<number, string> -> boolean`, `tns.MyType`.
  core::Result<std::string> TypeText() {
    if (Cur().kind != TokenKind::kName) return Expected("a type");
    size_t start = pos_;
    static const char* kMulti[][4] = {{"date", "and", "time", nullptr},
                                      {"years", "and", "months", "duration"},
                                      {"days", "and", "time", "duration"}};
    bool matched = false;
    for (auto& m : kMulti) {
      size_t k = 0;
      while (k < 4 && m[k] && IsName(m[k], k)) ++k;
      if (k == 4 || (k < 4 && !m[k])) {
        pos_ += k;
        matched = true;
        break;
      }
    }
    if (!matched) {
      ++pos_;
      while (IsPunct(".") && Peek(1).kind == TokenKind::kName) pos_ += 2;
    }
    if (IsPunct("<")) {
      int depth = 0;
      while (!AtEnd()) {
        if (IsPunct("<")) ++depth;
        if (IsPunct(">")) --depth;
        ++pos_;
        if (depth == 0) break;
      }
      if (depth != 0) return Expected("'>'");
      if (IsPunct("->")) {
        ++pos_;
        AW_ASSIGN_OR_RETURN(std::string r, TypeText());
        (void)r;
      }
    }
    return std::string(src_.substr(t_[start].begin, t_[pos_ - 1].end - t_[start].begin));
  }

  std::vector<Token> t_;
  std::string_view src_;
  const NameSet& names_;
  NameSet local_;
  std::vector<std::string> local_stack_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool no_filter_ = false;
};

}  // namespace

core::Result<NodePtr> ParseExpression(std::string_view text, const NameSet& names) {
  AW_ASSIGN_OR_RETURN(std::vector<Token> toks, Tokenize(text));
  Parser p(std::move(toks), text, names);
  return p.ParseWholeExpression();
}

core::Result<NodePtr> ParseUnaryTests(std::string_view text, const NameSet& names) {
  AW_ASSIGN_OR_RETURN(std::vector<Token> toks, Tokenize(text));
  Parser p(std::move(toks), text, names);
  return p.ParseWholeUnaryTests();
}

}  // namespace amtsweg::feel
