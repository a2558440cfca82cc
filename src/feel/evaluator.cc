#include "feel/evaluator.h"

#include <algorithm>

#include "feel/builtins.h"
#include "feel/ops.h"

namespace amtsweg::feel {

void Scope::Set(std::string name, Value v) {
  if (!has_first_) {
    first_name_ = std::move(name);
    first_value_ = std::move(v);
    has_first_ = true;
  } else if (first_name_ == name) {
    first_value_ = std::move(v);
  } else {
    rest_.Put(std::move(name), std::move(v));
  }
}

const Value* Scope::Lookup(std::string_view name) const {
  for (const Scope* s = this; s; s = s->parent_.get()) {
    if (s->has_first_ && s->first_name_ == name) return &s->first_value_;
    if (const Value* v = s->rest_.Find(name)) return v;
  }
  return nullptr;
}

ScopePtr ScopeOf(const Context& ctx, ScopePtr parent) {
  auto s = std::make_shared<Scope>(std::move(parent));
  for (const auto& [k, v] : ctx.entries()) s->Set(k, v);
  return s;
}

namespace {

constexpr int kMaxDepth = 512;

bool ContainsName(const Node& n, const std::string& name) {
  if (n.kind == NodeKind::kName && n.text == name) return true;
  for (const auto& k : n.kids) {
    if (ContainsName(*k, name)) return true;
  }
  return false;
}

bool ContainsQuestion(const Node& n) {
  if (n.kind == NodeKind::kQuestion) return true;
  if (n.kind == NodeKind::kName && n.text == "?") return true;
  for (const auto& k : n.kids) {
    if (ContainsQuestion(*k)) return true;
  }
  return false;
}

Value BoolOrNull(const Value& v) { return v.is_bool() ? v : Value(); }

Value MakeUnaryRange(const std::string& op, const Value& v) {
  Range r;
  if (op == "<" || op == "<=") {
    r.high = v;
    r.high_closed = op == "<=";
  } else if (op == ">" || op == ">=") {
    r.low = v;
    r.low_closed = op == ">=";
  } else {
    r.low = v;
    r.high = v;
    r.low_closed = r.high_closed = true;
  }
  return Value::OfRange(std::move(r));
}

Value CompareOp(const std::string& op, const Value& a, const Value& b, EvalState& st) {
  if (op == "=") return Equal(a, b);
  if (op == "!=") {
    Value e = Equal(a, b);
    return e.is_null() ? e : Value::Bool(!e.as_bool());
  }
  if (a.is_null() || b.is_null()) return Value();
  auto c = Compare(a, b);
  if (!c) {
    st.Warn(std::string("cannot compare ") + KindName(a.kind()) + " with " + KindName(b.kind()));
    return Value();
  }
  if (op == "<") return Value::Bool(*c < 0);
  if (op == "<=") return Value::Bool(*c <= 0);
  if (op == ">") return Value::Bool(*c > 0);
  return Value::Bool(*c >= 0);
}

// Iterates the domain of one iterator: a list, a numeric range `a..b`, or a
// range value with integer bounds.
bool DomainItems(const Value& dom, bool is_range_pair, EvalState& st, List* out) {
  auto ints = [&](const Value& lo, const Value& hi) {
    if (!lo.is_number() || !hi.is_number()) return false;
    auto a = lo.as_number().ToInt64(), b = hi.as_number().ToInt64();
    if (!a || !b) return false;
    int64_t step = *a <= *b ? 1 : -1;
    if ((*b - *a) * step > 1000000) return false;
    for (int64_t i = *a;; i += step) {
      out->push_back(Value::Number(i));
      if (i == *b) break;
    }
    return true;
  };
  if (is_range_pair) {
    const List& pair = dom.as_list();
    if (pair[0].kind() == Kind::kDate && pair[1].kind() == Kind::kDate) {
      int64_t a = pair[0].as_date().days, b = pair[1].as_date().days;
      int64_t step = a <= b ? 1 : -1;
      for (int64_t i = a;; i += step) {
        out->push_back(Value::OfDate(Date{i}));
        if (i == b) break;
      }
      return true;
    }
    return ints(pair[0], pair[1]);
  }
  if (dom.is_list()) {
    *out = dom.as_list();
    return true;
  }
  if (dom.kind() == Kind::kRange) {
    const Range& r = dom.as_range();
    if (!r.low || !r.high) return false;
    auto order = Compare(*r.low, *r.high);
    if (!order || *order > 0) return false;
    if (!ints(*r.low, *r.high)) return false;
    List filtered;
    for (const Value& v : *out) {
      if (RangeContains(r, v).IsTrue()) filtered.push_back(v);
    }
    *out = std::move(filtered);
    return true;
  }
  if (dom.is_null()) return false;
  out->push_back(dom);  // a single value iterates once
  (void)st;
  return true;
}

class Compiler {
 public:
  explicit Compiler(const CompileOptions& o) : opts_(o) {}

