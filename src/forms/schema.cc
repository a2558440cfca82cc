#include "forms/schema.h"

#include <algorithm>
#include <map>
#include <set>

#include "forms/utf8.h"

namespace amtsweg::forms {
namespace {

using core::FieldError;
using core::Json;

struct TypeEntry {
  const char* name;
  ComponentType type;
};

constexpr TypeEntry kTypes[] = {
    {"textfield", ComponentType::kTextfield},
    {"textarea", ComponentType::kTextarea},
    {"number", ComponentType::kNumber},
    {"datetime", ComponentType::kDatetime},
    {"checkbox", ComponentType::kCheckbox},
    {"checklist", ComponentType::kChecklist},
    {"radio", ComponentType::kRadio},
    {"select", ComponentType::kSelect},
    {"taglist", ComponentType::kTaglist},
    {"filepicker", ComponentType::kFilepicker},
    {"expression", ComponentType::kExpression},
    {"group", ComponentType::kGroup},
    {"dynamiclist", ComponentType::kDynamicList},
    {"text", ComponentType::kText},
    {"html", ComponentType::kHtml},
    {"image", ComponentType::kImage},
    {"spacer", ComponentType::kSpacer},
    {"separator", ComponentType::kSeparator},
    {"button", ComponentType::kButton},
    {"iframe", ComponentType::kIframe},
    {"table", ComponentType::kTable},
    {"documentPreview", ComponentType::kDocumentPreview},
};

std::vector<std::string> SplitDots(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

class Compiler {
 public:
  explicit Compiler(const SchemaLimits& limits) : limits_(limits) {}

  std::vector<FieldError> errors;
  size_t count = 0;
  feel::CompileOptions feel_options;

  // First pass: every key and path is a FEEL name (keys may contain spaces).
  void CollectNames(const Json& comps) {
    if (!comps.is_array()) return;
    for (const auto& c : comps) {
      if (!c.is_object()) continue;
      for (const char* prop : {"key", "path"}) {
        auto it = c.find(prop);
        if (it != c.end() && it->is_string()) {
          for (const auto& seg : SplitDots(it->get<std::string>())) {
            if (!seg.empty()) feel_options.names.Add(seg);
          }
        }
      }
      auto sub = c.find("components");
      if (sub != c.end()) CollectNames(*sub);
    }
  }

  void Components(const Json& arr, const std::string& ptr, size_t depth,
                  std::vector<Component>* out) {
    if (!arr.is_array()) {
      Fail(ptr, "\"components\" must be an array");
      return;
    }
    if (depth > limits_.max_component_depth) {
      Fail(ptr, "components nested deeper than " + std::to_string(limits_.max_component_depth));
      return;
    }
    for (size_t i = 0; i < arr.size(); ++i) {
      if (++count > limits_.max_components) {
        Fail(ptr, "more than " + std::to_string(limits_.max_components) + " components");
        return;
      }
      Component c;
      if (One(arr[i], ptr + "/" + std::to_string(i), depth, &c)) out->push_back(std::move(c));
    }
  }

 private:
  void Fail(const std::string& ptr, std::string msg) { errors.push_back({ptr, std::move(msg)}); }
  std::set<std::string> seen_ids_;

  std::string Who(const Component& c) const {
    return c.id.empty() ? "component at " + c.schema_pointer : "component '" + c.id + "'";
  }

  std::optional<bool> Bool(const Json& j, const char* prop, const Component& c) {
    auto it = j.find(prop);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
      Fail(c.schema_pointer + "/" + prop, Who(c) + ": \"" + prop + "\" must be true or false");
      return std::nullopt;
    }
    return it->get<bool>();
  }

  std::optional<std::string> String(const Json& j, const char* prop, const Component& c,
                                    const std::string& base) {
    auto it = j.find(prop);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
      Fail(base + "/" + prop, Who(c) + ": \"" + prop + "\" must be a string");
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  // Non-negative integer (JSON integer or integral number text).
  std::optional<int64_t> Count(const Json& j, const char* prop, const Component& c,
                               const std::string& base) {
    auto it = j.find(prop);
    if (it == j.end() || it->is_null()) return std::nullopt;
    std::optional<int64_t> v;
    if (it->is_number_integer()) {
      v = it->get<int64_t>();
    } else if (it->is_number_float() && it->get<double>() == static_cast<int64_t>(it->get<double>())) {
      v = static_cast<int64_t>(it->get<double>());
    } else if (it->is_string()) {
      auto d = feel::Decimal::Parse(it->get<std::string>());
      if (d) v = d->ToInt64();
    }
    if (!v || *v < 0) {
      Fail(base + "/" + prop, Who(c) + ": \"" + prop + "\" must be a non-negative integer");
      return std::nullopt;
    }
    return v;
  }

  std::optional<feel::Decimal> Number(const Json& j, const char* prop, const Component& c,
                                      const std::string& base) {
    auto it = j.find(prop);
    if (it == j.end() || it->is_null()) return std::nullopt;
    std::optional<feel::Decimal> d;
    if (it->is_number()) d = feel::Decimal::Parse(it->dump());
    else if (it->is_string()) d = feel::Decimal::Parse(it->get<std::string>());
    if (!d) Fail(base + "/" + prop, Who(c) + ": \"" + prop + "\" must be a number");
    return d;
  }

  // form-js FEEL properties start with '='.
  feel::CompiledExpression Feel(const std::string& text, const std::string& ptr,
                                const Component& c, std::string* stored) {
    std::string_view t = text;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '\n')) t.remove_prefix(1);
    if (t.empty() || t.front() != '=') {
      Fail(ptr, Who(c) + ": FEEL expression must start with '='");
      return {};
    }
    t.remove_prefix(1);
    *stored = std::string(t);
    auto r = feel::CompileExpression(t, feel_options);
    if (!r.ok()) {
      Fail(ptr, Who(c) + ": invalid FEEL: " + r.error().message());
      return {};
    }
    return std::move(*r);
  }

