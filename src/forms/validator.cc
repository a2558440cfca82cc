#include "forms/validator.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <utility>

#include "feel/json_value.h"
#include "forms/utf8.h"

namespace amtsweg::forms {
namespace {

using core::Json;

// Message catalogue: code -> German and English template; {0}, {1} are
// replaced by the arguments. One table, so a translation is one edit.
struct Template {
  const char* code;
  const char* de;
  const char* en;
};

constexpr Template kTemplates[] = {
    {"required", "Dieses Feld ist ein Pflichtfeld.", "This field is required."},
    {"type_text", "Bitte geben Sie einen Text ein.", "Must be a text."},
    {"type_number", "Bitte geben Sie eine Zahl ein.", "Must be a number."},
    {"type_boolean", "Der Wert muss true oder false sein.", "Must be true or false."},
    {"type_list", "Der Wert muss eine Liste sein.", "Must be a list."},
    {"type_object", "Der Wert muss ein Objekt sein.", "Must be an object."},
    {"type_scalar", "Der Wert muss ein Text, eine Zahl oder ein Wahrheitswert sein.",
     "Must be a string, number or boolean."},
    {"type_file", "Der Wert muss eine Dateireferenz (Text) sein.",
     "Must be a file reference (string)."},
    {"invalid_utf8", "Der Text ist kein gültiges UTF-8.", "The text is not valid UTF-8."},
    {"min_length", "Bitte geben Sie mindestens {0} Zeichen ein.",
     "Must have at least {0} characters."},
    {"max_length", "Bitte geben Sie höchstens {0} Zeichen ein.",
     "Must have at most {0} characters."},
    {"pattern", "Die Eingabe hat nicht das erwartete Format ({0}).", "Must match the pattern {0}."},
    {"pattern_input_too_long", "Der Text ist zu lang für die Formatprüfung (höchstens {0} Zeichen).",
     "Text too long for the format check (at most {0} characters)."},
    {"email", "Bitte geben Sie eine gültige E-Mail-Adresse ein.", "Must be a valid e-mail address."},
    {"phone", "Bitte geben Sie eine gültige internationale Telefonnummer ein (z. B. +4930123456).",
     "Must be a valid international phone number (e.g. +4930123456)."},
    {"min", "Der Wert muss mindestens {0} sein.", "Must be at least {0}."},
    {"max", "Der Wert darf höchstens {0} sein.", "Must be at most {0}."},
    {"integer", "Bitte geben Sie eine ganze Zahl ein.", "Must be an integer."},
    {"decimal_digits", "Bitte geben Sie höchstens {0} Nachkommastellen ein.",
     "Must have at most {0} decimal digits."},
    {"increment", "Ungültiger Wert; die nächsten gültigen Werte sind {0} und {1}.",
     "Invalid value; the nearest valid values are {0} and {1}."},
    {"date_format", "Bitte geben Sie ein gültiges Datum ein (JJJJ-MM-TT).",
     "Must be a valid date (YYYY-MM-DD)."},
    {"time_format", "Bitte geben Sie eine gültige Uhrzeit ein (HH:MM).",
     "Must be a valid time (HH:MM)."},
    {"datetime_format", "Bitte geben Sie Datum und Uhrzeit an (JJJJ-MM-TTTHH:MM).",
     "Must be a valid date and time (YYYY-MM-DDTHH:MM)."},
    {"date_passed", "Das Datum darf nicht in der Vergangenheit liegen.",
     "The date must not be in the past."},
    {"not_allowed", "Der Wert {0} ist nicht zulässig.", "The value {0} is not allowed."},
    {"duplicate_value", "Der Wert {0} wurde mehrfach gewählt.", "The value {0} occurs twice."},
    {"min_items", "Bitte geben Sie mindestens {0} Einträge an.", "Must have at least {0} entries."},
    {"max_items", "Bitte geben Sie höchstens {0} Einträge an.", "Must have at most {0} entries."},
    {"too_many_items", "Zu viele Einträge (Grenze {0}).", "Too many entries (limit {0})."},
    {"too_long", "Der Text ist zu lang (Grenze {0} Zeichen).", "Text too long (limit {0} characters)."},
    {"too_deep", "Die Daten sind zu tief verschachtelt (Grenze {0}).",
     "Data nested too deeply (limit {0})."},
    {"unknown_field", "Dieses Feld gibt es im Formular nicht.", "This field does not exist in the form."},
    {"not_object", "Die Formulardaten müssen ein JSON-Objekt sein.", "Form data must be a JSON object."},
};

std::string Fill(const char* tmpl, const std::vector<std::string>& args) {
  std::string out;
  for (const char* p = tmpl; *p; ++p) {
    if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      size_t i = static_cast<size_t>(p[1] - '0');
      if (i < args.size()) out += args[i];
      p += 2;
    } else {
      out += *p;
    }
  }
  return out;
}

std::string ShortJson(const Json& v) {
  std::string s = core::DumpJson(v);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string Ptr(const std::string& base, const std::vector<std::string>& segs) {
  std::string p = base;
  for (const auto& s : segs) p += "/" + EscapePointerToken(s);
  return p;
}

// form-js EMAIL validation follows the WHATWG "valid e-mail address" grammar.
const std::regex& EmailRe() {
  static const std::regex re(
      "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
      "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");
  return re;
}

// E.164 shape: + or 00, country code without leading zero, at most 15 digits.
const std::regex& PhoneRe() {
  static const std::regex re("^(\\+|00)[1-9][0-9]{6,14}$");
  return re;
}

bool IsEmpty(const Json* v) {
  return v == nullptr || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty()) ||
         (v->is_array() && v->empty());
}

void SetPath(Json& obj, const std::vector<std::string>& path, Json value) {
  Json* cur = &obj;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    Json& next = (*cur)[path[i]];
    if (!next.is_object()) next = Json::object();
    cur = &next;
  }
  (*cur)[path.back()] = std::move(value);
}