  // Compiles `n`; a subtree without variables (literals, ranges, lists and
  // deterministic built-in calls on them) is evaluated once here and becomes
  // a constant, so decision-table entries like `[1..10]` or `date("...")` cost
  // nothing per evaluation.
  core::Result<Closure> Compile(const Node& n) {
    AW_ASSIGN_OR_RETURN(Closure c, CompileNode(n));
    if (n.kind != NodeKind::kNull && n.kind != NodeKind::kBool && n.kind != NodeKind::kNumber &&
        n.kind != NodeKind::kString && IsConstant(n)) {
      EvalState probe;
      Value v = c(nullptr, probe);
      // Keep evaluating at run time whatever warns, so the warning is reported there.
      if (probe.warnings().empty()) {
        return Closure([v](const ScopePtr&, EvalState&) { return v; });
      }
    }
    return c;
  }

  // The value of a constant subtree, if it is one and evaluates without warnings.
  std::optional<Value> ConstantValue(const Node& n) {
    if (!IsConstant(n)) return std::nullopt;
    auto c = CompileNode(n);
    if (!c.ok()) return std::nullopt;
    EvalState probe;
    Value v = (*c)(nullptr, probe);
    if (!probe.warnings().empty()) return std::nullopt;
    return v;
  }

  bool IsConstant(const Node& n) const {
    switch (n.kind) {
      case NodeKind::kNull:
      case NodeKind::kBool:
      case NodeKind::kNumber:
      case NodeKind::kString:
      case NodeKind::kAtLiteral: return true;
      case NodeKind::kList:
      case NodeKind::kRange:
      case NodeKind::kUnaryCompare:
      case NodeKind::kArith:
      case NodeKind::kNegate:
      case NodeKind::kCompare:
      case NodeKind::kAnd:
      case NodeKind::kOr:
      case NodeKind::kBetween:
      case NodeKind::kIf:
        for (const auto& k : n.kids) {
          if (!IsConstant(*k)) return false;
        }
        return true;
      case NodeKind::kCall: {
        const Node& callee = *n.kids[0];
        if (callee.kind != NodeKind::kName || !n.names.empty()) return false;
        // Only a built-in that no variable in scope can shadow, and not the clock.
        if (!FindBuiltin(callee.text) || callee.text == "now" || callee.text == "today") return false;
        if (opts_.names.Candidates(callee.text.substr(0, callee.text.find(' ')))) {
          std::string first = callee.text.substr(0, callee.text.find(' '));
          for (const auto& cand : *opts_.names.Candidates(first)) {
            if (cand.second == callee.text) return false;
          }
        }
        for (size_t i = 1; i < n.kids.size(); ++i) {
          if (!IsConstant(*n.kids[i])) return false;
        }
        return true;
      }
      default: return false;
    }
  }