  void Validate(const Json& v, Component& c) {
    std::string base = c.schema_pointer + "/validate";
    if (!v.is_object()) {
      Fail(base, Who(c) + ": \"validate\" must be an object");
      return;
    }
    if (auto b = Bool(v, "required", c)) c.required = *b;
    c.min_length = Count(v, "minLength", c, base);
    c.max_length = Count(v, "maxLength", c, base);
    c.min = Number(v, "min", c, base);
    c.max = Number(v, "max", c, base);
    if (auto p = String(v, "pattern", c, base); p && !p->empty()) {
      c.pattern = *p;
      try {
        c.pattern_re = std::make_shared<const std::regex>(*p, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        Fail(base + "/pattern", Who(c) + ": invalid pattern: " + e.what());
      }
    }
    if (auto t = String(v, "validationType", c, base); t && !t->empty()) {
      if (*t == "email") c.validation_type = ValidationType::kEmail;
      else if (*t == "phone") c.validation_type = ValidationType::kPhone;
      else if (*t == "custom") c.validation_type = ValidationType::kCustom;
      else Fail(base + "/validationType", Who(c) + ": unknown validationType '" + *t + "'");
    }
  }

  void Values(const Json& j, Component& c) {
    auto it = j.find("values");
    if (it != j.end() && !it->is_null()) {
      if (!it->is_array()) {
        Fail(c.schema_pointer + "/values", Who(c) + ": \"values\" must be an array");
      } else {
        c.has_static_values = true;
        for (size_t i = 0; i < it->size(); ++i) {
          const Json& o = (*it)[i];
          std::string p = c.schema_pointer + "/values/" + std::to_string(i);
          if (!o.is_object() || !o.contains("value")) {
            Fail(p, Who(c) + ": each value needs {\"label\", \"value\"}");
            continue;
          }
          Option opt;
          opt.value = o["value"];
          if (!opt.value.is_string() && !opt.value.is_number() && !opt.value.is_boolean()) {
            Fail(p + "/value", Who(c) + ": option value must be a string, number or boolean");
            continue;
          }
          if (auto l = o.find("label"); l != o.end() && l->is_string()) opt.label = *l;
          c.values.push_back(std::move(opt));
        }
      }
    }
    if (auto k = String(j, "valuesKey", c, c.schema_pointer); k && !k->empty()) c.values_key = *k;
    if (auto e = String(j, "valuesExpression", c, c.schema_pointer); e && !e->empty()) {
      c.values_expression =
          Feel(*e, c.schema_pointer + "/valuesExpression", c, &c.values_expression_text);
    }
    int sources = (c.has_static_values ? 1 : 0) + (c.values_key.empty() ? 0 : 1) +
                  (c.values_expression_text.empty() ? 0 : 1);
    if (sources > 1) {
      Fail(c.schema_pointer, Who(c) + ": only one of values, valuesKey, valuesExpression allowed");
    }
  }

  bool One(const Json& j, const std::string& ptr, size_t depth, Component* out) {
    Component& c = *out;
    c.schema_pointer = ptr;
    if (!j.is_object()) {
      Fail(ptr, "component at " + ptr + " must be an object");
      return false;
    }
    c.raw = j;
    if (auto id = j.find("id"); id != j.end() && id->is_string()) {
      c.id = *id;
      // form-js refuses a form whose component ids repeat ("form field with id
      // <x> already exists"); refuse it here too, before a citizen sees it.
      if (!c.id.empty() && !seen_ids_.insert(c.id).second) {
        Fail(ptr + "/id", "component id '" + c.id + "' is used twice; ids must be unique in the form");
      }
    }
    auto type_it = j.find("type");
    if (type_it == j.end() || !type_it->is_string()) {
      Fail(ptr + "/type", Who(c) + ": \"type\" missing or not a string");
      return false;
    }
    std::string type = *type_it;
    auto entry = std::find_if(std::begin(kTypes), std::end(kTypes),
                              [&](const TypeEntry& e) { return type == e.name; });
    if (entry == std::end(kTypes)) {
      Fail(ptr + "/type", Who(c) + ": unknown component type '" + type + "'");
      return false;
    }
    c.type = entry->type;
    if (auto l = String(j, "label", c, ptr)) c.label = *l;

    if (IsKeyed(c.type)) {
      auto k = String(j, "key", c, ptr);
      if (!k || k->empty()) {
        Fail(ptr + "/key", Who(c) + ": " + type + " needs a \"key\"");
      } else {
        c.key = *k;
        c.key_path = SplitDots(c.key);
        if (std::any_of(c.key_path.begin(), c.key_path.end(),
                        [](const std::string& s) { return s.empty(); })) {
          Fail(ptr + "/key", Who(c) + ": key '" + c.key + "' has an empty segment");
        }
      }
    }
    if (c.type == ComponentType::kGroup || c.type == ComponentType::kDynamicList) {
      auto p = String(j, "path", c, ptr);
      if (p && !p->empty()) {
        c.path = *p;
        c.path_segments = SplitDots(c.path);
        if (std::any_of(c.path_segments.begin(), c.path_segments.end(),
                        [](const std::string& s) { return s.empty(); })) {
          Fail(ptr + "/path", Who(c) + ": path '" + c.path + "' has an empty segment");
        }
      } else if (c.type == ComponentType::kDynamicList) {
        Fail(ptr + "/path", Who(c) + ": dynamiclist needs a \"path\"");
      }
    }

    if (auto v = j.find("validate"); v != j.end() && !v->is_null()) Validate(*v, c);
    if (auto b = Bool(j, "disabled", c)) c.disabled = *b;

    switch (c.type) {
      case ComponentType::kNumber:
        c.decimal_digits = Count(j, "decimalDigits", c, ptr);
        c.increment = Number(j, "increment", c, ptr);
        if (c.increment && (c.increment->IsZero() || c.increment->IsNegative())) {
          Fail(ptr + "/increment", Who(c) + ": \"increment\" must be positive");
          c.increment.reset();
        }
        if (auto b = Bool(j, "serializeToString", c)) c.serialize_to_string = *b;
        break;
      case ComponentType::kDatetime:
        if (auto s = String(j, "subtype", c, ptr)) {
          if (*s == "date") c.subtype = DateSubtype::kDate;
          else if (*s == "time") c.subtype = DateSubtype::kTime;
          else if (*s == "datetime") c.subtype = DateSubtype::kDateTime;
          else Fail(ptr + "/subtype", Who(c) + ": unknown datetime subtype '" + *s + "'");
        }
        if (auto b = Bool(j, "disallowPassedDates", c)) c.disallow_passed_dates = *b;
        break;
      case ComponentType::kChecklist:
      case ComponentType::kRadio:
      case ComponentType::kSelect:
      case ComponentType::kTaglist:
        Values(j, c);
        break;
      case ComponentType::kExpression: {
        auto e = String(j, "expression", c, ptr);
        if (!e || e->empty()) {
          Fail(ptr + "/expression", Who(c) + ": expression field needs an \"expression\"");
        } else {
          c.expression = Feel(*e, ptr + "/expression", c, &c.expression_text);
        }
        if (auto s = String(j, "computeOn", c, ptr)) c.compute_on = *s;
        break;
      }
      case ComponentType::kFilepicker:
        // form-js allows a FEEL string for `multiple`; the server accepts both shapes then.
        if (auto m = j.find("multiple"); m != j.end()) {
          c.multiple = m->is_boolean() ? m->get<bool>() : m->is_string();
        }
        break;
      case ComponentType::kDynamicList: {
        if (auto b = Bool(j, "isRepeating", c)) c.is_repeating = *b;
        auto props = j.find("properties");
        if (props != j.end() && props->is_object()) {
          c.min_items = Count(*props, "minItems", c, ptr + "/properties");
          c.max_items = Count(*props, "maxItems", c, ptr + "/properties");
          if (c.min_items && c.max_items && *c.min_items > *c.max_items) {
            Fail(ptr + "/properties", Who(c) + ": minItems greater than maxItems");
          }
        }
        break;
      }
      default:
        break;
    }

    if (auto cond = j.find("conditional"); cond != j.end() && !cond->is_null()) {
      if (!cond->is_object()) {
        Fail(ptr + "/conditional", Who(c) + ": \"conditional\" must be an object");
      } else if (auto h = String(*cond, "hide", c, ptr + "/conditional"); h && !h->empty()) {
        c.hide = Feel(*h, ptr + "/conditional/hide", c, &c.hide_text);
      }
    }

    if (c.type == ComponentType::kGroup || c.type == ComponentType::kDynamicList) {
      auto sub = j.find("components");
      if (sub != j.end()) Components(*sub, ptr + "/components", depth + 1, &c.components);
    } else if (j.contains("components")) {
      Fail(ptr + "/components", Who(c) + ": " + type + " cannot contain components");
    }
    return true;
  }

  const SchemaLimits& limits_;
};

// Two visible-in-the-same-object components must not bind the same data path.
void CheckDuplicateKeys(const std::vector<Component>& comps, const std::string& prefix,
                        std::map<std::string, std::string>* seen, std::vector<FieldError>* errors) {
  for (const auto& c : comps) {
    std::string bound;
    if (IsKeyed(c.type) && !c.key.empty()) bound = prefix + c.key;
    if (!c.path.empty()) bound = prefix + c.path;
    if (!bound.empty()) {
      auto [it, inserted] = seen->emplace(bound, c.id.empty() ? c.schema_pointer : c.id);
      // A key shared by components that may hide each other is allowed in
      // form-js only for the same type; we reject it to keep data unambiguous.
      if (!inserted) {
        errors->push_back({c.schema_pointer + (c.path.empty() ? "/key" : "/path"),
                           "component '" + (c.id.empty() ? c.schema_pointer : c.id) +
                               "': data path '" + bound + "' already bound by '" + it->second +
                               "'"});
      }
    }
    if (c.type == ComponentType::kGroup) {
      CheckDuplicateKeys(c.components, c.path.empty() ? prefix : prefix + c.path + ".", seen,
                         errors);
    } else if (c.type == ComponentType::kDynamicList) {
      std::map<std::string, std::string> item_scope;
      CheckDuplicateKeys(c.components, "", &item_scope, errors);
    }
  }
}

}  // namespace

const char* ComponentTypeName(ComponentType t) {
  for (const auto& e : kTypes) {
    if (e.type == t) return e.name;
  }
  return "?";
}

bool IsKeyed(ComponentType t) {
  switch (t) {
    case ComponentType::kTextfield:
    case ComponentType::kTextarea:
    case ComponentType::kNumber:
    case ComponentType::kDatetime:
    case ComponentType::kCheckbox:
    case ComponentType::kChecklist:
    case ComponentType::kRadio:
    case ComponentType::kSelect:
    case ComponentType::kTaglist:
    case ComponentType::kFilepicker:
    case ComponentType::kExpression:
      return true;
    default:
      return false;
  }
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char ch : token) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

core::Result<std::unique_ptr<const Form>> CompileForm(const core::Json& schema,
                                                      const SchemaLimits& limits) {
  if (!schema.is_object()) {
    return core::InvalidArgument("form schema must be a JSON object", {{"", "not an object"}});
  }
  if (JsonDepth(schema) > limits.max_json_depth) {
    return core::InvalidArgument("form schema nested deeper than " +
                                 std::to_string(limits.max_json_depth));
  }
  if (auto bad = FindInvalidUtf8(schema)) {
    return core::InvalidArgument("form schema contains invalid UTF-8", {{*bad, "invalid UTF-8"}});
  }
  Compiler compiler(limits);
  auto form = std::unique_ptr<Form>(new Form());
  form->schema_ = schema;
  if (auto id = schema.find("id"); id != schema.end() && id->is_string()) form->id_ = *id;
  if (auto t = schema.find("type"); t != schema.end() && !(t->is_string() && *t == "default")) {
    compiler.errors.push_back({"/type", "root \"type\" must be \"default\""});
  }
  auto comps = schema.find("components");
  if (comps == schema.end()) {
    compiler.errors.push_back({"/components", "form schema has no \"components\""});
  } else {
    compiler.CollectNames(*comps);
    compiler.Components(*comps, "/components", 0, &form->components_);
  }
  std::map<std::string, std::string> seen;
  CheckDuplicateKeys(form->components_, "", &seen, &compiler.errors);
  if (!compiler.errors.empty()) {
    std::string first = compiler.errors.front().message;
    size_t n = compiler.errors.size();
    return core::InvalidArgument(
        "invalid form schema: " + first + (n > 1 ? " (and " + std::to_string(n - 1) + " more)" : ""),
        std::move(compiler.errors));
  }
  form->feel_options_ = std::move(compiler.feel_options);
  form->component_count_ = compiler.count;
  return std::unique_ptr<const Form>(std::move(form));
}

core::Result<std::unique_ptr<const Form>> ParseForm(std::string_view json_text,
                                                    const SchemaLimits& limits) {
  AW_ASSIGN_OR_RETURN(core::Json j, ParseJsonBounded(json_text, limits.max_json_depth,
                                                     limits.max_bytes));
  return CompileForm(j, limits);
}

core::Result<core::Json> ParseJsonBounded(std::string_view text, size_t max_depth,
                                          size_t max_bytes) {
  if (text.size() > max_bytes) {
    return core::ResourceExhausted("JSON text of " + std::to_string(text.size()) +
                                   " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  // nlohmann's parser recurses per nesting level; count brackets outside
  // strings first so hostile input cannot exhaust the stack.
  size_t depth = 0, line = 1, col = 0;
  bool in_string = false, escaped = false;
  for (char ch : text) {
    ++col;
    if (ch == '\n') {
      ++line;
      col = 0;
    }
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > max_depth) {
        return core::InvalidArgument("JSON nested deeper than " + std::to_string(max_depth) +
                                         " levels at line " + std::to_string(line) +
                                         ", column " + std::to_string(col),
                                     {{"", "nesting too deep"}});
      }
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return core::ParseJson(text);
}

}  // namespace amtsweg::forms