// A node of the key tree of one data object: which keys components bind.
struct KeyNode {
  std::map<std::string, KeyNode> children;
  bool terminal = false;  // bound by a field, a group path or a list path
};

void AddKeys(const std::vector<Component>& comps, KeyNode* root) {
  for (const auto& c : comps) {
    const std::vector<std::string>* segs = nullptr;
    if (IsKeyed(c.type) && !c.key_path.empty()) segs = &c.key_path;
    if (!c.path_segments.empty()) segs = &c.path_segments;
    if (segs) {
      KeyNode* n = root;
      for (const auto& s : *segs) n = &n->children[s];
      n->terminal = true;
    } else if (c.type == ComponentType::kGroup) {
      AddKeys(c.components, root);
    }
  }
}

class Run {
 public:
  Run(const Form& form, const ValidateOptions& o, ValidationOutcome* out)
      : form_(form), o_(o), out_(*out) {}

  void Go(const Json& data) {
    if (!data.is_object()) {
      Add("", "not_object", {});
      return;
    }
    if (size_t d = JsonDepth(data); d > o_.max_depth) {
      Add("", "too_deep", {std::to_string(o_.max_depth)});
      return;
    }
    if (auto bad = FindInvalidUtf8(data)) {
      Add(*bad, "invalid_utf8", {});
      return;
    }
    working_ = data;
    Compute(form_.components(), working_, {}, nullptr);
    root_scope_ = ScopeFor(working_);
    Json out = Json::object();
    Walk(form_.components(), &working_, out, "", root_scope_);
    if (o_.unknown_keys == UnknownKeys::kReject) {
      KeyNode keys;
      AddKeys(form_.components(), &keys);
      UnknownScope(form_.components(), working_, "", keys);
    }
    out_.data = std::move(out);
    // One problem per pointer and code, in document order of discovery.
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<Violation> unique;
    for (auto& v : out_.violations) {
      if (seen.emplace(v.pointer, v.code).second) unique.push_back(std::move(v));
    }
    out_.violations = std::move(unique);
  }