  core::Result<Closure> CompileNode(const Node& n) {
    switch (n.kind) {
      case NodeKind::kNull: return Closure([](const ScopePtr&, EvalState&) { return Value(); });
      case NodeKind::kBool: {
        Value v = Value::Bool(n.text == "true");
        return Closure([v](const ScopePtr&, EvalState&) { return v; });
      }
      case NodeKind::kNumber: {
        Value v = Value::Number(n.number);
        return Closure([v](const ScopePtr&, EvalState&) { return v; });
      }
      case NodeKind::kString: {
        Value v = Value::String(n.text);
        return Closure([v](const ScopePtr&, EvalState&) { return v; });
      }
      case NodeKind::kAtLiteral: return AtLiteral(n);
      case NodeKind::kName: return NameRef(n.text);
      case NodeKind::kQuestion: return NameRef("?");
      case NodeKind::kList: {
        AW_ASSIGN_OR_RETURN(auto kids, Kids(n, 0));
        return Closure([kids](const ScopePtr& s, EvalState& st) {
          List l;
          l.reserve(kids.size());
          for (const auto& k : kids) l.push_back(k(s, st));
          return Value::OfList(std::move(l));
        });
      }
      case NodeKind::kContext: return ContextLit(n);
      case NodeKind::kRange: {
        AW_ASSIGN_OR_RETURN(auto kids, Kids(n, 0));
        bool lc = n.low_closed, hc = n.high_closed;
        return Closure([kids, lc, hc](const ScopePtr& s, EvalState& st) {
          Value lo = kids[0](s, st), hi = kids[1](s, st);
          if (!lo.is_null() && !hi.is_null() && lo.kind() != hi.kind()) {
            st.Warn("range bounds of different types");
            return Value();
          }
          if (lo.is_null() || hi.is_null()) {
            st.Warn("range bound is null");
            return Value();
          }
          Range r;
          r.low = lo;
          r.high = hi;
          r.low_closed = lc;
          r.high_closed = hc;
          return Value::OfRange(std::move(r));
        });
      }
      case NodeKind::kUnaryCompare: {
        AW_ASSIGN_OR_RETURN(Closure e, Compile(*n.kids[0]));
        std::string op = n.text;
        return Closure([e, op](const ScopePtr& s, EvalState& st) {
          Value v = e(s, st);
          if (v.is_null()) return Value();
          return MakeUnaryRange(op, v);
        });
      }
      case NodeKind::kArith: {
        AW_ASSIGN_OR_RETURN(Closure a, Compile(*n.kids[0]));
        AW_ASSIGN_OR_RETURN(Closure b, Compile(*n.kids[1]));
        Value (*op)(const Value&, const Value&, EvalState&) =
            n.text == "+" ? OpAdd : n.text == "-" ? OpSub : n.text == "*" ? OpMul
                                : n.text == "/" ? OpDiv : OpPow;
        return Closure([a, b, op](const ScopePtr& s, EvalState& st) {
          Value x = a(s, st);
          Value y = b(s, st);
          return op(x, y, st);
        });
      }
      case NodeKind::kNegate: {
        AW_ASSIGN_OR_RETURN(Closure a, Compile(*n.kids[0]));
        return Closure([a](const ScopePtr& s, EvalState& st) { return OpNeg(a(s, st), st); });
      }
      case NodeKind::kCompare: {
        AW_ASSIGN_OR_RETURN(Closure a, Compile(*n.kids[0]));
        AW_ASSIGN_OR_RETURN(Closure b, Compile(*n.kids[1]));
        std::string op = n.text;
        return Closure([a, b, op](const ScopePtr& s, EvalState& st) {
          Value x = a(s, st);
          Value y = b(s, st);
          return CompareOp(op, x, y, st);
        });
      }
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        AW_ASSIGN_OR_RETURN(Closure a, Compile(*n.kids[0]));
        AW_ASSIGN_OR_RETURN(Closure b, Compile(*n.kids[1]));
        bool is_and = n.kind == NodeKind::kAnd;
        return Closure([a, b, is_and](const ScopePtr& s, EvalState& st) {
          Value x = BoolOrNull(a(s, st));
          // Short-circuit only on the deciding value; ternary logic otherwise.
          if (x.is_bool() && x.as_bool() != is_and) return x;
          Value y = BoolOrNull(b(s, st));
          if (y.is_bool() && y.as_bool() != is_and) return y;
          if (x.is_null() || y.is_null()) return Value();
          return Value::Bool(is_and);
        });
      }
      case NodeKind::kBetween: {
        AW_ASSIGN_OR_RETURN(auto kids, Kids(n, 0));
        return Closure([kids](const ScopePtr& s, EvalState& st) {
          Value x = kids[0](s, st), lo = kids[1](s, st), hi = kids[2](s, st);
          Value a = CompareOp(">=", x, lo, st);
          Value b = CompareOp("<=", x, hi, st);
          if (a.is_bool() && !a.as_bool()) return a;
          if (b.is_bool() && !b.as_bool()) return b;
          if (a.is_null() || b.is_null()) return Value();
          return Value::Bool(true);
        });
      }
      case NodeKind::kIn: {
        AW_ASSIGN_OR_RETURN(Closure x, Compile(*n.kids[0]));
        AW_ASSIGN_OR_RETURN(auto tests, CompileTests(*n.kids[1]));
        return Closure([x, tests](const ScopePtr& s, EvalState& st) {
          Value v = x(s, st);
          return tests(v, s, st);
        });
      }
      case NodeKind::kInstanceOf: {
        AW_ASSIGN_OR_RETURN(Closure x, Compile(*n.kids[0]));
        AW_ASSIGN_OR_RETURN(TypePtr t, ParseType(n.type_texts[0], opts_.types));
        return Closure([x, t](const ScopePtr& s, EvalState& st) {
          return Value::Bool(InstanceOf(x(s, st), *t));
        });
      }
      case NodeKind::kIf: {
        AW_ASSIGN_OR_RETURN(auto kids, Kids(n, 0));
        return Closure([kids](const ScopePtr& s, EvalState& st) {
          Value c = kids[0](s, st);
          return c.IsTrue() ? kids[1](s, st) : kids[2](s, st);
        });
      }
      case NodeKind::kFor:
      case NodeKind::kSome:
      case NodeKind::kEvery: return Quantified(n);
      case NodeKind::kFilter: return Filter(n);
      case NodeKind::kPath: {
        AW_ASSIGN_OR_RETURN(Closure base, Compile(*n.kids[0]));
        std::string name = n.text;
        return Closure([base, name](const ScopePtr& s, EvalState& st) {
          return Property(base(s, st), name, st);
        });
      }
      case NodeKind::kCall: return Call(n);
      case NodeKind::kFunctionDef: return FunctionDef(n);
      case NodeKind::kTestAny:
      case NodeKind::kTestNot:
      case NodeKind::kTestList:
      case NodeKind::kTestExpr: {
        AW_ASSIGN_OR_RETURN(auto t, CompileTests(n));
        return Closure([t](const ScopePtr& s, EvalState& st) {
          const Value* q = s ? s->Lookup("?") : nullptr;
          return t(q ? *q : Value(), s, st);
        });
      }
    }
    return core::Internal("unknown node kind");
  }

