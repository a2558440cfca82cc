// List built-ins: list contains, count, min, max, sum, mean, all, any, sublist,
// append, concatenate, insert before, remove, reverse, index of, union,
// distinct values, flatten, product, median, stddev, mode, sort, list replace.
#include <algorithm>

#include "feel/builtins_internal.h"

namespace amtsweg::feel::builtins {
namespace {

bool Contains(const List& l, const Value& v) {
  for (const Value& e : l) {
    if (ValuesEqual(e, v)) return true;
  }
  return false;
}

Value MinMax(EvalState& st, Args a, bool is_min, const char* name) {
  if (a.empty()) return Fail(st, name, "no arguments");
  List l = ListOrArgs(a);
  if (l.empty()) return Value();
  Value best = l[0];
  for (size_t i = 1; i < l.size(); ++i) {
    auto c = Compare(l[i], best);
    if (!c) return Fail(st, name, "values are not comparable");
    if ((is_min && *c < 0) || (!is_min && *c > 0)) best = l[i];
  }
  if (l.size() == 1 && !Compare(best, best)) return Fail(st, name, "value is not comparable");
  return best;
}

std::optional<std::vector<Decimal>> Numbers(const List& l) {
  std::vector<Decimal> out;
  for (const Value& v : l) {
    if (!v.is_number()) return std::nullopt;
    out.push_back(v.as_number());
  }
  return out;
}

std::optional<Decimal> SumOf(const std::vector<Decimal>& n) {
  Decimal s;
  for (const Decimal& d : n) {
    auto r = s.Add(d);
    if (!r) return std::nullopt;
    s = *r;
  }
  return s;
}

Value Sum(EvalState& st, Args a) {
  if (a.empty()) return Fail(st, "sum", "no arguments");
  List l = ListOrArgs(a);
  if (l.empty()) return Value();
  auto n = Numbers(l);
  if (!n) return Fail(st, "sum", "numbers expected");
  return Value::Number(SumOf(*n));
}

Value Mean(EvalState& st, Args a) {
  if (a.empty()) return Fail(st, "mean", "no arguments");
  List l = ListOrArgs(a);
  if (l.empty()) return Value();
  auto n = Numbers(l);
  if (!n) return Fail(st, "mean", "numbers expected");
  auto s = SumOf(*n);
  if (!s) return Value();
  return Value::Number(s->Div(Decimal::FromInt(static_cast<int64_t>(n->size()))));
}

Value AllAny(EvalState& st, Args a, bool all, const char* name) {
  if (a.empty()) return Fail(st, name, "no arguments");
  List l = ListOrArgs(a);
  bool unknown = false;
  for (const Value& v : l) {
    if (!v.is_bool()) {
      unknown = true;
      continue;
    }
    if (v.as_bool() != all) return Value::Bool(!all);
  }
  if (unknown) return Fail(st, name, "non-boolean element");
  return Value::Bool(all);
}

Value Sublist(EvalState& st, Args a) {
  if (!a[0].is_list()) return Fail(st, "sublist", "list expected");
  const List& l = a[0].as_list();
  auto start = IntArg(a[1]);
  int64_t size = static_cast<int64_t>(l.size());
  if (!start || *start == 0) return Fail(st, "sublist", "bad start position");
  int64_t from = *start > 0 ? *start - 1 : size + *start;
  if (from < 0 || from >= size) return Fail(st, "sublist", "start position out of range");
  int64_t count = size - from;
  if (a.size() > 2 && !a[2].is_null()) {
    auto len = IntArg(a[2]);
    if (!len || *len < 0) return Fail(st, "sublist", "bad length");
    if (from + *len > size) return Fail(st, "sublist", "length out of range");
    count = *len;
  }
  return Value::OfList(List(l.begin() + from, l.begin() + from + count));
}

void FlattenInto(const List& l, List* out) {
  for (const Value& v : l) {
    if (v.is_list()) FlattenInto(v.as_list(), out);
    else out->push_back(v);
  }
}

std::optional<Decimal> SortedMedian(std::vector<Decimal> n) {
  std::sort(n.begin(), n.end());
  size_t k = n.size();
  if (k % 2 == 1) return n[k / 2];
  auto s = n[k / 2 - 1].Add(n[k / 2]);
  if (!s) return std::nullopt;
  return s->Div(Decimal::FromInt(2));
}

Value Stddev(EvalState& st, Args a) {
  if (a.empty()) return Fail(st, "stddev", "no arguments");
  List l = ListOrArgs(a);
  auto n = Numbers(l);
  if (!n) return Fail(st, "stddev", "numbers expected");
  if (n->size() < 2) return Value();
  auto s = SumOf(*n);
  if (!s) return Value();
  auto mean = s->Div(Decimal::FromInt(static_cast<int64_t>(n->size())));
  if (!mean) return Value();
  Decimal acc;
  for (const Decimal& d : *n) {
    auto diff = d.Sub(*mean);
    if (!diff) return Value();
    auto sq = diff->Mul(*diff);
    if (!sq) return Value();
    acc = *acc.Add(*sq);
  }
  auto var = acc.Div(Decimal::FromInt(static_cast<int64_t>(n->size()) - 1));
  if (!var) return Value();
  return Value::Number(var->Sqrt());
}

Value Mode(EvalState& st, Args a) {
  if (a.empty()) return Fail(st, "mode", "no arguments");
  List l = ListOrArgs(a);
  auto n = Numbers(l);
  if (!n) return Fail(st, "mode", "numbers expected");
  std::vector<Decimal> sorted = *n;
  std::sort(sorted.begin(), sorted.end());
  size_t best = 0;
  std::vector<Decimal> modes;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    size_t count = j - i;
    if (count > best) {
      best = count;
      modes = {sorted[i]};
    } else if (count == best) {
      modes.push_back(sorted[i]);
    }
    i = j;
  }
  List out;
  for (const Decimal& d : modes) out.push_back(Value::Number(d));
  return Value::OfList(std::move(out));
}

Value Sort(EvalState& st, Args a) {
  if (a[0].is_null()) return Value();
  List l = a[0].is_list() ? a[0].as_list() : List{a[0]};
  bool ok = true;
  if (a.size() < 2 || a[1].is_null()) {
    for (size_t i = 1; i < l.size() && ok; ++i) ok = Compare(l[0], l[i]).has_value();
    if (!ok) return Fail(st, "sort", "elements are not comparable");
    std::stable_sort(l.begin(), l.end(),
                     [](const Value& x, const Value& y) { return Compare(x, y).value_or(0) < 0; });
    return Value::OfList(std::move(l));
  }
  const Value& precedes = a[1];
  if (!precedes.is_function()) return Fail(st, "sort", "precedes must be a function");
  // Insertion sort keeps comparisons deterministic even for inconsistent functions.
  List out;
  for (const Value& v : l) {
    size_t pos = out.size();
    while (pos > 0) {
      Value args[2] = {v, out[pos - 1]};
      Value r = CallValue(precedes, args, st);
      if (!r.is_bool()) {
        ok = false;
        break;
      }
      if (!r.as_bool()) break;
      --pos;
    }
    if (!ok) return Fail(st, "sort", "precedes did not return a boolean");
    out.insert(out.begin() + static_cast<long>(pos), v);
  }
  return Value::OfList(std::move(out));
}

Value ListReplace(EvalState& st, Args a) {
  if (!a[0].is_list()) return Fail(st, "list replace", "list expected");
  List l = a[0].as_list();
  if (a[1].is_number()) {
    auto p = IntArg(a[1]);
    int64_t size = static_cast<int64_t>(l.size());
    if (!p || *p == 0 || *p > size || *p < -size) return Fail(st, "list replace", "bad position");
    int64_t i = *p > 0 ? *p - 1 : size + *p;
    l[static_cast<size_t>(i)] = a[2];
    return Value::OfList(std::move(l));
  }
  if (a[1].is_function()) {
    for (Value& v : l) {
      Value args[2] = {v, a[2]};
      Value r = CallValue(a[1], args, st);
      if (!r.is_bool()) return Fail(st, "list replace", "match function must return a boolean");
      if (r.as_bool()) v = a[2];
    }
    return Value::OfList(std::move(l));
  }
  return Fail(st, "list replace", "position must be a number or a function");
}

}  // namespace