 private:
  void Add(const std::string& ptr, const char* code, const std::vector<std::string>& args) {
    for (const auto& t : kTemplates) {
      if (std::string_view(t.code) == code) {
        out_.violations.push_back({ptr, code, Fill(t.de, args), Fill(t.en, args)});
        return;
      }
    }
    AW_ASSERT(false, "message code missing from kTemplates");
  }

  void Note(std::string n) {
    if (std::find(out_.notes.begin(), out_.notes.end(), n) == out_.notes.end()) {
      out_.notes.push_back(std::move(n));
    }
  }

  static feel::ScopePtr ScopeFor(const Json& obj, feel::ScopePtr parent = nullptr) {
    auto scope = std::make_shared<feel::Scope>(std::move(parent));
    if (obj.is_object()) {
      for (auto it = obj.begin(); it != obj.end(); ++it) {
        auto v = feel::JsonToValue(it.value());
        scope->Set(it.key(), v.ok() ? std::move(*v) : feel::Value());
      }
    }
    return scope;
  }

  // form-js evaluates expressions inside a repeated item with `this`, `parent`
  // and the 1-based indexes `_i_` on top of the whole form data.
  feel::ScopePtr ItemScope(const feel::ScopePtr& parent, const Json& item, const Json& parent_obj,
                           const std::vector<size_t>& indexes) {
    auto scope = std::make_shared<feel::Scope>(parent);
    auto conv = [](const Json& j) {
      auto v = feel::JsonToValue(j);
      return v.ok() ? std::move(*v) : feel::Value();
    };
    feel::Value this_v = conv(item), parent_v = conv(parent_obj);
    feel::List idx;
    for (size_t i : indexes) idx.push_back(feel::Value::Number(static_cast<int64_t>(i + 1)));
    scope->Set("this", this_v);
    scope->Set("_this_", this_v);
    scope->Set("parent", parent_v);
    scope->Set("_parent_", parent_v);
    scope->Set("_i_", feel::Value::OfList(std::move(idx)));
    return scope;
  }

  feel::Value Eval(const feel::CompiledExpression& e, const feel::ScopePtr& scope) {
    feel::EvalState st;
    st.budget = o_.feel_step_budget;
    return e.Evaluate(scope, st);
  }

  bool Hidden(const Component& c, const feel::ScopePtr& scope) {
    return c.hide.valid() && Eval(c.hide, scope).IsTrue();
  }

