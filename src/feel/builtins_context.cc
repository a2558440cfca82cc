// Context built-ins: get value, get entries, context, context put, context merge.
#include "feel/builtins_internal.h"

namespace amtsweg::feel::builtins {
namespace {

Value PutPath(const Value& ctx, const List& keys, size_t i, const Value& v, bool* ok) {
  Context c = ctx.is_context() ? ctx.as_context() : Context();
  const std::string& key = keys[i].as_string();
  if (i + 1 == keys.size()) {
    c.Put(key, v);
  } else {
    const Value* inner = c.Find(key);
    Value base = inner ? *inner : Value::OfContext(Context());
    if (!base.is_context()) {
      *ok = false;
      return Value();
    }
    c.Put(key, PutPath(base, keys, i + 1, v, ok));
  }
  return Value::OfContext(std::move(c));
}

}  // namespace

void RegisterContext(Registry& r) {
  r.Add("get value", {Sig({"m", "key"})}, [](EvalState& st, Args a) {
    if (!a[0].is_context()) return Fail(st, "get value", "context expected");
    if (!a[1].is_string()) return Fail(st, "get value", "key must be a string");
    const Value* v = a[0].as_context().Find(a[1].as_string());
    return v ? *v : Value();
  });
  r.Add("get entries", {Sig({"m"})}, [](EvalState& st, Args a) {
    if (!a[0].is_context()) return Fail(st, "get entries", "context expected");
    List out;
    for (const auto& [k, v] : a[0].as_context().entries()) {
      Context e;
      e.Put("key", Value::String(k));
      e.Put("value", v);
      out.push_back(Value::OfContext(std::move(e)));
    }
    return Value::OfList(std::move(out));
  });
  r.Add("context", {Sig({"entries"})}, [](EvalState& st, Args a) {
    List entries = a[0].is_list() ? a[0].as_list() : List{a[0]};
    Context c;
    for (const Value& e : entries) {
      if (!e.is_context()) return Fail(st, "context", "entries must be contexts");
      const Value* k = e.as_context().Find("key");
      const Value* v = e.as_context().Find("value");
      if (!k || !k->is_string() || !v) return Fail(st, "context", "entry needs key and value");
      if (c.Find(k->as_string())) return Fail(st, "context", "duplicate key");
      c.Put(k->as_string(), *v);
    }
    return Value::OfContext(std::move(c));
  });
  Signature by_key = Sig({"context", "key", "value"});
  // Named `key:` takes one key; a list of keys must be passed as `keys:`.
  by_key.named_call = [](EvalState& st, Args a) {
    if (!a[1].is_string()) return Fail(st, "context put", "key must be a string");
    if (!a[0].is_context()) return Fail(st, "context put", "context expected");
    Context c = a[0].as_context();
    c.Put(a[1].as_string(), a[2]);
    return Value::OfContext(std::move(c));
  };
  r.Add("context put", {by_key, Sig({"context", "keys", "value"})},
        [](EvalState& st, Args a) {
          if (!a[0].is_context()) return Fail(st, "context put", "context expected");
          List keys;
          if (a[1].is_string()) keys.push_back(a[1]);
          else if (a[1].is_list()) keys = a[1].as_list();
          if (keys.empty()) return Fail(st, "context put", "key(s) expected");
          for (const Value& k : keys) {
            if (!k.is_string()) return Fail(st, "context put", "keys must be strings");
          }
          bool ok = true;
          Value out = PutPath(a[0], keys, 0, a[2], &ok);
          if (!ok) return Fail(st, "context put", "path goes through a non-context");
          return out;
        });
  r.Add("context merge", {Sig({"contexts"})}, ListFirst([](EvalState& st, Args a) {
    if (!a[0].is_list()) return Fail(st, "context merge", "list of contexts expected");
    Context c;
    for (const Value& e : a[0].as_list()) {
      if (!e.is_context()) return Fail(st, "context merge", "list of contexts expected");
      for (const auto& [k, v] : e.as_context().entries()) c.Put(k, v);
    }
    return Value::OfContext(std::move(c));
  }));
}

}  // namespace amtsweg::feel::builtins
