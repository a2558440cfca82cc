// Decision tables (DMN 1.3 §8): every hit policy — UNIQUE, FIRST, PRIORITY,
// ANY, COLLECT (with SUM, MIN, MAX, COUNT), RULE ORDER, OUTPUT ORDER — and
// default output entries.
#include <algorithm>
#include <memory>

#include "dmn/boxed.h"

namespace amtsweg::dmn {

using feel::Closure;
using feel::EvalState;
using feel::ScopePtr;
using feel::Value;

namespace {

struct CompiledOutput {
  std::string name;
  feel::TypePtr type;
  feel::CompiledUnaryTests allowed;  // outputValues as tests; may be invalid
  std::vector<Value> priorities;     // outputValues as a list of values
  Closure default_entry;             // may be empty
};

struct CompiledRule {
  std::vector<feel::CompiledUnaryTests> tests;  // invalid = "-"
  std::vector<Closure> outputs;
};

struct CompiledTable {
  HitPolicy hit = HitPolicy::kUnique;
  Aggregation agg = Aggregation::kNone;
  std::vector<Closure> inputs;
  std::vector<std::string> input_labels;
  std::vector<feel::CompiledUnaryTests> input_values;
  std::vector<CompiledOutput> outputs;
  std::vector<CompiledRule> rules;
  std::vector<std::string> rule_ids;
  std::string label;
  bool broken = false;
};

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Priority index of `v` in an output's values (lower is higher priority).
size_t PriorityOf(const CompiledOutput& o, const Value& v) {
  for (size_t i = 0; i < o.priorities.size(); ++i) {
    if (feel::ValuesEqual(o.priorities[i], v)) return i;
  }
  return o.priorities.size();
}

Value Aggregate(const CompiledTable& t, const std::vector<Value>& results, EvalState& st) {
  if (t.agg == Aggregation::kCount) return Value::Number(static_cast<int64_t>(results.size()));
  std::vector<Value> vals;
  for (const Value& v : results) {
    if (!v.is_null()) vals.push_back(v);
  }
  if (vals.empty()) return Value();
  if (t.agg == Aggregation::kSum) {
    feel::Decimal sum;
    for (const Value& v : vals) {
      if (!v.is_number()) {
        st.Warn(t.label + ": COLLECT SUM over a non-number");
        return Value();
      }
      auto s = sum.Add(v.as_number());
      if (!s) return Value();
      sum = *s;
    }
    return Value::Number(sum);
  }
  Value best = vals[0];
  for (size_t i = 1; i < vals.size(); ++i) {
    auto c = feel::Compare(vals[i], best);
    if (!c) {
      st.Warn(t.label + ": COLLECT MIN/MAX over incomparable values");
      return Value();
    }
    if ((t.agg == Aggregation::kMin && *c < 0) || (t.agg == Aggregation::kMax && *c > 0)) best = vals[i];
  }
  return best;
}

Value Evaluate(const CompiledTable& t, const ScopePtr& s, EvalState& st) {
  if (t.broken) {
    st.Warn(t.label + ": decision table has errors");
    return Value();
  }
  std::vector<Value> in;
  in.reserve(t.inputs.size());
  for (size_t i = 0; i < t.inputs.size(); ++i) {
    Value v = t.inputs[i](s, st);
    if (t.input_values[i].valid() && !v.is_null()) {
      if (!t.input_values[i].Test(v, s, st).IsTrue()) {
        st.Warn(t.label + ": input '" + t.input_labels[i] + "' value " + v.DebugString() +
                " is not among the allowed input values");
        return Value();
      }
    }
    in.push_back(std::move(v));
  }
  std::vector<size_t> matched;
  for (size_t r = 0; r < t.rules.size(); ++r) {
    const CompiledRule& rule = t.rules[r];
    bool ok = true;
    for (size_t i = 0; i < rule.tests.size() && ok; ++i) {
      if (!rule.tests[i].valid()) continue;
      ok = rule.tests[i].Test(i < in.size() ? in[i] : Value(), s, st).IsTrue();
    }
    if (ok) {
      matched.push_back(r);
      if (t.hit == HitPolicy::kFirst) break;
    }
  }
  bool multi = t.outputs.size() > 1;
  // Output values of one rule: each coerced and checked against outputValues.
  auto rule_outputs = [&](size_t r, bool* valid) {
    std::vector<Value> out;
    for (size_t o = 0; o < t.outputs.size(); ++o) {
      Value v = o < t.rules[r].outputs.size() ? t.rules[r].outputs[o](s, st) : Value();
      const CompiledOutput& co = t.outputs[o];
      if (co.type) v = Coerce(v, co.type, st, t.label + " output '" + co.name + "'");
      if (co.allowed.valid() && !v.is_null() && !co.allowed.Test(v, s, st).IsTrue()) {
        st.Warn(t.label + ": output " + v.DebugString() + " is not among the output values");
        *valid = false;
      }
      out.push_back(std::move(v));
    }
    return out;
  };
  auto pack = [&](const std::vector<Value>& vals) {
    if (!multi) return vals.empty() ? Value() : vals[0];
    feel::Context c;
    for (size_t o = 0; o < t.outputs.size(); ++o) c.Put(t.outputs[o].name, vals[o]);
    return Value::OfContext(std::move(c));
  };

  bool collecting = t.hit == HitPolicy::kCollect || t.hit == HitPolicy::kRuleOrder ||
                    t.hit == HitPolicy::kOutputOrder;
  if (matched.empty()) {
    bool has_default = false;
    std::vector<Value> defaults;
    for (const CompiledOutput& o : t.outputs) {
      if (o.default_entry) {
        has_default = true;
        defaults.push_back(o.default_entry(s, st));
      } else {
        defaults.push_back(Value());
      }
    }
    if (has_default) return pack(defaults);
    if (t.hit == HitPolicy::kCollect && t.agg == Aggregation::kCount) return Value::Number(int64_t{0});
    if (collecting && t.agg == Aggregation::kNone) return Value::OfList({});
    return Value();
  }

  std::vector<std::vector<Value>> rows;
  for (size_t r : matched) {
    bool valid = true;
    rows.push_back(rule_outputs(r, &valid));
    if (!valid) return Value();
  }

  switch (t.hit) {
    case HitPolicy::kUnique:
      if (rows.size() > 1) {
        std::string ids;
        for (size_t r : matched) ids += (ids.empty() ? "" : ", ") + t.rule_ids[r];
        st.Warn(t.label + ": UNIQUE hit policy but several rules match: " + ids);
        return Value();
      }
      return pack(rows[0]);
    case HitPolicy::kFirst: return pack(rows[0]);
    case HitPolicy::kAny: {
      for (size_t i = 1; i < rows.size(); ++i) {
        for (size_t o = 0; o < rows[i].size(); ++o) {
          if (!feel::ValuesEqual(rows[i][o], rows[0][o]) && !(rows[i][o].is_null() && rows[0][o].is_null())) {
            st.Warn(t.label + ": ANY hit policy but matching rules disagree");
            return Value();
          }
        }
      }
      return pack(rows[0]);
    }
    case HitPolicy::kPriority:
    case HitPolicy::kOutputOrder: {
      std::vector<size_t> order(rows.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        for (size_t o = 0; o < t.outputs.size(); ++o) {
          size_t pa = PriorityOf(t.outputs[o], rows[a][o]), pb = PriorityOf(t.outputs[o], rows[b][o]);
          if (pa != pb) return pa < pb;
        }
        return false;
      });
      if (t.hit == HitPolicy::kPriority) return pack(rows[order[0]]);
      feel::List out;
      for (size_t i : order) out.push_back(pack(rows[i]));
      return Value::OfList(std::move(out));
    }
    case HitPolicy::kRuleOrder:
    case HitPolicy::kCollect: {
      if (t.hit == HitPolicy::kCollect && t.agg != Aggregation::kNone) {
        if (multi) {
          st.Warn(t.label + ": aggregation needs a single output");
          return Value();
        }
        std::vector<Value> vals;
        for (const auto& row : rows) vals.push_back(row[0]);
        return Aggregate(t, vals, st);
      }
      feel::List out;
      for (const auto& row : rows) out.push_back(pack(row));
      return Value::OfList(std::move(out));
    }
  }
  return Value();
}

}  // namespace