  static Json* Child(Json* obj, const std::vector<std::string>& segs) {
    Json* cur = obj;
    for (const auto& s : segs) {
      if (cur == nullptr || !cur->is_object()) return nullptr;
      auto it = cur->find(s);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
    return cur;
  }

  // Computed fields, in document order, each seeing the ones before it.
  // Results go into the working copy so conditions and later expressions use
  // the server's value, never the client's.
  void Compute(const std::vector<Component>& comps, Json& obj, const std::vector<size_t>& indexes,
               const Json* parent_obj) {
    for (const auto& c : comps) {
      if (c.type == ComponentType::kExpression && c.expression.valid()) {
        if (!obj.is_object()) continue;
        feel::ScopePtr scope = ScopeFor(working_);
        if (!indexes.empty()) scope = ItemScope(scope, obj, parent_obj ? *parent_obj : Json(), indexes);
        SetPath(obj, c.key_path, feel::ValueToJson(Eval(c.expression, scope)));
      } else if (c.type == ComponentType::kGroup) {
        if (c.path_segments.empty()) {
          Compute(c.components, obj, indexes, parent_obj);
        } else if (Json* sub = Child(&obj, c.path_segments); sub && sub->is_object()) {
          Compute(c.components, *sub, indexes, parent_obj);
        }
      } else if (c.type == ComponentType::kDynamicList) {
        Json* list = Child(&obj, c.path_segments);
        if (!list || !list->is_array() || list->size() > o_.max_list_items) continue;
        for (size_t i = 0; i < list->size(); ++i) {
          auto idx = indexes;
          idx.push_back(i);
          Compute(c.components, (*list)[i], idx, &obj);
        }
      }
    }
  }

  // Descends `segs` from `obj`; a non-object on the way is a type error.
  const Json* Descend(const Json* obj, const std::vector<std::string>& segs, const std::string& ptr) {
    const Json* cur = obj;
    std::string p = ptr;
    for (size_t i = 0; i < segs.size(); ++i) {
      if (cur == nullptr || cur->is_null()) return nullptr;
      if (!cur->is_object()) {
        Add(p, "type_object", {});
        return nullptr;
      }
      auto it = cur->find(segs[i]);
      if (it == cur->end()) return nullptr;
      cur = &*it;
      p += "/" + EscapePointerToken(segs[i]);
    }
    return cur;
  }

  void Walk(const std::vector<Component>& comps, const Json* in, Json& out, const std::string& ptr,
            const feel::ScopePtr& scope, const std::vector<size_t>& indexes = {}) {
    for (const auto& c : comps) {
      if (Hidden(c, scope)) continue;  // hidden: neither required nor stored
      switch (c.type) {
        case ComponentType::kGroup: {
          if (c.path_segments.empty()) {
            Walk(c.components, in, out, ptr, scope, indexes);
            break;
          }
          std::string p = Ptr(ptr, c.path_segments);
          const Json* sub = Descend(in, c.path_segments, ptr);
          if (sub && !sub->is_null() && !sub->is_object()) {
            Add(p, "type_object", {});  // the shape is wrong; its fields cannot be judged
            break;
          }
          Json sub_out = Json::object();
          Walk(c.components, sub, sub_out, p, scope, indexes);
          if (!sub_out.empty()) SetPath(out, c.path_segments, std::move(sub_out));
          break;
        }
        case ComponentType::kDynamicList:
          List(c, in, out, ptr, scope, indexes);
          break;
        case ComponentType::kExpression: {
          const Json* v = Descend(in, c.key_path, ptr);
          if (v && !v->is_null()) SetPath(out, c.key_path, *v);
          break;
        }
        default:
          if (IsKeyed(c.type)) {
            std::string p = Ptr(ptr, c.key_path);
            const Json* v = Descend(in, c.key_path, ptr);
            if (Field(c, v, p, scope) && !IsEmpty(v)) SetPath(out, c.key_path, *v);
          }
          break;
      }
    }
  }

  void List(const Component& c, const Json* in, Json& out, const std::string& ptr,
            const feel::ScopePtr& scope, const std::vector<size_t>& indexes) {
    std::string p = Ptr(ptr, c.path_segments);
    const Json* v = Descend(in, c.path_segments, ptr);
    size_t n = 0;
    if (v && !v->is_null()) {
      if (!v->is_array()) {
        Add(p, "type_list", {});
        return;
      }
      if (v->size() > o_.max_list_items) {
        Add(p, "too_many_items", {std::to_string(o_.max_list_items)});
        return;
      }
      n = v->size();
    }
    if (c.min_items && static_cast<int64_t>(n) < *c.min_items) {
      Add(p, "min_items", {std::to_string(*c.min_items)});
    }
    if (c.max_items && static_cast<int64_t>(n) > *c.max_items) {
      Add(p, "max_items", {std::to_string(*c.max_items)});
    }
    if (n == 0) {
      if (v) SetPath(out, c.path_segments, Json::array());
      return;
    }
    Json items = Json::array();
    for (size_t i = 0; i < n; ++i) {
      const Json& item = (*v)[i];
      std::string ip = p + "/" + std::to_string(i);
      if (!item.is_object()) {
        Add(ip, "type_object", {});
        continue;
      }
      auto idx = indexes;
      idx.push_back(i);
      auto item_scope = ItemScope(scope, item, in ? *in : Json(), idx);
      Json item_out = Json::object();
      Walk(c.components, &item, item_out, ip, item_scope, idx);
      items.push_back(std::move(item_out));
    }
    SetPath(out, c.path_segments, std::move(items));
  }

  // Validates one keyed field; true when its value may be stored.
  bool Field(const Component& c, const Json* v, const std::string& p, const feel::ScopePtr& scope) {
    if (IsEmpty(v) || (c.type == ComponentType::kCheckbox && v->is_boolean() && !v->get<bool>())) {
      if (c.required) {
        Add(p, "required", {});
        return false;
      }
      if (v == nullptr || v->is_null()) return false;
    }
    size_t before = out_.violations.size();
    switch (c.type) {
      case ComponentType::kTextfield:
      case ComponentType::kTextarea:
        Text(c, *v, p);
        break;
      case ComponentType::kNumber:
        Number(c, *v, p);
        break;
      case ComponentType::kDatetime:
        DateTimeValue(c, *v, p);
        break;
      case ComponentType::kCheckbox:
        if (!v->is_boolean()) Add(p, "type_boolean", {});
        break;
      case ComponentType::kRadio:
      case ComponentType::kSelect:
        if (v->is_string() && v->get_ref<const std::string&>().empty()) break;
        if (!(v->is_string() || v->is_number() || v->is_boolean())) {
          Add(p, "type_scalar", {});
          break;
        }
        if (v->is_string()) StringLimits(*v, p);
        Allowed(c, *v, p, scope);
        break;
      case ComponentType::kChecklist:
      case ComponentType::kTaglist:
        Multi(c, *v, p, scope);
        break;
      case ComponentType::kFilepicker:
        File(c, *v, p);
        break;
      default:
        break;
    }
    return out_.violations.size() == before;
  }

  bool StringLimits(const Json& v, const std::string& p) {
    const auto& s = v.get_ref<const std::string&>();
    if (CodePointCount(s) > o_.max_string_length) {
      Add(p, "too_long", {std::to_string(o_.max_string_length)});
      return false;
    }
    return true;
  }

  void Text(const Component& c, const Json& v, const std::string& p) {
    if (!v.is_string()) {
      Add(p, "type_text", {});
      return;
    }
    if (!StringLimits(v, p)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) return;
    // form-js measures the trimmed value.
    size_t len = CodePointCount(TrimAscii(s));
    if (c.min_length && static_cast<int64_t>(len) < *c.min_length) {
      Add(p, "min_length", {std::to_string(*c.min_length)});
    }
    if (c.max_length && static_cast<int64_t>(len) > *c.max_length) {
      Add(p, "max_length", {std::to_string(*c.max_length)});
    }
    bool short_enough = CodePointCount(s) <= o_.max_pattern_input;
    if ((c.pattern_re || c.validation_type == ValidationType::kEmail ||
         c.validation_type == ValidationType::kPhone) && !short_enough) {
      // libstdc++'s regex recurses per character: bound the input instead of the stack.
      Add(p, "pattern_input_too_long", {std::to_string(o_.max_pattern_input)});
      return;
    }
    if (c.pattern_re && !Search(*c.pattern_re, s)) Add(p, "pattern", {c.pattern});
    if (c.validation_type == ValidationType::kEmail && !Search(EmailRe(), s)) Add(p, "email", {});
    if (c.validation_type == ValidationType::kPhone && !Search(PhoneRe(), s)) Add(p, "phone", {});
  }

  // form-js tests patterns unanchored (RegExp.test); so do we.
  static bool Search(const std::regex& re, const std::string& s) {
    try {
      return std::regex_search(s, re);
    } catch (const std::regex_error&) {
      return false;  // complexity limit hit: treat as not matching
    }
  }

  void Number(const Component& c, const Json& v, const std::string& p) {
    std::optional<feel::Decimal> d;
    if (v.is_number()) {
      d = feel::Decimal::Parse(v.dump());
    } else if (v.is_string() && c.serialize_to_string) {
      if (!StringLimits(v, p)) return;
      d = feel::Decimal::Parse(v.get_ref<const std::string&>());
    }
    if (!d) {
      Add(p, "type_number", {});
      return;
    }
    if (c.decimal_digits) {
      bool neg;
      std::string digits;
      int exp;
      d->Decompose(&neg, &digits, &exp);
      int64_t decimals = exp < 0 ? -static_cast<int64_t>(exp) : 0;
      if (decimals > *c.decimal_digits) {
        if (*c.decimal_digits == 0) Add(p, "integer", {});
        else Add(p, "decimal_digits", {std::to_string(*c.decimal_digits)});
      }
    }
    if (c.increment) {
      auto rem = d->Mod(*c.increment);
      if (rem && !rem->IsZero()) {
        auto prev = d->Sub(*rem);
        auto next = prev ? prev->Add(*c.increment) : std::nullopt;
        Add(p, "increment", {prev ? prev->ToString() : "?", next ? next->ToString() : "?"});
      }
    }
    if (c.min && d->Compare(*c.min) < 0) Add(p, "min", {c.min->ToString()});
    if (c.max && d->Compare(*c.max) > 0) Add(p, "max", {c.max->ToString()});
  }

  static bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  }

