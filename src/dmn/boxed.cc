#include "dmn/boxed.h"

#include <memory>

namespace amtsweg::dmn {

using feel::Closure;
using feel::EvalState;
using feel::ScopePtr;
using feel::Value;

namespace {

Closure NullWithWarning(std::string msg) {
  return [msg](const ScopePtr&, EvalState& st) {
    st.Warn(msg);
    return Value();
  };
}

Closure CompileText(const std::string& text, const std::string& where, CompileEnv& env) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return [](const ScopePtr&, EvalState&) { return Value(); };
  }
  auto c = feel::CompileExpression(text, *env.opts);
  if (!c.ok()) {
    std::string msg = env.label + where + ": " + c.error().message();
    env.errors->push_back(msg);
    return NullWithWarning(msg);
  }
  feel::CompiledExpression ce = std::move(*c);
  return [ce](const ScopePtr& s, EvalState& st) { return ce.Evaluate(s, st); };
}

Closure WithType(Closure inner, const std::string& type_ref, const std::string& what,
                 CompileEnv& env) {
  feel::TypePtr t = type_ref.empty() ? nullptr : env.type_of(type_ref);
  if (!t) return inner;
  return [inner, t, what](const ScopePtr& s, EvalState& st) {
    return Coerce(inner(s, st), t, st, what);
  };
}

}  // namespace

Value Coerce(const Value& v, const feel::TypePtr& t, EvalState& st, const std::string& what) {
  if (!t || v.is_null()) return v;
  if (auto c = feel::ConvertTo(v, *t)) return *c;
  st.Warn(what + ": value " + v.DebugString() + " does not conform to type " + t->ToString());
  return Value();
}