  using TestFn = std::function<Value(const Value&, const ScopePtr&, EvalState&)>;

  core::Result<TestFn> CompileTests(const Node& n) {
    switch (n.kind) {
      case NodeKind::kTestAny:
        return TestFn([](const Value&, const ScopePtr&, EvalState&) { return Value::Bool(true); });
      case NodeKind::kTestNot: {
        AW_ASSIGN_OR_RETURN(TestFn inner, CompileTests(*n.kids[0]));
        return TestFn([inner](const Value& in, const ScopePtr& s, EvalState& st) {
          Value r = inner(in, s, st);
          return r.is_bool() ? Value::Bool(!r.as_bool()) : Value();
        });
      }
      case NodeKind::kTestList: {
        if (n.kids.size() == 1) return CompileTests(*n.kids[0]);
        std::vector<TestFn> tests;
        for (const auto& k : n.kids) {
          AW_ASSIGN_OR_RETURN(TestFn t, CompileTests(*k));
          tests.push_back(std::move(t));
        }
        return TestFn([tests](const Value& in, const ScopePtr& s, EvalState& st) {
          bool unknown = false;
          for (const auto& t : tests) {
            Value r = t(in, s, st);
            if (r.IsTrue()) return r;
            if (!r.is_bool()) unknown = true;
          }
          return unknown ? Value() : Value::Bool(false);
        });
      }
      case NodeKind::kUnaryCompare: {
        if (auto v = ConstantValue(*n.kids[0])) {
          Value tv = *v;
          std::string op = n.text;
          return TestFn([tv, op](const Value& in, const ScopePtr&, EvalState& st) {
            return CompareOp(op, in, tv, st);
          });
        }
        AW_ASSIGN_OR_RETURN(Closure e, Compile(*n.kids[0]));
        std::string op = n.text;
        bool uses_q = ContainsQuestion(*n.kids[0]);
        return TestFn([e, op, uses_q](const Value& in, const ScopePtr& s, EvalState& st) {
          Value v = uses_q ? e(WithQuestion(in, s), st) : e(s, st);
          return CompareOp(op, in, v, st);
        });
      }
      case NodeKind::kTestExpr: {
        const Node& e = *n.kids[0];
        if (e.kind == NodeKind::kUnaryCompare) return CompileTests(e);
        if (auto v = ConstantValue(e)) {
          // A literal test (`"High"`, `[1..10]`, `date("...")`): matched
          // against the precomputed value, no evaluation per input.
          Value tv = *v;
          return TestFn([tv](const Value& in, const ScopePtr&, EvalState&) {
            return MatchTestValue(in, tv, false);
          });
        }
        AW_ASSIGN_OR_RETURN(Closure c, Compile(e));
        bool uses_q = ContainsQuestion(e);
        return TestFn([c, uses_q](const Value& in, const ScopePtr& s, EvalState& st) {
          Value v = uses_q ? c(WithQuestion(in, s), st) : c(s, st);
          return MatchTestValue(in, v, uses_q);
        });
      }
      default: {
        // A bare expression used as a test.
        AW_ASSIGN_OR_RETURN(Closure c, Compile(n));
        bool uses_q = ContainsQuestion(n);
        return TestFn([c, uses_q](const Value& in, const ScopePtr& s, EvalState& st) {
          Value v = uses_q ? c(WithQuestion(in, s), st) : c(s, st);
          return MatchTestValue(in, v, uses_q);
        });
      }
    }
  }