Closure CompileDecisionTable(const DecisionTable& dt, const std::string& id, CompileEnv& env) {
  auto t = std::make_shared<CompiledTable>();
  t->hit = dt.hit_policy;
  t->agg = dt.aggregation;
  t->label = env.label + (id.empty() ? "" : " table " + id);
  auto fail = [&](const std::string& where, const core::Error& e) {
    env.errors->push_back(t->label + " " + where + ": " + e.message());
    t->broken = true;
  };
  for (const InputClause& in : dt.inputs) {
    auto c = feel::CompileExpression(in.expression, *env.opts);
    if (!c.ok()) {
      fail("input '" + in.label + "'", c.error());
      t->inputs.push_back([](const ScopePtr&, EvalState&) { return Value(); });
    } else {
      feel::CompiledExpression ce = *c;
      feel::TypePtr ty = in.type_ref.empty() ? nullptr : env.type_of(in.type_ref);
      std::string what = t->label + " input '" + in.label + "'";
      t->inputs.push_back([ce, ty, what](const ScopePtr& s, EvalState& st) {
        Value v = ce.Evaluate(s, st);
        return ty ? Coerce(v, ty, st, what) : v;
      });
    }
    t->input_labels.push_back(in.label.empty() ? in.expression : in.label);
    feel::CompiledUnaryTests iv;
    if (!IsBlank(in.input_values)) {
      auto u = feel::CompileUnaryTests(in.input_values, *env.opts);
      if (u.ok()) iv = *u;
      else fail("input values", u.error());
    }
    t->input_values.push_back(iv);
  }
  for (size_t i = 0; i < dt.outputs.size(); ++i) {
    const OutputClause& out = dt.outputs[i];
    CompiledOutput co;
    co.name = out.name.empty() && dt.outputs.size() == 1 ? dt.output_label : out.name;
    co.type = out.type_ref.empty() ? nullptr : env.type_of(out.type_ref);
    if (!IsBlank(out.output_values)) {
      auto u = feel::CompileUnaryTests(out.output_values, *env.opts);
      if (u.ok()) co.allowed = *u;
      // The priority order is the list of output values.
      auto l = feel::EvaluateText("[" + out.output_values + "]");
      if (l.ok() && l->is_list()) co.priorities = l->as_list();
    }
    if (!IsBlank(out.default_entry)) {
      auto c = feel::CompileExpression(out.default_entry, *env.opts);
      if (c.ok()) {
        feel::CompiledExpression ce = *c;
        co.default_entry = [ce](const ScopePtr& s, EvalState& st) { return ce.Evaluate(s, st); };
      } else {
        fail("default output entry", c.error());
      }
    }
    t->outputs.push_back(std::move(co));
  }
  if (t->outputs.empty()) {
    env.errors->push_back(t->label + ": decision table has no output clause");
    t->broken = true;
  }
  for (const Rule& r : dt.rules) {
    CompiledRule cr;
    if (r.input_entries.size() != dt.inputs.size() || r.output_entries.size() != dt.outputs.size()) {
      env.errors->push_back(t->label + " rule " + r.id + ": " + std::to_string(r.input_entries.size()) +
                            " input and " + std::to_string(r.output_entries.size()) +
                            " output entries for " + std::to_string(dt.inputs.size()) + " inputs and " +
                            std::to_string(dt.outputs.size()) + " outputs");
      t->broken = true;
    }
    for (size_t i = 0; i < r.input_entries.size(); ++i) {
      const std::string& text = r.input_entries[i];
      if (IsBlank(text)) {
        cr.tests.emplace_back();
        continue;
      }
      auto u = feel::CompileUnaryTests(text, *env.opts);
      if (!u.ok()) {
        fail("rule " + r.id + " input entry " + std::to_string(i + 1), u.error());
        cr.tests.emplace_back();
      } else {
        cr.tests.push_back(*u);
      }
    }
    for (size_t o = 0; o < r.output_entries.size(); ++o) {
      auto c = feel::CompileExpression(r.output_entries[o], *env.opts);
      if (!c.ok()) {
        fail("rule " + r.id + " output entry " + std::to_string(o + 1), c.error());
        cr.outputs.push_back([](const ScopePtr&, EvalState&) { return Value(); });
      } else {
        feel::CompiledExpression ce = *c;
        cr.outputs.push_back([ce](const ScopePtr& s, EvalState& st) { return ce.Evaluate(s, st); });
      }
    }
    t->rules.push_back(std::move(cr));
    t->rule_ids.push_back(r.id);
  }
  return [t](const ScopePtr& s, EvalState& st) { return Evaluate(*t, s, st); };
}

}  // namespace amtsweg::dmn