  // "YYYY-MM-DD" -> days since epoch.
  static std::optional<int64_t> ParseDay(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, &y) ||
        !Digits(s, 5, 2, &m) || !Digits(s, 8, 2, &d) || !feel::IsValidCivil(y, m, d)) {
      return std::nullopt;
    }
    return feel::DaysFromCivil(y, m, d);
  }

  // "HH:MM" with optional ":SS[.fff]" and optional "Z" or "+HH:MM" (form-js
  // time serialising formats: utc_offset, utc_normalized, no_timezone).
  static bool ValidTime(std::string_view s) {
    int h = 0, mi = 0, sec = 0;
    if (!Digits(s, 0, 2, &h) || s.size() < 5 || s[2] != ':' || !Digits(s, 3, 2, &mi) || h > 23 ||
        mi > 59) {
      return false;
    }
    size_t i = 5;
    if (i < s.size() && s[i] == ':') {
      if (!Digits(s, i + 1, 2, &sec) || sec > 59) return false;
      i += 3;
      if (i < s.size() && s[i] == '.') {
        size_t j = i + 1;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j == i + 1) return false;
        i = j;
      }
    }
    if (i == s.size()) return true;
    if (s[i] == 'Z') return i + 1 == s.size();
    if (s[i] != '+' && s[i] != '-') return false;
    int oh = 0, om = 0;
    return s.size() == i + 6 && Digits(s, i + 1, 2, &oh) && s[i + 3] == ':' &&
           Digits(s, i + 4, 2, &om) && oh <= 14 && om <= 59;
  }

  void DateTimeValue(const Component& c, const Json& v, const std::string& p) {
    if (!v.is_string()) {
      Add(p, "type_text", {});
      return;
    }
    if (!StringLimits(v, p)) return;
    std::string_view s = v.get_ref<const std::string&>();
    std::optional<int64_t> day;
    switch (c.subtype) {
      case DateSubtype::kDate:
        day = ParseDay(s);
        if (!day) return Add(p, "date_format", {});
        break;
      case DateSubtype::kTime:
        if (!ValidTime(s)) Add(p, "time_format", {});
        return;
      case DateSubtype::kDateTime:
        if (s.size() < 16 || s[10] != 'T' || !(day = ParseDay(s.substr(0, 10))) ||
            !ValidTime(s.substr(11))) {
          return Add(p, "datetime_format", {});
        }
        break;
    }
    if (c.disallow_passed_dates && day) {
      if (!o_.today) {
        Note("disallowPassedDates not checked: no 'today' given");
      } else if (*day < o_.today->days) {
        Add(p, "date_passed", {});
      }
    }
  }

  // The allowed options of `c`, or nullopt when they cannot be known here.
  std::optional<std::vector<Json>> Options(const Component& c, const feel::ScopePtr& scope) {
    std::vector<Json> vals;
    auto take = [&vals](const Json& list) {
      for (const auto& o : list) {
        if (o.is_object() && o.contains("value")) vals.push_back(o["value"]);
        else if (!o.is_structured()) vals.push_back(o);
      }
    };
    if (c.has_static_values) {
      for (const auto& o : c.values) vals.push_back(o.value);
      return vals;
    }
    if (!c.values_key.empty()) {
      auto it = o_.context.is_object() ? o_.context.find(c.values_key) : o_.context.end();
      if (!o_.context.is_object() || it == o_.context.end() || !it->is_array()) {
        Note("allowed values of '" + c.key + "' not checked: valuesKey '" + c.values_key +
             "' missing from the server context");
        return std::nullopt;
      }
      take(*it);
      return vals;
    }
    if (c.values_expression.valid()) {
      Json list = feel::ValueToJson(Eval(c.values_expression, scope));
      if (!list.is_array()) {
        Note("allowed values of '" + c.key + "' not checked: valuesExpression gave no list");
        return std::nullopt;
      }
      take(list);
      return vals;
    }
    // No options at all: nothing can be chosen.
    return vals;
  }

  void Allowed(const Component& c, const Json& v, const std::string& p, const feel::ScopePtr& scope) {
    auto opts = Options(c, scope);
    if (!opts) return;
    if (std::find(opts->begin(), opts->end(), v) == opts->end()) Add(p, "not_allowed", {ShortJson(v)});
  }

  void Multi(const Component& c, const Json& v, const std::string& p, const feel::ScopePtr& scope) {
    if (!v.is_array()) {
      Add(p, "type_list", {});
      return;
    }
    if (v.size() > o_.max_list_items) {
      Add(p, "too_many_items", {std::to_string(o_.max_list_items)});
      return;
    }
    auto opts = Options(c, scope);
    for (size_t i = 0; i < v.size(); ++i) {
      std::string ip = p + "/" + std::to_string(i);
      const Json& e = v[i];
      if (!(e.is_string() || e.is_number() || e.is_boolean())) {
        Add(ip, "type_scalar", {});
        continue;
      }
      if (e.is_string() && !StringLimits(e, ip)) continue;
      if (std::find(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), e) != v.begin() + static_cast<std::ptrdiff_t>(i)) {
        Add(ip, "duplicate_value", {ShortJson(e)});
        continue;
      }
      if (opts && std::find(opts->begin(), opts->end(), e) == opts->end()) {
        Add(ip, "not_allowed", {ShortJson(e)});
      }
    }
  }

  void File(const Component& c, const Json& v, const std::string& p) {
    if (v.is_string()) {
      StringLimits(v, p);
      return;
    }
    if (c.multiple && v.is_array()) {
      if (v.size() > o_.max_list_items) return Add(p, "too_many_items", {std::to_string(o_.max_list_items)});
      for (size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) Add(p + "/" + std::to_string(i), "type_file", {});
      }
      return;
    }
    Add(p, "type_file", {});
  }

  // Objects below group paths and list items have their own key trees.
  void UnknownInside(const std::vector<Component>& comps, const Json& obj, const std::string& ptr) {
    for (const auto& c : comps) {
      if (c.type == ComponentType::kGroup && c.path_segments.empty()) {
        UnknownInside(c.components, obj, ptr);
      } else if (c.type == ComponentType::kGroup) {
        const Json* sub = Child(const_cast<Json*>(&obj), c.path_segments);
        if (sub && sub->is_object()) {
          KeyNode keys;
          AddKeys(c.components, &keys);
          UnknownScope(c.components, *sub, Ptr(ptr, c.path_segments), keys);
        }
      } else if (c.type == ComponentType::kDynamicList) {
        const Json* list = Child(const_cast<Json*>(&obj), c.path_segments);
        if (!list || !list->is_array() || list->size() > o_.max_list_items) continue;
        KeyNode keys;
        AddKeys(c.components, &keys);
        std::string lp = Ptr(ptr, c.path_segments);
        for (size_t i = 0; i < list->size(); ++i) {
          UnknownScope(c.components, (*list)[i], lp + "/" + std::to_string(i), keys);
        }
      }
    }
  }

  void UnknownScope(const std::vector<Component>& comps, const Json& obj, const std::string& ptr,
                    const KeyNode& keys) {
    if (!obj.is_object()) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      std::string p = ptr + "/" + EscapePointerToken(it.key());
      auto child = keys.children.find(it.key());
      if (child == keys.children.end()) Add(p, "unknown_field", {});
      else if (!child->second.terminal) UnknownNested(it.value(), child->second, p);
    }
    UnknownInside(comps, obj, ptr);
  }

  void UnknownNested(const Json& obj, const KeyNode& node, const std::string& ptr) {
    if (!obj.is_object()) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      std::string p = ptr + "/" + EscapePointerToken(it.key());
      auto child = node.children.find(it.key());
      if (child == node.children.end()) Add(p, "unknown_field", {});
      else if (!child->second.terminal) UnknownNested(it.value(), child->second, p);
    }
  }

  const Form& form_;
  const ValidateOptions& o_;
  ValidationOutcome& out_;
  Json working_;
  feel::ScopePtr root_scope_;
};

}  // namespace