 private:
  static ScopePtr WithQuestion(const Value& in, const ScopePtr& s) {
    auto inner = std::make_shared<Scope>(s);
    inner->Set("?", in);
    return inner;
  }

  core::Result<std::vector<Closure>> Kids(const Node& n, size_t from) {
    std::vector<Closure> out;
    for (size_t i = from; i < n.kids.size(); ++i) {
      AW_ASSIGN_OR_RETURN(Closure c, Compile(*n.kids[i]));
      out.push_back(std::move(c));
    }
    return out;
  }

  core::Result<Closure> AtLiteral(const Node& n) {
    const std::string& s = n.text;
    Value v;
    if (auto dt = ParseDtDuration(s)) v = Value::OfDt(*dt);
    else if (auto ym = ParseYmDuration(s)) v = Value::OfYm(*ym);
    else if (auto d = ParseDate(s)) v = Value::OfDate(*d);
    else if (auto t = ParseDateTime(s)) v = Value::OfDateTime(*t);
    else if (auto tm = ParseTime(s)) v = Value::OfTime(*tm);
    if (v.is_null()) {
      return core::InvalidArgument(std::to_string(n.line) + ":" + std::to_string(n.column) +
                                   ": invalid @ literal \"" + s + "\"");
    }
    return Closure([v](const ScopePtr&, EvalState&) { return v; });
  }

  core::Result<Closure> NameRef(const std::string& name) {
    const Value* builtin = FindBuiltin(name);
    Value fallback = builtin ? *builtin : Value();
    bool has_builtin = builtin != nullptr;
    return Closure([name, fallback, has_builtin](const ScopePtr& s, EvalState& st) {
      if (s) {
        if (const Value* v = s->Lookup(name)) return *v;
        // A known qualified name like "Person.Gender" or "import.Decision" may
        // be a path into a variable: try every '.' split, leftmost first.
        for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
          if (const Value* base = s->Lookup(name.substr(0, dot))) {
            Value v = *base;
            std::string rest = name.substr(dot + 1);
            // Remaining segments: longest entry name first is not needed for
            // our models; walk segment by segment, keeping names with dots whole
            // when the context has them.
            while (!rest.empty()) {
              if (v.is_context() && v.as_context().Find(rest)) {
                v = *v.as_context().Find(rest);
                rest.clear();
                break;
              }
              size_t next = rest.find('.');
              std::string seg = rest.substr(0, next);
              v = Property(v, seg, st);
              rest = next == std::string::npos ? "" : rest.substr(next + 1);
            }
            return v;
          }
        }
      }
      if (!has_builtin) st.Warn("unknown variable '" + name + "'");
      return fallback;
    });
  }

  core::Result<Closure> ContextLit(const Node& n) {
    AW_ASSIGN_OR_RETURN(auto kids, Kids(n, 0));
    std::vector<std::string> keys = n.names;
    return Closure([kids, keys](const ScopePtr& s, EvalState& st) {
      auto inner = std::make_shared<Scope>(s);
      Context c;
      for (size_t i = 0; i < kids.size(); ++i) {
        if (c.Find(keys[i])) {
          st.Warn("duplicate context key '" + keys[i] + "'");
          return Value();
        }
        Value v = kids[i](inner, st);
        // Functions defined here close over `inner`: bind them weakly there.
        inner->Set(keys[i], WeakBinding(v));
        c.Put(keys[i], std::move(v));
      }
      return Value::OfContext(std::move(c));
    });
  }

