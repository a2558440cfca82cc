#include "feel/types.h"

#include "feel/lexer.h"

namespace amtsweg::feel {

TypePtr Type::Of(Tag t) {
  auto p = std::make_shared<Type>();
  p->tag = t;
  return p;
}

std::string Type::ToString() const {
  switch (tag) {
    case Tag::kAny: return "Any";
    case Tag::kNull: return "Null";
    case Tag::kNumber: return "number";
    case Tag::kString: return "string";
    case Tag::kBoolean: return "boolean";
    case Tag::kDate: return "date";
    case Tag::kTime: return "time";
    case Tag::kDateTime: return "date and time";
    case Tag::kYmDuration: return "years and months duration";
    case Tag::kDtDuration: return "days and time duration";
    case Tag::kList: return "list<" + (element ? element->ToString() : "Any") + ">";
    case Tag::kRange: return "range<" + (element ? element->ToString() : "Any") + ">";
    case Tag::kContext: {
      std::string s = "context<";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ", ";
        s += fields[i].first + ": " + fields[i].second->ToString();
      }
      return s + ">";
    }
    case Tag::kFunction: return "function";
  }
  return "?";
}

TypePtr BuiltinType(std::string_view n) {
  using T = Type::Tag;
  if (n == "Any") return Type::Of(T::kAny);
  if (n == "Null") return Type::Of(T::kNull);
  if (n == "number") return Type::Of(T::kNumber);
  if (n == "string") return Type::Of(T::kString);
  if (n == "boolean") return Type::Of(T::kBoolean);
  if (n == "date") return Type::Of(T::kDate);
  if (n == "time") return Type::Of(T::kTime);
  if (n == "date and time" || n == "dateTime") return Type::Of(T::kDateTime);
  if (n == "years and months duration" || n == "yearMonthDuration")
    return Type::Of(T::kYmDuration);
  if (n == "days and time duration" || n == "dayTimeDuration") return Type::Of(T::kDtDuration);
  if (n == "list") return Type::Of(T::kList);
  if (n == "context") return Type::Of(T::kContext);
  if (n == "range") return Type::Of(T::kRange);
  if (n == "function") return Type::Of(T::kFunction);
  return nullptr;
}

namespace {

class TypeParser {
 public:
  TypeParser(std::vector<Token> t, const TypeResolver& r) : t_(std::move(t)), resolver_(r) {}

  core::Result<TypePtr> Whole() {
    AW_ASSIGN_OR_RETURN(TypePtr t, One());
    if (t_[pos_].kind != TokenKind::kEnd) return Err("end of type");
    return t;
  }

 private:
  bool Punct(const char* p) const { return t_[pos_].kind == TokenKind::kPunct && t_[pos_].text == p; }
  core::Error Err(const std::string& what) const {
    return core::InvalidArgument("type: expected " + what + " at column " +
                                 std::to_string(t_[pos_].column));
  }

  core::Result<TypePtr> One() {
    if (++depth_ > 64) return Err("a less deeply nested type");
    auto r = OneInner();
    --depth_;
    return r;
  }

  core::Result<TypePtr> OneInner() {
    if (t_[pos_].kind != TokenKind::kName && t_[pos_].kind != TokenKind::kString)
      return Err("a type name");
    // Longest sequence of name tokens (with '.' for qualified names).
    std::string name = t_[pos_++].text;
    while (true) {
      if (t_[pos_].kind == TokenKind::kName) {
        name += " " + t_[pos_++].text;
      } else if (Punct(".") && t_[pos_ + 1].kind == TokenKind::kName) {
        name += "." + t_[pos_ + 1].text;
        pos_ += 2;
      } else {
        break;
      }
    }
    using T = Type::Tag;
    if ((name == "list" || name == "range") && Punct("<")) {
      ++pos_;
      auto t = std::make_shared<Type>();
      t->tag = name == "list" ? T::kList : T::kRange;
      AW_ASSIGN_OR_RETURN(t->element, One());
      if (!Punct(">")) return Err("'>'");
      ++pos_;
      return TypePtr(t);
    }
    if (name == "context" && Punct("<")) {
      ++pos_;
      auto t = std::make_shared<Type>();
      t->tag = T::kContext;
      while (!Punct(">")) {
        if (t_[pos_].kind != TokenKind::kName && t_[pos_].kind != TokenKind::kString)
          return Err("a field name");
        std::string field = t_[pos_++].text;
        while (t_[pos_].kind == TokenKind::kName) field += " " + t_[pos_++].text;
        if (!Punct(":")) return Err("':'");
        ++pos_;
        AW_ASSIGN_OR_RETURN(TypePtr ft, One());
        t->fields.emplace_back(field, ft);
        if (Punct(",")) ++pos_;
        else if (!Punct(">")) return Err("',' or '>'");
      }
      ++pos_;
      return TypePtr(t);
    }
    if (name == "function" && Punct("<")) {
      ++pos_;
      auto t = std::make_shared<Type>();
      t->tag = T::kFunction;
      while (!Punct(">")) {
        AW_ASSIGN_OR_RETURN(TypePtr p, One());
        t->params.push_back(p);
        if (Punct(",")) ++pos_;
        else if (!Punct(">")) return Err("',' or '>'");
      }
      ++pos_;
      if (!Punct("->")) return Err("'->'");
      ++pos_;
      AW_ASSIGN_OR_RETURN(t->result, One());
      return TypePtr(t);
    }
    if (TypePtr b = BuiltinType(name)) return b;
    if (resolver_) {
      if (TypePtr r = resolver_(name)) return r;
    }
    return core::InvalidArgument("unknown type '" + name + "'");
  }