ValidationOutcome Check(const Form& form, const core::Json& data, const ValidateOptions& options) {
  ValidationOutcome out;
  Run(form, options, &out).Go(data);
  if (!out.ok()) out.data = Json::object();
  return out;
}

core::Error ToError(const ValidationOutcome& outcome, Language language) {
  std::vector<core::FieldError> details;
  details.reserve(outcome.violations.size());
  for (const auto& v : outcome.violations) details.push_back({v.pointer, v.Message(language)});
  std::string n = std::to_string(outcome.violations.size());
  std::string msg = language == Language::kEnglish
                        ? "the form data is invalid (" + n + " problem(s))"
                        : "Die Formulardaten sind ungültig (" + n + " Fehler).";
  return core::InvalidArgument(std::move(msg), std::move(details));
}

core::Result<core::Json> Validate(const Form& form, const core::Json& data,
                                  const ValidateOptions& options) {
  ValidationOutcome out = Check(form, data, options);
  if (!out.ok()) return ToError(out, options.language);
  return std::move(out.data);
}

Language LanguageFromAcceptLanguage(std::string_view header) {
  double best_q = 0;
  std::optional<Language> best;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view item = header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    std::string_view tag = TrimAscii(item.substr(0, item.find(';')));
    double q = 1.0;
    if (auto qp = item.find(";q="); qp != std::string_view::npos) {
      std::string qs(TrimAscii(item.substr(qp + 3)));
      char* end = nullptr;
      q = std::strtod(qs.c_str(), &end);
      if (end == qs.c_str()) q = 0;
    }
    std::string primary;
    for (char ch : tag.substr(0, tag.find('-'))) primary += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::optional<Language> lang;
    if (primary == "de") lang = Language::kGerman;
    else if (primary == "en") lang = Language::kEnglish;
    if (lang && q > best_q) {
      best_q = q;
      best = lang;
    }
  }
  return best.value_or(Language::kGerman);
}

}  // namespace amtsweg::forms