  core::Result<Closure> Quantified(const Node& n) {
    size_t iters = n.names.size();
    std::vector<Closure> domains;
    for (size_t i = 0; i < iters; ++i) {
      AW_ASSIGN_OR_RETURN(Closure d, Compile(*n.kids[i]));
      domains.push_back(std::move(d));
    }
    AW_ASSIGN_OR_RETURN(Closure body, Compile(*n.kids[iters]));
    std::vector<std::string> names = n.names;
    std::vector<bool> range_iter = n.range_iter;
    NodeKind kind = n.kind;
    // `partial` (the results so far) is copied per iteration only when used.
    bool uses_partial = kind == NodeKind::kFor && ContainsName(*n.kids[iters], "partial");
    return Closure([=](const ScopePtr& s, EvalState& st) -> Value {
      List results;
      bool failed = false;
      bool decided = false;
      Value decision;
      // Depth-first over the cartesian product; later domains may use earlier variables.
      std::function<void(size_t, ScopePtr)> loop = [&](size_t i, ScopePtr scope) {
        if (failed || decided) return;
        if (i == iters) {
          if (kind == NodeKind::kFor) {
            if (!uses_partial) {
              results.push_back(body(scope, st));
              return;
            }
            auto inner = std::make_shared<Scope>(scope);
            inner->Set("partial", Value::OfList(results));
            results.push_back(body(inner, st));
          } else {
            Value r = body(scope, st);
            if (kind == NodeKind::kSome && r.IsTrue()) {
              decided = true;
              decision = Value::Bool(true);
            } else if (kind == NodeKind::kEvery && !r.IsTrue()) {
              decided = true;
              decision = Value::Bool(false);
            }
          }
          return;
        }
        Value dom = domains[i](scope, st);
        List items;
        if (!DomainItems(dom, range_iter[i], st, &items)) {
          st.Warn("cannot iterate over " + std::string(KindName(dom.kind())));
          failed = true;
          return;
        }
        for (const Value& item : items) {
          if (!st.Step()) {
            failed = true;
            return;
          }
          auto inner = std::make_shared<Scope>(scope);
          inner->Set(names[i], item);
          loop(i + 1, inner);
          if (failed || decided) return;
        }
      };
      loop(0, s);
      if (failed) return Value();
      if (kind == NodeKind::kFor) return Value::OfList(std::move(results));
      if (decided) return decision;
      return Value::Bool(kind == NodeKind::kEvery);
    });
  }

  core::Result<Closure> Filter(const Node& n) {
    AW_ASSIGN_OR_RETURN(Closure base, Compile(*n.kids[0]));
    AW_ASSIGN_OR_RETURN(Closure pred, Compile(*n.kids[1]));
    return Closure([base, pred](const ScopePtr& s, EvalState& st) -> Value {
      Value b = base(s, st);
      if (b.is_null()) return Value();
      List single;
      const List* list;
      if (b.is_list()) {
        list = &b.as_list();
      } else {
        single.push_back(b);
        list = &single;
      }
      auto item_scope = [&](const Value& item) {
        auto inner = std::make_shared<Scope>(s);
        inner->Set("item", item);
        // An entry named "item" wins over the implicit variable.
        if (item.is_context()) {
          for (const auto& [k, v] : item.as_context().entries()) inner->Set(k, v);
        }
        return inner;
      };
      // A numeric filter is an index; decide on the first evaluation.
      Value first = list->empty() ? pred(s, st) : pred(item_scope((*list)[0]), st);
      if (first.is_number()) {
        auto idx = first.as_number().ToInt64();
        if (!idx || *idx == 0) return Value();
        int64_t size = static_cast<int64_t>(list->size());
        int64_t i = *idx > 0 ? *idx - 1 : size + *idx;
        if (i < 0 || i >= size) return Value();
        return (*list)[static_cast<size_t>(i)];
      }
      List out;
      for (size_t i = 0; i < list->size(); ++i) {
        Value r = i == 0 ? first : pred(item_scope((*list)[i]), st);
        if (r.IsTrue()) out.push_back((*list)[i]);
      }
      return Value::OfList(std::move(out));
    });
  }