Closure CompileBoxed(const Expression* e, CompileEnv& env) {
  if (!e) return [](const ScopePtr&, EvalState&) { return Value(); };
  std::string where = e->id.empty() ? "" : " (" + e->id + ")";
  switch (e->kind) {
    case ExpressionKind::kLiteral:
      return WithType(CompileText(e->text, where, env), e->type_ref, env.label, env);
    case ExpressionKind::kDecisionTable:
      return CompileDecisionTable(e->table, e->id, env);
    case ExpressionKind::kContext: {
      struct Entry {
        std::string name;
        Closure fn;
      };
      std::vector<Entry> entries;
      for (const ContextEntry& ce : e->entries) {
        Closure fn = CompileBoxed(ce.expression.get(), env);
        if (!ce.type_ref.empty()) fn = WithType(fn, ce.type_ref, env.label + " entry '" + ce.variable + "'", env);
        entries.push_back(Entry{ce.variable, std::move(fn)});
      }
      return WithType(
          [entries](const ScopePtr& s, EvalState& st) {
            auto scope = std::make_shared<feel::Scope>(s);
            feel::Context result;
            for (const Entry& en : entries) {
              Value v = en.fn(scope, st);
              if (en.name.empty()) return v;  // the result entry
              scope->Set(en.name, feel::WeakBinding(v));
              result.Put(en.name, std::move(v));
            }
            return Value::OfContext(std::move(result));
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kInvocation: {
      std::string callee = e->text;
      // Trim: the callee is a name.
      size_t a = callee.find_first_not_of(" \t\r\n"), b = callee.find_last_not_of(" \t\r\n");
      callee = a == std::string::npos ? "" : callee.substr(a, b - a + 1);
      Closure fn = CompileText(callee, where, env);
      std::vector<std::string> names;
      std::vector<Closure> args;
      for (const Binding& bnd : e->bindings) {
        names.push_back(bnd.parameter);
        args.push_back(CompileBoxed(bnd.expression.get(), env));
      }
      std::string label = env.label;
      return WithType(
          [fn, names, args, callee, label](const ScopePtr& s, EvalState& st) {
            Value f = fn(s, st);
            if (!f.is_function()) {
              st.Warn(label + ": '" + callee + "' is not a function");
              return Value();
            }
            std::vector<Value> vals;
            for (const Closure& c : args) vals.push_back(c(s, st));
            // Parameters without a binding are passed as null.
            const feel::Function& func = *f.as_function();
            std::vector<std::string> all_names = names;
            if (!func.signatures.empty()) {
              for (const std::string& p : func.signatures[0].params) {
                if (std::find(all_names.begin(), all_names.end(), p) == all_names.end()) {
                  all_names.push_back(p);
                  vals.push_back(Value());
                }
              }
            }
            return feel::Invoke(func, vals, all_names, st);
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kRelation: {
      std::vector<std::string> cols = e->columns;
      std::vector<std::vector<Closure>> rows;
      for (const auto& row : e->rows) {
        std::vector<Closure> r;
        for (const auto& cell : row) r.push_back(CompileBoxed(cell.get(), env));
        rows.push_back(std::move(r));
      }
      return WithType(
          [cols, rows](const ScopePtr& s, EvalState& st) {
            feel::List out;
            for (const auto& row : rows) {
              feel::Context c;
              for (size_t i = 0; i < cols.size(); ++i) {
                c.Put(cols[i], i < row.size() ? row[i](s, st) : Value());
              }
              out.push_back(Value::OfContext(std::move(c)));
            }
            return Value::OfList(std::move(out));
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kList: {
      std::vector<Closure> items;
      for (const auto& it : e->items) items.push_back(CompileBoxed(it.get(), env));
      return WithType(
          [items](const ScopePtr& s, EvalState& st) {
            feel::List out;
            for (const Closure& c : items) out.push_back(c(s, st));
            return Value::OfList(std::move(out));
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kFunctionDefinition: {
      std::vector<std::string> params;
      std::vector<feel::TypePtr> types;
      for (const Parameter& p : e->parameters) {
        params.push_back(p.name);
        types.push_back(p.type_ref.empty() ? nullptr : env.type_of(p.type_ref));
      }
      std::string label = env.label;
      if (e->function_kind != "FEEL" && !e->function_kind.empty()) {
        std::string kind = e->function_kind;
        return [params, label, kind](const ScopePtr&, EvalState&) {
          auto f = std::make_shared<feel::Function>();
          f->name = label;
          f->signatures.push_back(feel::Signature{params, params.size(), false, nullptr});
          f->call = [label, kind](EvalState& st, std::span<const Value>) {
            st.Warn(label + ": " + kind + " functions are not supported");
            return Value();
          };
          return Value::OfFunction(f);
        };
      }
      Closure body = CompileBoxed(e->body.get(), env);
      return [params, types, body, label](const ScopePtr& s, EvalState&) {
        auto f = std::make_shared<feel::Function>();
        f->name = label;
        f->signatures.push_back(feel::Signature{params, params.size(), false, nullptr});
        ScopePtr captured = s;
        f->call = [params, types, body, captured, label](EvalState& st,
                                                          std::span<const Value> args) {
          auto scope = std::make_shared<feel::Scope>(captured);
          for (size_t i = 0; i < params.size(); ++i) {
            Value a = i < args.size() ? args[i] : Value();
            Value c = Coerce(a, types[i], st, label + " parameter '" + params[i] + "'");
            // A non-conforming argument makes the invocation null.
            if (c.is_null() && !a.is_null()) return Value();
            scope->Set(params[i], std::move(c));
          }
          if (st.depth > 512) {
            st.Warn("recursion too deep");
            return Value();
          }
          if (!st.Step()) return Value();
          ++st.depth;
          Value r = body(scope, st);
          --st.depth;
          return r;
        };
        return Value::OfFunction(f);
      };
    }
    case ExpressionKind::kConditional: {
      Closure c = CompileBoxed(e->items[0].get(), env);
      Closure t = CompileBoxed(e->items[1].get(), env);
      Closure f = CompileBoxed(e->items[2].get(), env);
      return WithType(
          [c, t, f](const ScopePtr& s, EvalState& st) {
            Value cond = c(s, st);
            if (!cond.is_bool() && !cond.is_null()) {
              st.Warn("conditional: condition is not a boolean");
              return Value();
            }
            return cond.IsTrue() ? t(s, st) : f(s, st);
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kFor:
    case ExpressionKind::kSome:
    case ExpressionKind::kEvery: {
      Closure in = CompileBoxed(e->items[0].get(), env);
      Closure body = CompileBoxed(e->items[1].get(), env);
      std::string var = e->iterator;
      ExpressionKind kind = e->kind;
      return WithType(
          [in, body, var, kind](const ScopePtr& s, EvalState& st) -> Value {
            Value dom = in(s, st);
            if (!dom.is_list()) {
              if (dom.is_null()) return Value();
              dom = Value::OfList({dom});
            }
            feel::List out;
            bool any_true = false, all_true = true;
            for (const Value& item : dom.as_list()) {
              auto scope = std::make_shared<feel::Scope>(s);
              scope->Set(var, item);
              if (kind == ExpressionKind::kFor) scope->Set("partial", Value::OfList(out));
              Value r = body(scope, st);
              if (kind != ExpressionKind::kFor) {
                // Every result must be a boolean, else the whole test is null.
                if (!r.is_bool()) {
                  st.Warn("some/every: condition is not a boolean");
                  return Value();
                }
                any_true = any_true || r.as_bool();
                all_true = all_true && r.as_bool();
              }
              out.push_back(std::move(r));
            }
            if (kind == ExpressionKind::kFor) return Value::OfList(std::move(out));
            return Value::Bool(kind == ExpressionKind::kEvery ? all_true : any_true);
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kFilter: {
      Closure in = CompileBoxed(e->items[0].get(), env);
      Closure match = CompileBoxed(e->items[1].get(), env);
      return WithType(
          [in, match](const ScopePtr& s, EvalState& st) -> Value {
            Value l = in(s, st);
            if (l.is_null()) return Value();
            feel::List items = l.is_list() ? l.as_list() : feel::List{l};
            feel::List out;
            for (const Value& item : items) {
              auto scope = std::make_shared<feel::Scope>(s);
              if (item.is_context()) {
                for (const auto& [k, v] : item.as_context().entries()) scope->Set(k, v);
              }
              scope->Set("item", item);
              if (match(scope, st).IsTrue()) out.push_back(item);
            }
            return Value::OfList(std::move(out));
          },
          e->type_ref, env.label, env);
    }
    case ExpressionKind::kUnsupported: {
      std::string msg = env.label + ": unsupported expression <" + e->text + ">";
      env.errors->push_back(msg);
      return NullWithWarning(msg);
    }
  }
  return NullWithWarning(env.label + ": unknown expression");
}

}  // namespace amtsweg::dmn
