#include "feel/json_value.h"

#include "feel/evaluator.h"

namespace amtsweg::feel {

core::Json ValueToJson(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull: return nullptr;
    case Kind::kBoolean: return v.as_bool();
    case Kind::kNumber: {
      if (auto i = v.as_number().ToInt64()) return *i;
      return v.as_number().ToDouble();
    }
    case Kind::kString: return v.as_string();
    case Kind::kDate: return FormatDate(v.as_date());
    case Kind::kTime: return FormatTime(v.as_time());
    case Kind::kDateTime: return FormatDateTime(v.as_date_time());
    case Kind::kYmDuration: return FormatYmDuration(v.as_ym());
    case Kind::kDtDuration: return FormatDtDuration(v.as_dt());
    case Kind::kList: {
      core::Json a = core::Json::array();
      for (const Value& e : v.as_list()) a.push_back(ValueToJson(e));
      return a;
    }
    case Kind::kContext: {
      core::Json o = core::Json::object();
      for (const auto& [k, e] : v.as_context().entries()) o[k] = ValueToJson(e);
      return o;
    }
    case Kind::kRange: {
      std::string s = v.DebugString();
      return s;
    }
    case Kind::kFunction: return nullptr;
  }
  return nullptr;
}

namespace {

core::Result<Value> Convert(const core::Json& j, const TypePtr& hint, const std::string& ptr) {
  using Tag = Type::Tag;
  Tag tag = hint ? hint->tag : Tag::kAny;
  if (j.is_null()) return Value();
  if (j.is_boolean()) return Value::Bool(j.get<bool>());
  if (j.is_number_integer() || j.is_number_unsigned()) {
    if (j.is_number_unsigned()) {
      auto d = Decimal::Parse(std::to_string(j.get<uint64_t>()));
      return Value::Number(*d);
    }
    return Value::Number(j.get<int64_t>());
  }
  if (j.is_number_float()) {
    auto d = Decimal::Parse(core::DumpJson(j));
    if (!d) return core::InvalidArgument("not a finite number", {{ptr, "not a finite number"}});
    return Value::Number(*d);
  }
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    auto bad = [&](const char* what) {
      return core::InvalidArgument(std::string("not a ") + what + ": " + s,
                                   {{ptr, std::string("expected a ") + what}});
    };
    switch (tag) {
      case Tag::kDate:
        if (auto d = ParseDate(s)) return Value::OfDate(*d);
        return bad("date");
      case Tag::kTime:
        if (auto t = ParseTime(s)) return Value::OfTime(*t);
        return bad("time");
      case Tag::kDateTime:
        if (auto t = ParseDateTime(s)) return Value::OfDateTime(*t);
        return bad("date and time");
      case Tag::kYmDuration:
        if (auto d = ParseYmDuration(s)) return Value::OfYm(*d);
        return bad("years and months duration");
      case Tag::kDtDuration:
        if (auto d = ParseDtDuration(s)) return Value::OfDt(*d);
        return bad("days and time duration");
      default: return Value::String(s);
    }
  }
  if (j.is_array()) {
    List l;
    TypePtr elem = hint && hint->tag == Tag::kList ? hint->element : nullptr;
    size_t i = 0;
    for (const auto& e : j) {
      AW_ASSIGN_OR_RETURN(Value v, Convert(e, elem, ptr + "/" + std::to_string(i++)));
      l.push_back(std::move(v));
    }
    return Value::OfList(std::move(l));
  }
  Context c;
  for (auto it = j.begin(); it != j.end(); ++it) {
    TypePtr ft;
    if (hint && hint->tag == Tag::kContext) {
      for (const auto& [name, t] : hint->fields) {
        if (name == it.key()) ft = t;
      }
    }
    AW_ASSIGN_OR_RETURN(Value v, Convert(it.value(), ft, ptr + "/" + it.key()));
    c.Put(it.key(), std::move(v));
  }
  return Value::OfContext(std::move(c));
}

}  // namespace

core::Result<Value> JsonToValue(const core::Json& j, const TypePtr& hint, const std::string& pointer) {
  return Convert(j, hint, pointer);
}

core::Result<Context> JsonToContext(const core::Json& j,
                                    const std::function<TypePtr(const std::string&)>& type_of) {
  if (!j.is_object()) return core::InvalidArgument("variables must be a JSON object");
  Context ctx;
  for (auto it = j.begin(); it != j.end(); ++it) {
    TypePtr hint = type_of ? type_of(it.key()) : nullptr;
    AW_ASSIGN_OR_RETURN(Value v, Convert(it.value(), hint, "/" + it.key()));
    ctx.Put(it.key(), std::move(v));
  }
  return ctx;
}

core::Result<core::Json> EvaluateJson(std::string_view expression, const core::Json& variables) {
  AW_ASSIGN_OR_RETURN(Context vars, JsonToContext(variables));
  // Every object key at any depth is a name the expression may use in a path
  // (`applicant.first name`).
  CompileOptions opts;
  std::function<void(const core::Json&)> collect = [&](const core::Json& j) {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        opts.names.Add(it.key());
        collect(it.value());
      }
    } else if (j.is_array()) {
      for (const auto& e : j) collect(e);
    }
  };
  collect(variables);
  AW_ASSIGN_OR_RETURN(CompiledExpression e, CompileExpression(expression, opts));
  EvalState st;
  Value v = e.Evaluate(ScopeOf(vars), st);
  core::Json out = core::Json::object();
  out["result"] = ValueToJson(v);
  out["warnings"] = st.warnings();
  return out;
}

}  // namespace amtsweg::feel