  core::Result<Closure> Call(const Node& n) {
    AW_ASSIGN_OR_RETURN(Closure callee, Compile(*n.kids[0]));
    AW_ASSIGN_OR_RETURN(auto args, Kids(n, 1));
    std::vector<std::string> names = n.names;
    std::string label = n.kids[0]->kind == NodeKind::kName ? n.kids[0]->text : "expression";
    return Closure([callee, args, names, label](const ScopePtr& s, EvalState& st) -> Value {
      Value f = callee(s, st);
      if (!f.is_function()) {
        st.Warn("'" + label + "' is not a function");
        return Value();
      }
      std::vector<Value> vals;
      vals.reserve(args.size());
      for (const auto& a : args) vals.push_back(a(s, st));
      return Invoke(*f.as_function(), vals, names, st);
    });
  }

  core::Result<Closure> FunctionDef(const Node& n) {
    std::vector<std::string> params = n.names;
    std::vector<TypePtr> types;
    for (const std::string& t : n.type_texts) {
      if (t.empty()) {
        types.push_back(nullptr);
      } else {
        AW_ASSIGN_OR_RETURN(TypePtr tp, ParseType(t, opts_.types));
        types.push_back(tp);
      }
    }
    if (n.external) {
      return Closure([params](const ScopePtr&, EvalState&) {
        auto f = std::make_shared<Function>();
        f->name = "external function";
        f->signatures.push_back(Signature{params, params.size(), false, nullptr});
        f->call = [](EvalState& st, std::span<const Value>) {
          st.Warn("external functions are not supported");
          return Value();
        };
        return Value::OfFunction(f);
      });
    }
    AW_ASSIGN_OR_RETURN(Closure body, Compile(*n.kids[0]));
    return Closure([params, types, body](const ScopePtr& s, EvalState&) {
      auto f = std::make_shared<Function>();
      f->name = "anonymous function";
      f->signatures.push_back(Signature{params, params.size(), false, nullptr});
      ScopePtr captured = s;
      f->call = [params, types, body, captured](EvalState& st, std::span<const Value> args) {
        if (st.depth > kMaxDepth) {
          st.Warn("recursion too deep");
          return Value();
        }
        if (!st.Step()) return Value();
        auto inner = std::make_shared<Scope>(captured);
        for (size_t i = 0; i < params.size(); ++i) {
          Value a = i < args.size() ? args[i] : Value();
          if (types[i]) {
            auto converted = ConvertTo(a, *types[i]);
            if (!converted) {
              st.Warn("argument '" + params[i] + "' is not a " + types[i]->ToString());
              return Value();
            }
            a = std::move(*converted);
          }
          inner->Set(params[i], std::move(a));
        }
        ++st.depth;
        Value r = body(inner, st);
        --st.depth;
        return r;
      };
      return Value::OfFunction(f);
    });
  }

  const CompileOptions& opts_;
};

}  // namespace

core::Result<CompiledExpression> CompileNode(const Node& node, const CompileOptions& options) {
  Compiler c(options);
  AW_ASSIGN_OR_RETURN(Closure fn, c.Compile(node));
  return CompiledExpression(std::move(fn));
}

core::Result<CompiledExpression> CompileExpression(std::string_view text,
                                                   const CompileOptions& options) {
  AW_ASSIGN_OR_RETURN(NodePtr n, ParseExpression(text, options.names));
  return CompileNode(*n, options);
}

core::Result<CompiledUnaryTests> CompileUnaryTests(std::string_view text,
                                                   const CompileOptions& options) {
  AW_ASSIGN_OR_RETURN(NodePtr n, ParseUnaryTests(text, options.names));
  Compiler c(options);
  AW_ASSIGN_OR_RETURN(auto fn, c.CompileTests(*n));
  return CompiledUnaryTests(std::move(fn));
}

core::Result<Value> EvaluateText(std::string_view text, const Context& vars,
                                 std::vector<std::string>* warnings) {
  CompileOptions opts;
  for (const auto& [k, v] : vars.entries()) opts.names.Add(k);
  AW_ASSIGN_OR_RETURN(CompiledExpression e, CompileExpression(text, opts));
  EvalState st;
  Value v = e.Evaluate(ScopeOf(vars), st);
  if (warnings) *warnings = st.warnings();
  return v;
}

}  // namespace amtsweg::feel
