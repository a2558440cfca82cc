#include "feel/builtins.h"


#include <mutex>

#include "feel/builtins_internal.h"
#include "core/utf8.h"

namespace amtsweg::feel {
namespace builtins {

void Registry::Add(const std::string& name, std::vector<Signature> sigs, Impl impl) {
  auto f = std::make_shared<Function>();
  f->name = name;
  f->signatures = std::move(sigs);
  f->call = std::move(impl);
  fns_[name] = Value::OfFunction(std::move(f));
}

Signature Sig(std::initializer_list<const char*> params, size_t optional, bool variadic) {
  Signature s;
  for (const char* p : params) s.params.emplace_back(p);
  s.required = s.params.size() - optional;
  if (variadic && s.required > 0) s.required -= 0;
  s.variadic = variadic;
  return s;
}

Value Fail(EvalState& st, const std::string& fn, const std::string& msg) {
  st.Warn(fn + ": " + msg);
  return Value();
}

List ListOrArgs(Args a) {
  if (a.size() == 1 && a[0].is_list()) return a[0].as_list();
  return List(a.begin(), a.end());
}

std::u32string ToU32(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    size_t n;
    if (c < 0x80) cp = c, n = 1;
    else if ((c >> 5) == 6) cp = c & 0x1F, n = 2;
    else if ((c >> 4) == 14) cp = c & 0x0F, n = 3;
    else if ((c >> 3) == 30) cp = c & 0x07, n = 4;
    else cp = 0xFFFD, n = 1;
    for (size_t k = 1; k < n; ++k) {
      if (i + k >= s.size()) {
        cp = 0xFFFD;
        n = k;
        break;
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string FromU32(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) core::AppendUtf8(out, static_cast<uint32_t>(cp));
  return out;
}

std::optional<int64_t> IntArg(const Value& v) {
  if (!v.is_number()) return std::nullopt;
  return v.as_number().TruncToInt64();
}

Impl ListFirst(Impl impl) {
  return [impl](EvalState& st, Args a) {
    if (a.empty() || a[0].is_null() || a[0].is_list()) return impl(st, a);
    std::vector<Value> args(a.begin(), a.end());
    args[0] = Value::OfList({args[0]});
    return impl(st, args);
  };
}

Impl ListAll(Impl impl) {
  return [impl](EvalState& st, Args a) {
    std::vector<Value> args(a.begin(), a.end());
    for (Value& v : args) {
      if (!v.is_null() && !v.is_list()) v = Value::OfList({v});
    }
    return impl(st, args);
  };
}

Impl Scalars(Impl impl) {
  return [impl](EvalState& st, Args a) {
    std::vector<Value> args(a.begin(), a.end());
    for (Value& v : args) {
      if (v.is_list() && v.as_list().size() == 1) v = v.as_list()[0];
    }
    return impl(st, args);
  };
}

std::string ToFeelString(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull: return "null";
    case Kind::kString: return v.as_string();
    case Kind::kNumber: return v.as_number().ToString();
    case Kind::kBoolean: return v.as_bool() ? "true" : "false";
    case Kind::kDate: return FormatDate(v.as_date());
    case Kind::kTime: return FormatTime(v.as_time());
    case Kind::kDateTime: return FormatDateTime(v.as_date_time());
    case Kind::kYmDuration: return FormatYmDuration(v.as_ym());
    case Kind::kDtDuration: return FormatDtDuration(v.as_dt());
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.as_list().size(); ++i) {
        if (i) out += ", ";
        out += ToFeelString(v.as_list()[i]);
      }
      return out + "]";
    }
    case Kind::kContext: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, e] : v.as_context().entries()) {
        if (!first) out += ", ";
        first = false;
        out += k + ": " + ToFeelString(e);
      }
      return out + "}";
    }
    case Kind::kRange: {
      const Range& r = v.as_range();
      if (!r.low) return std::string(r.high_closed ? "<=" : "<") + ToFeelString(*r.high);
      if (!r.high) return std::string(r.low_closed ? ">=" : ">") + ToFeelString(*r.low);
      return std::string(r.low_closed ? "[" : "(") + ToFeelString(*r.low) + ".." +
             ToFeelString(*r.high) + (r.high_closed ? "]" : ")");
    }
    case Kind::kFunction: return "function";
  }
  return "";
}

const Registry& Get() {
  static const Registry* reg = [] {
    auto* r = new Registry();
    RegisterConversion(*r);
    RegisterString(*r);
    RegisterList(*r);
    RegisterNumeric(*r);
    RegisterTemporal(*r);
    RegisterRange(*r);
    RegisterContext(*r);
    return r;
  }();
  return *reg;
}

}  // namespace builtins

const std::vector<std::string>& BuiltinFunctionNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [k, v] : builtins::Get().all()) n.push_back(k);
    return n;
  }();
  return names;
}

const Value* FindBuiltin(std::string_view name) {
  const auto& all = builtins::Get().all();
  auto it = all.find(std::string(name));
  return it == all.end() ? nullptr : &it->second;
}

}  // namespace amtsweg::feel
