// Range built-ins (DMN 1.4 §10.3.4.9, Allen's interval algebra): before, after,
// meets, met by, overlaps, overlaps before, overlaps after, finishes,
// finished by, includes, during, starts, started by, coincides; and range().
#include "feel/builtins_internal.h"
#include "feel/parser.h"

namespace amtsweg::feel::builtins {
namespace {

// A range view; a point p is the closed range [p..p]. Absent bounds are
// infinite.
struct R {
  const Value* lo;
  const Value* hi;
  bool lc, hc;
};

struct Tri {
  bool ok = true;  // false when a comparison was impossible
};

class Cmp {
 public:
  // Compares bound a (start or end) with bound b (start or end).
  int C(const Value* a, bool a_start, const Value* b, bool b_start) {
    if (!a || !b) {
      int av = !a ? (a_start ? -2 : 2) : 0;
      int bv = !b ? (b_start ? -2 : 2) : 0;
      return av < bv ? -1 : (av > bv ? 1 : 0);
    }
    auto c = Compare(*a, *b);
    if (!c) {
      ok = false;
      return 0;
    }
    return *c;
  }
  bool ok = true;
};

bool ToR(const Value& v, R* r) {
  if (v.is_null()) return false;
  if (v.kind() == Kind::kRange) {
    const Range& x = v.as_range();
    *r = R{x.low ? &*x.low : nullptr, x.high ? &*x.high : nullptr, x.low_closed, x.high_closed};
    return true;
  }
  *r = R{&v, &v, true, true};
  return true;
}

using RangeFn = bool (*)(Cmp&, const R&, const R&);

bool Before(Cmp& c, const R& a, const R& b) {
  int x = c.C(a.hi, false, b.lo, true);
  return x < 0 || (x == 0 && (!a.hc || !b.lc));
}
bool Meets(Cmp& c, const R& a, const R& b) {
  return a.hc && b.lc && a.hi && b.lo && c.C(a.hi, false, b.lo, true) == 0;
}
bool Overlaps(Cmp& c, const R& a, const R& b) {
  int x = c.C(a.hi, false, b.lo, true);
  int y = c.C(a.lo, true, b.hi, false);
  return (x > 0 || (x == 0 && a.hc && b.lc)) && (y < 0 || (y == 0 && a.lc && b.hc));
}
bool OverlapsBefore(Cmp& c, const R& a, const R& b) {
  int s = c.C(a.lo, true, b.lo, true);
  int x = c.C(a.hi, false, b.lo, true);
  int e = c.C(a.hi, false, b.hi, false);
  return (s < 0 || (s == 0 && a.lc && !b.lc)) && (x > 0 || (x == 0 && a.hc && b.lc)) &&
         (e < 0 || (e == 0 && (!a.hc || b.hc)));
}
bool Finishes(Cmp& c, const R& a, const R& b) {
  int e = c.C(a.hi, false, b.hi, false);
  int s = c.C(a.lo, true, b.lo, true);
  return a.hc == b.hc && e == 0 && (s > 0 || (s == 0 && (!a.lc || b.lc)));
}
bool Includes(Cmp& c, const R& a, const R& b) {
  int s = c.C(a.lo, true, b.lo, true);
  int e = c.C(a.hi, false, b.hi, false);
  return (s < 0 || (s == 0 && (a.lc || !b.lc))) && (e > 0 || (e == 0 && (a.hc || !b.hc)));
}
bool Starts(Cmp& c, const R& a, const R& b) {
  int s = c.C(a.lo, true, b.lo, true);
  int e = c.C(a.hi, false, b.hi, false);
  return s == 0 && a.lc == b.lc && (e < 0 || (e == 0 && (!a.hc || b.hc)));
}
bool Coincides(Cmp& c, const R& a, const R& b) {
  return c.C(a.lo, true, b.lo, true) == 0 && a.lc == b.lc && c.C(a.hi, false, b.hi, false) == 0 &&
         a.hc == b.hc;
}

void AddRangeFn(Registry& r, const char* name, RangeFn fn, bool swap, bool ranges_only) {
  std::vector<Signature> sigs = {Sig({"point1", "point2"}), Sig({"point", "range"}),
                                 Sig({"range", "point"}), Sig({"range1", "range2"})};
  r.Add(name, sigs, [name, fn, swap, ranges_only](EvalState& st, Args a) {
    R x, y;
    if (!ToR(a[0], &x) || !ToR(a[1], &y)) return Value();
    if (ranges_only && (a[0].kind() != Kind::kRange || a[1].kind() != Kind::kRange))
      return Fail(st, name, "ranges expected");
    Cmp c;
    bool res = swap ? fn(c, y, x) : fn(c, x, y);
    if (!c.ok) return Fail(st, name, "incomparable arguments");
    return Value::Bool(res);
  });
}

}  // namespace

void RegisterRange(Registry& r) {
  AddRangeFn(r, "before", Before, false, false);
  AddRangeFn(r, "after", Before, true, false);
  AddRangeFn(r, "meets", Meets, false, true);
  AddRangeFn(r, "met by", Meets, true, true);
  AddRangeFn(r, "overlaps", Overlaps, false, true);
  AddRangeFn(r, "overlaps before", OverlapsBefore, false, true);
  AddRangeFn(r, "overlaps after", OverlapsBefore, true, true);
  AddRangeFn(r, "finishes", Finishes, false, false);
  AddRangeFn(r, "finished by", Finishes, true, false);
  AddRangeFn(r, "includes", Includes, false, false);
  AddRangeFn(r, "during", Includes, true, false);
  AddRangeFn(r, "starts", Starts, false, false);
  AddRangeFn(r, "started by", Starts, true, false);
  AddRangeFn(r, "coincides", Coincides, false, false);
  r.Add("range", {Sig({"from"})}, [](EvalState& st, Args a) {
    if (!a[0].is_string()) return Fail(st, "range", "string expected");
    // Endpoints must be literals: numbers, strings, @-literals, or temporal
    // constructors applied to one string literal (DMN 1.5 §10.3.4.9).
    auto node = ParseExpression(a[0].as_string(), NameSet());
    if (!node.ok()) return Fail(st, "range", "not a range literal");
    const Node& n = **node;
    // Only the bracket form: a unary comparison is not a range literal here.
    if (n.kind != NodeKind::kRange) return Fail(st, "range", "not a range literal");
    for (const auto& k : n.kids) {
      bool literal = k->kind == NodeKind::kNumber || k->kind == NodeKind::kString ||
                     k->kind == NodeKind::kAtLiteral ||
                     (k->kind == NodeKind::kNegate && k->kids[0]->kind == NodeKind::kNumber);
      if (k->kind == NodeKind::kCall && k->kids[0]->kind == NodeKind::kName && k->kids.size() == 2 &&
          k->kids[1]->kind == NodeKind::kString) {
        const std::string& f = k->kids[0]->text;
        literal = f == "date" || f == "time" || f == "date and time" || f == "duration";
      }
      if (!literal) return Fail(st, "range", "range endpoints must be literals");
    }
    std::vector<std::string> w;
    auto v = EvaluateText(a[0].as_string(), {}, &w);
    if (!v.ok() || v->kind() != Kind::kRange) return Fail(st, "range", "not a range literal");
    const Range& rg = v->as_range();
    auto literal_kind = [](const std::optional<Value>& b) {
      return !b || b->is_number() || b->is_string() || b->kind() == Kind::kDate ||
             b->kind() == Kind::kTime || b->kind() == Kind::kDateTime ||
             b->kind() == Kind::kYmDuration || b->kind() == Kind::kDtDuration;
    };
    if (!literal_kind(rg.low) || !literal_kind(rg.high)) return Fail(st, "range", "bad endpoint");
    if (rg.low && rg.high) {
      auto c = Compare(*rg.low, *rg.high);
      if (!c || *c > 0) return Fail(st, "range", "start after end");
    }
    return *v;
  });
}

}  // namespace amtsweg::feel::builtins