  std::vector<Token> t_;
  const TypeResolver& resolver_;
  size_t pos_ = 0;
  int depth_ = 0;
};

bool Check(const Value& v, const Type& t, bool null_conforms, bool constraints = true);

bool CheckStructure(const Value& v, const Type& t, bool null_conforms) {
  using T = Type::Tag;
  switch (t.tag) {
    case T::kAny: return !v.is_null() || null_conforms;
    case T::kNull: return v.is_null();
    case T::kNumber: return v.kind() == Kind::kNumber;
    case T::kString: return v.kind() == Kind::kString;
    case T::kBoolean: return v.kind() == Kind::kBoolean;
    case T::kDate: return v.kind() == Kind::kDate;
    case T::kTime: return v.kind() == Kind::kTime;
    case T::kDateTime: return v.kind() == Kind::kDateTime;
    case T::kYmDuration: return v.kind() == Kind::kYmDuration;
    case T::kDtDuration: return v.kind() == Kind::kDtDuration;
    case T::kList: {
      if (!v.is_list()) return false;
      if (!t.element) return true;
      for (const Value& e : v.as_list()) {
        if (!Check(e, *t.element, true)) return false;
      }
      return true;
    }
    case T::kRange: {
      if (v.kind() != Kind::kRange) return false;
      if (!t.element) return true;
      const Range& r = v.as_range();
      if (r.low && !Check(*r.low, *t.element, true)) return false;
      if (r.high && !Check(*r.high, *t.element, true)) return false;
      return true;
    }
    case T::kContext: {
      if (!v.is_context()) return false;
      for (const auto& [name, ft] : t.fields) {
        const Value* f = v.as_context().Find(name);
        if (!f) return false;
        if (!Check(*f, *ft, true)) return false;
      }
      return true;
    }
    case T::kFunction: {
      if (!v.is_function()) return false;
      if (t.params.empty() && !t.result) return true;
      // Parameter count must be accepted by one of the signatures.
      for (const Signature& s : v.as_function()->signatures) {
        if (t.params.size() >= s.required &&
            (s.variadic || t.params.size() <= s.params.size()))
          return true;
      }
      return false;
    }
  }
  return false;
}

bool Check(const Value& v, const Type& t, bool null_conforms, bool constraints) {
  if (v.is_null() && null_conforms) return true;
  if (!CheckStructure(v, t, null_conforms)) return false;
  if (constraints && t.constraint && !v.is_null() && !t.constraint(v)) return false;
  return true;
}

}  // namespace

core::Result<TypePtr> ParseType(std::string_view text, const TypeResolver& resolver) {
  AW_ASSIGN_OR_RETURN(std::vector<Token> toks, Tokenize(text));
  TypeParser p(std::move(toks), resolver);
  return p.Whole();
}

// `instance of` asks for the type only; allowed values are not part of it.
bool InstanceOf(const Value& v, const Type& t) { return Check(v, t, false, false); }
bool Conforms(const Value& v, const Type& t) { return Check(v, t, true); }

std::optional<Value> ConvertTo(const Value& v, const Type& t) {
  if (v.is_null() || Conforms(v, t)) return v;
  using T = Type::Tag;
  if (v.is_list() && v.as_list().size() == 1 && t.tag != T::kList && Conforms(v.as_list()[0], t))
    return v.as_list()[0];
  if (t.tag == T::kList && !v.is_list()) {
    Value wrapped = Value::OfList({v});
    if (Conforms(wrapped, t)) return wrapped;
  }
  if (t.tag == T::kDateTime && v.kind() == Kind::kDate) {
    return Value::OfDateTime(DateTime{v.as_date().days, 0, ZoneSpec{0, ""}});
  }
  return std::nullopt;
}

Type::Tag TagOf(const Value& v) {
  using T = Type::Tag;
  switch (v.kind()) {
    case Kind::kNull: return T::kNull;
    case Kind::kBoolean: return T::kBoolean;
    case Kind::kNumber: return T::kNumber;
    case Kind::kString: return T::kString;
    case Kind::kDate: return T::kDate;
    case Kind::kTime: return T::kTime;
    case Kind::kDateTime: return T::kDateTime;
    case Kind::kYmDuration: return T::kYmDuration;
    case Kind::kDtDuration: return T::kDtDuration;
    case Kind::kList: return T::kList;
    case Kind::kContext: return T::kContext;
    case Kind::kRange: return T::kRange;
    case Kind::kFunction: return T::kFunction;
  }
  return T::kAny;
}

}  // namespace amtsweg::feel