void RegisterList(Registry& r) {
  r.Add("list contains", {Sig({"list", "element"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "list contains", "list expected");
    return Value::Bool(Contains(a[0].as_list(), a[1]));
  }));
  r.Add("count", {Sig({"list"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "count", "list expected");
    return Value::Number(static_cast<int64_t>(a[0].as_list().size()));
  }));
  r.Add("min", {Sig({"list"}), Sig({"c"}, 0, true)},
        [](EvalState& st, Args a) { return MinMax(st, a, true, "min"); });
  r.Add("max", {Sig({"list"}), Sig({"c"}, 0, true)},
        [](EvalState& st, Args a) { return MinMax(st, a, false, "max"); });
  r.Add("sum", {Sig({"list"}), Sig({"n"}, 0, true)}, Sum);
  r.Add("mean", {Sig({"list"}), Sig({"n"}, 0, true)}, Mean);
  r.Add("all", {Sig({"list"}), Sig({"b"}, 0, true)},
        [](EvalState& st, Args a) { return AllAny(st, a, true, "all"); });
  r.Add("any", {Sig({"list"}), Sig({"b"}, 0, true)},
        [](EvalState& st, Args a) { return AllAny(st, a, false, "any"); });
  r.Add("sublist", {Sig({"list", "start position", "length"}, 1)}, ListFirst(Sublist));
  r.Add("append", {Sig({"list", "item"}, 1, true)}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "append", "list expected");
    List l = a[0].as_list();
    for (size_t i = 1; i < a.size(); ++i) l.push_back(a[i]);
    return Value::OfList(std::move(l));
  }));
  r.Add("concatenate", {Sig({"list"}, 1, true)}, ListAll([](EvalState& st, Args a) {
    List l;
    for (const Value& v : a) {
      if (!v.is_list()) return Fail(st, "concatenate", "lists expected");
      l.insert(l.end(), v.as_list().begin(), v.as_list().end());
    }
    return Value::OfList(std::move(l));
  }));
  r.Add("insert before", {Sig({"list", "position", "newItem"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "insert before", "list expected");
    List l = a[0].as_list();
    auto p = IntArg(a[1]);
    int64_t size = static_cast<int64_t>(l.size());
    if (!p || *p == 0 || *p > size || *p < -size) return Fail(st, "insert before", "bad position");
    int64_t i = *p > 0 ? *p - 1 : size + *p;
    l.insert(l.begin() + i, a[2]);
    return Value::OfList(std::move(l));
  }));
  r.Add("remove", {Sig({"list", "position"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "remove", "list expected");
    List l = a[0].as_list();
    auto p = IntArg(a[1]);
    int64_t size = static_cast<int64_t>(l.size());
    if (!p || *p == 0 || *p > size || *p < -size) return Fail(st, "remove", "bad position");
    int64_t i = *p > 0 ? *p - 1 : size + *p;
    l.erase(l.begin() + i);
    return Value::OfList(std::move(l));
  }));
  r.Add("reverse", {Sig({"list"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "reverse", "list expected");
    List l = a[0].as_list();
    std::reverse(l.begin(), l.end());
    return Value::OfList(std::move(l));
  }));
  r.Add("index of", {Sig({"list", "match"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "index of", "list expected");
    List out;
    const List& l = a[0].as_list();
    for (size_t i = 0; i < l.size(); ++i) {
      if (ValuesEqual(l[i], a[1])) out.push_back(Value::Number(static_cast<int64_t>(i + 1)));
    }
    return Value::OfList(std::move(out));
  }));
  r.Add("union", {Sig({"list"}, 1, true)}, ListAll([](EvalState& st, Args a) {
    List out;
    for (const Value& v : a) {
      if (!v.is_list()) return Fail(st, "union", "lists expected");
      for (const Value& e : v.as_list()) {
        if (!Contains(out, e)) out.push_back(e);
      }
    }
    return Value::OfList(std::move(out));
  }));
  r.Add("distinct values", {Sig({"list"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "distinct values", "list expected");
    List out;
    for (const Value& e : a[0].as_list()) {
      if (!Contains(out, e)) out.push_back(e);
    }
    return Value::OfList(std::move(out));
  }));
  r.Add("flatten", {Sig({"list"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "flatten", "list expected");
    List out;
    FlattenInto(a[0].as_list(), &out);
    return Value::OfList(std::move(out));
  }));
  r.Add("product", {Sig({"list"}), Sig({"n"}, 0, true)}, [](EvalState& st, Args a) {
    if (a.empty()) return Fail(st, "product", "no arguments");
    List l = ListOrArgs(a);
    if (l.empty()) return Value();
    auto n = Numbers(l);
    if (!n) return Fail(st, "product", "numbers expected");
    Decimal p = Decimal::FromInt(1);
    for (const Decimal& d : *n) {
      auto r = p.Mul(d);
      if (!r) return Value();
      p = *r;
    }
    return Value::Number(p);
  });
  r.Add("median", {Sig({"list"}), Sig({"n"}, 0, true)}, [](EvalState& st, Args a) {
    if (a.empty()) return Fail(st, "median", "no arguments");
    List l = ListOrArgs(a);
    if (l.empty()) return Value();
    auto n = Numbers(l);
    if (!n) return Fail(st, "median", "numbers expected");
    return Value::Number(SortedMedian(*n));
  });
  r.Add("stddev", {Sig({"list"}), Sig({"n"}, 0, true)}, Stddev);
  r.Add("mode", {Sig({"list"}), Sig({"n"}, 0, true)}, Mode);
  r.Add("sort", {Sig({"list", "precedes"}, 1)}, ListFirst(Sort));
  r.Add("list replace", {Sig({"list", "position", "newItem"}), Sig({"list", "match", "newItem"})},
        ListFirst(ListReplace));
}

}  // namespace amtsweg::feel::builtins
