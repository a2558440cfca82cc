#include "forms/xdf_importer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "feel/decimal.h"
#include "forms/utf8.h"

namespace amtsweg::forms {
namespace {

using core::Json;

constexpr const char* kNsXdf2 = "urn:xoev-de:fim:standard:xdatenfelder_2";
constexpr const char* kNsXdf3 = "urn:xoev-de:fim:standard:xdatenfelder_3.0.0";
constexpr const char* kNsGenericode = "http://docs.oasis-open.org/codelist/ns/genericode/1.0/";

// Thrown inside this file only, caught in the public functions: the first
// structural problem ends the import, like a parse error.
struct XmlProblem {
  std::string message;
  ptrdiff_t offset;
};

std::string_view LocalName(const char* name) {
  const char* colon = std::strchr(name, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(name);
}

std::string Prefix(const char* name) {
  const char* colon = std::strchr(name, ':');
  return colon ? std::string(name, colon) : std::string();
}

// Namespace URI of an element, resolved through xmlns declarations up the tree.
std::string NamespaceOf(pugi::xml_node n) {
  std::string prefix = Prefix(n.name());
  std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
  for (pugi::xml_node cur = n; cur; cur = cur.parent()) {
    if (cur.type() != pugi::node_element) continue;
    if (auto a = cur.attribute(attr.c_str())) return a.value();
  }
  return "";
}

std::string Text(pugi::xml_node n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string Trim(std::string_view s) { return std::string(TrimAscii(s)); }

bool HasElementChildren(pugi::xml_node n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

std::string Where(std::string_view text, ptrdiff_t offset, size_t* line_out = nullptr,
                  size_t* col_out = nullptr) {
  size_t off = offset < 0 ? 0 : std::min(static_cast<size_t>(offset), text.size());
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + off, '\n'));
  size_t nl = off == 0 ? std::string_view::npos : text.rfind('\n', off - 1);
  size_t col = nl == std::string_view::npos ? off + 1 : off - nl;
  if (line_out) *line_out = line;
  if (col_out) *col_out = col;
  return std::to_string(line) + ":" + std::to_string(col);
}

core::Error ToError(std::string_view text, const XmlProblem& p) {
  size_t line = 0, col = 0;
  std::string where = Where(text, p.offset, &line, &col);
  return core::InvalidArgument("line " + std::to_string(line) + ", column " + std::to_string(col) +
                                   ": " + p.message,
                               {{where, p.message}});
}

[[noreturn]] void Fail(pugi::xml_node n, const std::string& what) {
  // offset_debug points at the element name; step back to its '<'.
  ptrdiff_t off = n.offset_debug();
  throw XmlProblem{"<" + std::string(n.name()) + ">: " + what, off > 0 ? off - 1 : off};
}

void CheckDepth(pugi::xml_node root, size_t max_depth) {
  std::vector<std::pair<pugi::xml_node, size_t>> stack{{root, 1}};
  while (!stack.empty()) {
    auto [n, d] = stack.back();
    stack.pop_back();
    if (d > max_depth) Fail(n, "elements nested deeper than " + std::to_string(max_depth));
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) stack.emplace_back(c, d + 1);
    }
  }
}

core::Result<pugi::xml_document*> Load(std::string_view xml, pugi::xml_document* doc) {
  // parse_default keeps entity and &#xD; handling; no DOCTYPE processing exists in pugixml.
  pugi::xml_parse_result r =
      doc->load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    return ToError(xml, XmlProblem{std::string("malformed XML: ") + r.description(), r.offset});
  }
  return doc;
}

// ---------------------------------------------------------------------------
// The XDatenfelder model, as far as the form needs it.

struct Element;

struct StructChild {
  int64_t min = 1;
  int64_t max = 1;  // -1: unbounded
  std::unique_ptr<Element> element;
};

struct Rule {
  std::string id, version, name, text, script;
};

struct Element {
  enum class Kind { kSchema, kGroup, kField } kind = Kind::kField;
  std::string id, version;
  std::string name, label, help, content;
  std::string feldart, datentyp;
  // praezisierung, normalised: minLength, maxLength, minValue, maxValue, pattern
  std::map<std::string, std::string> constraints;
  bool has_code_list = false;
  CodeListReference code_list;
  std::vector<std::pair<std::string, std::string>> werte;  // xdf3 inline values (code, name)
  std::vector<std::string> media_types;
  std::string max_size;
  std::vector<StructChild> children;
  std::vector<Rule> rules;
  std::string Ident() const { return id + ":" + version; }
};

enum class Mult { kOne, kMany };

struct ChildSpec {
  const char* name;
  Mult mult;
};

class Parser {
 public:
  Parser(std::string_view xml, bool v3, std::string ns, ImportReport* report)
      : xml_(xml), v3_(v3), ns_(std::move(ns)), report_(*report) {}

  std::set<std::string> fields, groups, rules;
  std::map<std::string, RuleReport> rule_reports;  // by id:version, first seen order below
  std::vector<std::string> rule_order;

  void Header(pugi::xml_node n) {
    Children(n, {{"nachrichtID", Mult::kOne},
                 {"erstellungszeitpunkt", Mult::kOne},
                 {"referenzNachrichtID", Mult::kOne}});
  }

  std::unique_ptr<Element> ParseElement(pugi::xml_node n, Element::Kind kind) {
    auto e = std::make_unique<Element>();
    e->kind = kind;
    std::vector<ChildSpec> spec = BaseSpec();
    if (kind == Element::Kind::kSchema) {
      spec.insert(spec.end(), {{"regel", Mult::kMany},
                               {"struktur", Mult::kMany},
                               {"ableitungsmodifikationenStruktur", Mult::kOne},
                               {"ableitungsmodifikationenRepraesentation", Mult::kOne},
                               {"dokumentsteckbrief", Mult::kOne}});
    } else if (kind == Element::Kind::kGroup) {
      spec.insert(spec.end(), {{"regel", Mult::kMany}, {"struktur", Mult::kMany}});
    } else {
      spec.insert(spec.end(), {{"feldart", Mult::kOne},
                               {"datentyp", Mult::kOne},
                               {"praezisierung", Mult::kOne},
                               {"inhalt", Mult::kOne},
                               {"codelisteReferenz", Mult::kOne},
                               {"regel", Mult::kMany}});
      if (v3_) {
        spec.insert(spec.end(), {{"vorbefuellung", Mult::kOne},
                                 {"werte", Mult::kOne},
                                 {"codeKey", Mult::kOne},
                                 {"nameKey", Mult::kOne},
                                 {"helpKey", Mult::kOne},
                                 {"maxSize", Mult::kOne},
                                 {"mediaType", Mult::kMany}});
      }
    }
    bool has_ident = false;
    for (pugi::xml_node c : Children(n, spec)) {
      std::string_view local = LocalName(c.name());
      if (local == "identifikation") {
        Identification(c, &e->id, &e->version);
        has_ident = true;
      } else if (local == "name") {
        e->name = Trim(Text(c));
      } else if (local == "bezeichnungEingabe") {
        e->label = Trim(Text(c));
      } else if (local == "hilfetextEingabe") {
        e->help = Trim(Text(c));
      } else if (local == "inhalt") {
        if (std::string t = Trim(Text(c)); !t.empty()) e->content = t;
      } else if (local == "feldart") {
        e->feldart = Code(c);
      } else if (local == "datentyp") {
        e->datentyp = Code(c);
      } else if (local == "praezisierung") {
        Constraints(c, e.get());
      } else if (local == "codelisteReferenz") {
        CodeListRef(c, e.get());
      } else if (local == "werte") {
        Werte(c, e.get());
      } else if (local == "mediaType") {
        if (std::string t = Trim(Text(c)); !t.empty()) e->media_types.push_back(t);
      } else if (local == "maxSize") {
        e->max_size = Trim(Text(c));
      } else if (local == "regel") {
        e->rules.push_back(ParseRule(c));
      } else if (local == "struktur") {
        e->children.push_back(Struktur(c));
      } else if (local == "status" || local == "schemaelementart" || local == "vorbefuellung" ||
                 local == "ableitungsmodifikationenStruktur" ||
                 local == "ableitungsmodifikationenRepraesentation") {
        (void)Code(c);
      } else if (local == "freigabestatus") {
        std::string code = Code(c);
        auto d = feel::Decimal::Parse(code);
        auto v = d ? d->ToInt64() : std::nullopt;
        if (!v || *v < 1 || *v > 9) Fail(c, "invalid freigabestatus code '" + code + "' (1-9)");
      }
    }
    if (!has_ident) Fail(n, "missing <xdf:identifikation>");
    if (kind == Element::Kind::kField) {
      if (e->feldart.empty()) Fail(n, "missing <xdf:feldart>");
      if (e->datentyp.empty()) Fail(n, "missing <xdf:datentyp>");
      static const std::set<std::string> kFeldart = {"input", "select", "label", "hidden", "locked"};
      static const std::set<std::string> kDatentyp = {"text", "text_latin", "date", "time",
                                                      "datetime", "bool", "num", "num_int",
                                                      "num_currency", "file", "obj"};
      if (!kFeldart.count(e->feldart)) Fail(n, "unknown feldart '" + e->feldart + "'");
      if (!kDatentyp.count(e->datentyp)) Fail(n, "unknown datentyp '" + e->datentyp + "'");
      fields.insert(e->Ident());
    } else if (kind == Element::Kind::kGroup) {
      groups.insert(e->Ident());
    }
    for (const auto& r : e->rules) {
      std::string key = r.id + ":" + r.version;
      auto& rep = rule_reports[key];
      if (rep.id.empty()) {
        rep = RuleReport{r.id, r.version, r.name, r.text, r.script, {}};
        rule_order.push_back(key);
      }
      rep.attached_to.push_back(e->Ident());
    }
    return e;
  }

 private:
  std::vector<ChildSpec> BaseSpec() const {
    std::vector<ChildSpec> s = {{"identifikation", Mult::kOne},   {"name", Mult::kOne},
                                {"beschreibung", Mult::kOne},     {"definition", Mult::kOne},
                                {"versionshinweis", Mult::kOne},  {"gueltigAb", Mult::kOne},
                                {"gueltigBis", Mult::kOne},       {"veroeffentlichungsdatum", Mult::kOne},
                                {"fachlicherErsteller", Mult::kOne}, {"bezeichnungEingabe", Mult::kOne},
                                {"bezeichnungAusgabe", Mult::kOne}, {"hilfetextEingabe", Mult::kOne},
                                {"hilfetextAusgabe", Mult::kOne}, {"schemaelementart", Mult::kOne}};
    if (v3_) {
      s.insert(s.end(), {{"bezug", Mult::kMany},
                         {"freigabestatus", Mult::kOne},
                         {"statusGesetztAm", Mult::kOne},
                         {"statusGesetztDurch", Mult::kOne},
                         {"letzteAenderung", Mult::kOne},
                         {"stichwort", Mult::kMany},
                         {"relation", Mult::kMany}});
    } else {
      s.insert(s.end(), {{"bezug", Mult::kOne}, {"status", Mult::kOne}, {"freigabedatum", Mult::kOne}});
    }
    return s;
  }

  // The element children of `n`, checked against `spec`: each must be an xdf
  // element named in it; a single-valued one may occur once. XDatenfelder 3
  // readers tolerate an empty repetition (upstream: a value is only "set" by
  // content), XDatenfelder 2 readers reject any repetition.
  std::vector<pugi::xml_node> Children(pugi::xml_node n, const std::vector<ChildSpec>& spec) {
    std::vector<pugi::xml_node> out;
    std::map<std::string, pugi::xml_node> seen_with_content;
    std::set<std::string> seen;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        if (!Trim(c.value()).empty()) Fail(n, "unexpected text content");
        continue;
      }
      if (c.type() != pugi::node_element) continue;
      if (NamespaceOf(c) != ns_) Fail(c, "unexpected element (namespace '" + NamespaceOf(c) + "')");
      std::string local(LocalName(c.name()));
      auto it = std::find_if(spec.begin(), spec.end(),
                             [&](const ChildSpec& s) { return local == s.name; });
      if (it == spec.end()) Fail(c, "unexpected element in <" + std::string(n.name()) + ">");
      if (it->mult == Mult::kOne) {
        bool content = !Trim(Text(c)).empty() || HasElementChildren(c);
        if (!v3_ && !seen.insert(local).second) Fail(c, "duplicate value");
        if (v3_ && content && !seen_with_content.emplace(local, c).second) Fail(c, "duplicate value");
      }
      out.push_back(c);
    }
    return out;
  }

  void Identification(pugi::xml_node n, std::string* id, std::string* version) {
    bool has_id = false;
    for (pugi::xml_node c : Children(n, {{"id", Mult::kOne}, {"version", Mult::kOne}})) {
      std::string t = Trim(Text(c));
      if (LocalName(c.name()) == "id") {
        if (t.empty()) {
          if (!v3_ || !has_id) Fail(c, "missing content");
          continue;
        }
        *id = t;
        has_id = true;
      } else if (!t.empty()) {
        *version = t;
      }
    }
    if (!has_id) Fail(n, "missing <xdf:id>");
  }

  // <xdf:status><code>aktiv</code></xdf:status>: one unqualified <code> child.
  std::string Code(pugi::xml_node n) {
    std::string code;
    bool found = false;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_pcdata && !Trim(c.value()).empty()) Fail(n, "unexpected text content");
      if (c.type() != pugi::node_element) continue;
      if (std::string_view(c.name()) != "code") Fail(c, "unexpected element in <" + std::string(n.name()) + ">");
      if (found) Fail(c, "duplicate value");
      code = Trim(Text(c));
      if (code.empty()) Fail(c, "missing content");
      found = true;
    }
    if (!found) Fail(n, "missing <code>");
    return code;
  }

  void Constraints(pugi::xml_node n, Element* e) {
    static const std::set<std::string> kKnown = {"minLength", "maxLength", "minValue", "maxValue",
                                                 "pattern"};
    if (v3_) {
      for (pugi::xml_attribute a : n.attributes()) {
        std::string name = a.name();
        if (kKnown.count(name)) e->constraints[name] = a.value();
        else report_.warnings.push_back(Ref(e) + ": praezisierung attribute '" + name + "' ignored");
      }
      if (!Trim(Text(n)).empty()) {
        report_.warnings.push_back(Ref(e) + ": praezisierung text '" + Trim(Text(n)) + "' ignored");
      }
      return;
    }
    std::string text = Trim(Text(n));
    if (text.empty()) return;
    auto j = core::ParseJson(text);
    if (!j.ok() || !j->is_object()) {
      report_.warnings.push_back(Ref(e) + ": praezisierung is not a JSON object, ignored: " + text);
      return;
    }
    for (auto it = j->begin(); it != j->end(); ++it) {
      if (!kKnown.count(it.key())) {
        report_.warnings.push_back(Ref(e) + ": praezisierung key '" + it.key() + "' ignored");
        continue;
      }
      e->constraints[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
    }
  }

  std::string Ref(const Element* e) const {
    return e->id.empty() ? std::string("element") : e->Ident();
  }

  void CodeListRef(pugi::xml_node n, Element* e) {
    e->has_code_list = true;
    ++report_.code_list_reference_elements;
    CodeListReference& ref = e->code_list;
    for (pugi::xml_node c : Children(n, {{"identifikation", Mult::kOne},
                                         {"genericodeIdentification", Mult::kOne},
                                         {"genericode", Mult::kOne}})) {
      if (LocalName(c.name()) == "identifikation") {
        for (pugi::xml_node k : Children(c, {{"id", Mult::kOne}, {"version", Mult::kOne}})) {
          if (LocalName(k.name()) == "id") ref.list_id = Trim(Text(k));
        }
      } else {
        for (pugi::xml_node k : Children(c, {{"canonicalIdentification", Mult::kOne},
                                             {"version", Mult::kOne},
                                             {"canonicalVersionUri", Mult::kOne}})) {
          std::string_view l = LocalName(k.name());
          if (l == "canonicalIdentification") ref.canonical_uri = Trim(Text(k));
          else if (l == "version") ref.version = Trim(Text(k));
        }
      }
    }
  }

  void Werte(pugi::xml_node n, Element* e) {
    for (pugi::xml_node w : Children(n, {{"wert", Mult::kMany}})) {
      std::string code, name;
      for (pugi::xml_node k :
           Children(w, {{"code", Mult::kOne}, {"name", Mult::kOne}, {"hilfe", Mult::kOne}})) {
        if (LocalName(k.name()) == "code") code = Trim(Text(k));
        else if (LocalName(k.name()) == "name") name = Trim(Text(k));
      }
      if (code.empty()) Fail(w, "missing <xdf:code>");
      e->werte.emplace_back(code, name.empty() ? code : name);
    }
  }

  Rule ParseRule(pugi::xml_node n) {
    Rule r;
    std::vector<ChildSpec> spec;
    if (v3_) {
      spec = {{"identifikation", Mult::kOne}, {"name", Mult::kOne},
              {"beschreibung", Mult::kOne},   {"freitextRegel", Mult::kOne},
              {"bezug", Mult::kMany},         {"stichwort", Mult::kMany},
              {"fachlicherErsteller", Mult::kOne}, {"letzteAenderung", Mult::kOne},
              {"typ", Mult::kOne},            {"param", Mult::kMany},
              {"ziel", Mult::kMany},          {"skript", Mult::kOne},
              {"fehler", Mult::kMany}};
    } else {
      spec = BaseSpec();
      spec.push_back({"script", Mult::kOne});
    }
    bool has_ident = false;
    std::string definition;
    for (pugi::xml_node c : Children(n, spec)) {
      std::string_view l = LocalName(c.name());
      if (l == "identifikation") {
        Identification(c, &r.id, &r.version);
        has_ident = true;
      } else if (l == "name") {
        r.name = Trim(Text(c));
      } else if (l == "freitextRegel" || l == "definition") {
        r.text = Trim(Text(c));
      } else if (l == "beschreibung") {
        definition = Trim(Text(c));
      } else if (l == "script" || l == "skript") {
        r.script = Text(c);
      } else if (l == "typ" || l == "status") {
        (void)Code(c);
      }
    }
    if (!has_ident) Fail(n, "missing <xdf:identifikation>");
    if (r.text.empty()) r.text = definition;
    rules.insert(r.id + ":" + r.version);
    return r;
  }

  StructChild Struktur(pugi::xml_node n) {
    StructChild sc;
    bool has_count = false;
    pugi::xml_node contains;
    std::vector<ChildSpec> spec = {{"anzahl", Mult::kOne}, {"enthaelt", Mult::kOne},
                                   {"bezug", v3_ ? Mult::kMany : Mult::kOne}};
    for (pugi::xml_node c : Children(n, spec)) {
      std::string_view l = LocalName(c.name());
      if (l == "anzahl") {
        Anzahl(c, &sc);
        has_count = true;
      } else if (l == "enthaelt") {
        contains = c;
      }
    }
    if (!has_count) Fail(n, "missing <xdf:anzahl>");
    if (!contains) Fail(n, "missing <xdf:enthaelt>");
    auto inner = Children(contains, {{"datenfeld", Mult::kOne}, {"datenfeldgruppe", Mult::kOne}});
    if (inner.size() != 1) Fail(contains, "must contain exactly one datenfeld or datenfeldgruppe");
    bool group = LocalName(inner[0].name()) == "datenfeldgruppe";
    sc.element = ParseElement(inner[0], group ? Element::Kind::kGroup : Element::Kind::kField);
    return sc;
  }

  // "min:max" with max "*" for unbounded.
  void Anzahl(pugi::xml_node n, StructChild* sc) {
    std::string t = Trim(Text(n));
    auto colon = t.find(':');
    auto num = [](const std::string& s) -> std::optional<int64_t> {
      if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return std::nullopt;
      return std::stoll(s);
    };
    std::optional<int64_t> lo, hi;
    if (colon != std::string::npos) {
      lo = num(t.substr(0, colon));
      std::string h = t.substr(colon + 1);
      hi = h == "*" ? std::optional<int64_t>(-1) : num(h);
    }
    if (!lo || !hi || (*hi != -1 && (*hi < *lo || *hi == 0))) {
      Fail(n, "invalid anzahl '" + t + "' (expected min:max)");
    }
    sc->min = *lo;
    sc->max = *hi;
  }

  std::string_view xml_;
  bool v3_;
  std::string ns_;
  ImportReport& report_;
};

// ---------------------------------------------------------------------------
// form-js generation

class Generator {
 public:
  Generator(const XdfImportOptions& o, ImportReport* report) : o_(o), report_(*report) {}

  Json Components(const std::vector<StructChild>& children) {
    Json out = Json::array();
    std::set<std::string> used;
    for (const auto& sc : children) {
      const Element& e = *sc.element;
      std::string key = UniqueKey(e.id, &used);
      bool repeated = sc.max == -1 || sc.max > 1;
      if (e.kind == Element::Kind::kGroup) {
        Json inner = Components(e.children);
        if (sc.min == 1 && sc.max == 1) {
          Json g = Base("group", e);
          g["path"] = key;
          g["showOutline"] = true;
          g["components"] = std::move(inner);
          out.push_back(std::move(g));
        } else {
          out.push_back(List(e, key, sc, std::move(inner)));
        }
        continue;
      }
      Json f = Field(e, key, sc.min >= 1);
      if (repeated) {
        Json inner = Json::array();
        inner.push_back(std::move(f));
        out.push_back(List(e, key, sc, std::move(inner)));
      } else {
        out.push_back(std::move(f));
      }
    }
    return out;
  }

  Json Title(const std::string& text) {
    Json t = Json::object();
    t["type"] = "text";
    t["id"] = NextId("Title");
    t["text"] = "## " + text;
    return t;
  }

 private:
  std::string NextId(const std::string& base) {
    std::string id;
    for (char ch : base) id += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') ? ch : '_';
    return id + "_" + std::to_string(++counter_);
  }

  std::string UniqueKey(const std::string& id, std::set<std::string>* used) {
    std::string key = id;
    for (int n = 2; !used->insert(key).second; ++n) key = id + "_" + std::to_string(n);
    if (key != id) {
      report_.warnings.push_back(id + ": occurs twice in one group; the second occurrence uses key '" +
                                 key + "'");
    }
    return key;
  }

  Json Base(const char* type, const Element& e) {
    Json c = Json::object();
    c["type"] = type;
    c["id"] = NextId(e.id);
    c["label"] = e.label.empty() ? e.name : e.label;
    if (!e.help.empty()) c["description"] = e.help;
    c["properties"] = Json{{"fimId", e.id}, {"fimVersion", e.version}};
    return c;
  }

  Json List(const Element& e, const std::string& key, const StructChild& sc, Json inner) {
    Json l = Base("dynamiclist", e);
    l["path"] = key;
    l["isRepeating"] = true;
    l["allowAddRemove"] = true;
    l["defaultRepetitions"] = sc.min;
    l["showOutline"] = true;
    l["properties"]["minItems"] = std::to_string(sc.min);
    if (sc.max != -1) l["properties"]["maxItems"] = std::to_string(sc.max);
    l["components"] = std::move(inner);
    return l;
  }

  static std::optional<Json> NumberJson(const std::string& s) {
    auto d = feel::Decimal::Parse(s);
    if (!d) return std::nullopt;
    if (auto i = d->ToInt64()) return Json(*i);
    return Json(d->ToDouble());
  }

  static std::string FeelString(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') out += '\\';
      if (ch == '\n') {
        out += "\\n";
        continue;
      }
      if (ch == '\r') continue;
      out += ch;
    }
    return out + "\"";
  }

  void Warn(const Element& e, const std::string& what) { report_.warnings.push_back(e.Ident() + ": " + what); }

  // Applies praezisierung to `validate` where the field type supports it.
  void Constraints(const Element& e, bool text, bool number, Json& validate) {
    for (const auto& [k, v] : e.constraints) {
      if (v.empty()) continue;
      if (text && (k == "minLength" || k == "maxLength")) {
        auto n = NumberJson(v);
        if (n && n->is_number_integer() && n->get<int64_t>() >= 0) validate[k] = *n;
        else Warn(e, "praezisierung " + k + " '" + v + "' is not a length, ignored");
      } else if (text && k == "pattern") {
        // XSD patterns match the whole value; form-js tests unanchored.
        std::string anchored = "^(?:" + v + ")$";
        try {
          std::regex test(anchored, std::regex::ECMAScript);
          validate["pattern"] = anchored;
        } catch (const std::regex_error&) {
          Warn(e, "praezisierung pattern '" + v + "' is not an ECMAScript regex, not checked");
        }
      } else if (number && (k == "minValue" || k == "maxValue")) {
        auto n = NumberJson(v);
        if (n) validate[k == "minValue" ? "min" : "max"] = *n;
        else Warn(e, "praezisierung " + k + " '" + v + "' is not a number, ignored");
      } else {
        Warn(e, "praezisierung " + k + "='" + v + "' does not apply to feldart " + e.feldart +
                    "/datentyp " + e.datentyp + ", not checked");
      }
    }
  }

  Json Field(const Element& e, const std::string& key, bool required) {
    if (e.feldart == "label") {
      Json t = Base("text", e);
      t.erase("label");
      std::string body = e.content.empty() ? (e.label.empty() ? e.name : e.label) : e.content;
      t["text"] = body;
      return t;
    }
    if (e.feldart == "hidden") {
      Json x = Base("expression", e);
      x["key"] = key;
      x["expression"] = "=" + FeelString(e.content);
      x["computeOn"] = "presubmit";
      return x;
    }
    if (e.feldart == "select") return Select(e, key, required);
    Json validate = Json::object();
    Json c;
    const std::string& t = e.datentyp;
    if (t == "text" || t == "text_latin") {
      auto max = e.constraints.find("maxLength");
      auto n = max == e.constraints.end() ? std::nullopt : NumberJson(max->second);
      bool long_text = n && n->is_number_integer() && n->get<int64_t>() > 255;
      c = Base(long_text ? "textarea" : "textfield", e);
      Constraints(e, true, false, validate);
      if (t == "text_latin") Warn(e, "datentyp text_latin: the DIN SPEC 91379 character set is not checked");
    } else if (t == "num" || t == "num_int" || t == "num_currency") {
      c = Base("number", e);
      if (t == "num_int") c["decimalDigits"] = 0;
      if (t == "num_currency") c["decimalDigits"] = 2;
      Constraints(e, false, true, validate);
    } else if (t == "date" || t == "time" || t == "datetime") {
      c = Base("datetime", e);
      c["subtype"] = t;
      if (t != "date") c["timeSerializingFormat"] = "utc_offset";
      Constraints(e, false, false, validate);
    } else if (t == "bool") {
      c = Base("checkbox", e);
      if (required) {
        // form-js "required" on a checkbox means "must be ticked", which is not
        // what a mandatory yes/no datum means.
        Warn(e, "mandatory bool becomes an optional checkbox (false = not ticked)");
        required = false;
      }
      Constraints(e, false, false, validate);
    } else {  // file, obj
      c = Base("filepicker", e);
      if (!e.media_types.empty()) {
        std::string accept;
        for (const auto& m : e.media_types) accept += (accept.empty() ? "" : ",") + m;
        c["accept"] = accept;
      }
      if (!e.max_size.empty()) Warn(e, "maxSize " + e.max_size + " is checked by the upload, not the form");
      Constraints(e, false, false, validate);
    }
    c["key"] = key;
    if (required) validate["required"] = true;
    if (!validate.empty()) c["validate"] = std::move(validate);
    if (!e.content.empty()) c["defaultValue"] = e.content;
    if (e.feldart == "locked") c["disabled"] = true;
    if (e.has_code_list) Warn(e, "codelisteReferenz on feldart " + e.feldart + " ignored");
    return c;
  }

  Json Select(const Element& e, const std::string& key, bool required) {
    Json c = Base("select", e);
    c["key"] = key;
    Json values = Json::array();
    bool have = false;
    if (!e.werte.empty()) {
      for (const auto& [code, name] : e.werte) values.push_back({{"label", name}, {"value", code}});
      have = true;
    }
    if (e.has_code_list) {
      CodeListReference ref = e.code_list;
      ref.element = e.Ident();
      const CodeList* list = nullptr;
      for (const auto& cl : o_.code_lists) {
        if (!ref.canonical_uri.empty() && cl.canonical_uri == ref.canonical_uri &&
            cl.version == ref.version) {
          list = &cl;
        }
      }
      if (list) {
        ref.resolved = true;
        ref.rows = list->rows.size();
        if (!have) {
          for (const auto& r : list->rows) values.push_back({{"label", r.label}, {"value", r.code}});
          have = true;
        }
        c["properties"]["codeList"] = ref.canonical_uri;
        c["properties"]["codeListVersion"] = ref.version;
      } else if (!have) {
        std::string name = ref.list_id.empty() ? e.id : ref.list_id;
        c["valuesKey"] = "codelist_" + name;
        Warn(e, "code list " + (ref.canonical_uri.empty() ? std::string("(empty reference)")
                                                          : ref.canonical_uri + " version " + ref.version) +
                    " not resolved: options come from valuesKey 'codelist_" + name + "'");
      }
      report_.code_lists.push_back(std::move(ref));
    }
    if (have) {
      c["values"] = std::move(values);
      if (c["values"].size() > 20) c["searchable"] = true;
    } else if (!e.has_code_list) {
      Warn(e, "select without code list or values: no option can be chosen");
      c["values"] = Json::array();
    }
    for (const auto& [k, v] : e.constraints) {
      if (!v.empty()) Warn(e, "praezisierung " + k + "='" + v + "' does not apply to a select, not checked");
    }
    if (required) c["validate"] = Json{{"required", true}};
    return c;
  }

  const XdfImportOptions& o_;
  ImportReport& report_;
  int counter_ = 0;
};

}  // namespace

core::Json ImportReport::ToJson() const {
  Json j = Json::object();
  j["standard"] = standard;
  j["rootElement"] = root_element;
  j["id"] = id;
  j["version"] = version;
  j["name"] = name;
  j["distinctFields"] = distinct_fields;
  j["distinctGroups"] = distinct_groups;
  j["distinctRules"] = distinct_rules;
  Json rules = Json::array();
  for (const auto& r : rules_not_executable) {
    rules.push_back({{"id", r.id}, {"version", r.version}, {"name", r.name}, {"text", r.text},
                     {"script", r.script}, {"attachedTo", r.attached_to}});
  }
  j["rulesNotExecutable"] = std::move(rules);
  Json lists = Json::array();
  for (const auto& c : code_lists) {
    lists.push_back({{"element", c.element}, {"listId", c.list_id}, {"canonicalUri", c.canonical_uri},
                     {"version", c.version}, {"resolved", c.resolved}, {"rows", c.rows}});
  }
  j["codeLists"] = std::move(lists);
  j["warnings"] = warnings;
  return j;
}

core::Result<CodeList> ParseGenericode(std::string_view xml) {
  pugi::xml_document doc;
  AW_TRY(Load(xml, &doc));
  try {
    pugi::xml_node root = doc.document_element();
    if (LocalName(root.name()) != "CodeList" || NamespaceOf(root) != kNsGenericode) {
      Fail(root, "not a genericode 1.0 gc:CodeList");
    }
    CodeList cl;
    auto child = [](pugi::xml_node n, std::string_view local) {
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
      }
      return pugi::xml_node();
    };
    pugi::xml_node ident = child(root, "Identification");
    if (!ident) Fail(root, "missing <Identification>");
    cl.short_name = Trim(Text(child(ident, "ShortName")));
    cl.version = Trim(Text(child(ident, "Version")));
    cl.canonical_uri = Trim(Text(child(ident, "CanonicalUri")));
    cl.canonical_version_uri = Trim(Text(child(ident, "CanonicalVersionUri")));
    if (cl.canonical_uri.empty() || cl.version.empty()) {
      Fail(ident, "missing <CanonicalUri> or <Version>");
    }
    std::vector<std::string> columns, keys;
    pugi::xml_node set = child(root, "ColumnSet");
    for (pugi::xml_node c = set.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (LocalName(c.name()) == "Column") columns.push_back(c.attribute("Id").value());
      if (LocalName(c.name()) == "Key") keys.push_back(child(c, "ColumnRef").attribute("Ref").value());
    }
    if (columns.empty()) Fail(set ? set : root, "code list has no columns");
    cl.code_column = !keys.empty() && !keys[0].empty() ? keys[0] : columns[0];
    if (keys.size() > 1 && !keys[1].empty() && keys[1] != cl.code_column) {
      cl.label_column = keys[1];
    } else {
      auto it = std::find(columns.begin(), columns.end(), cl.code_column);
      cl.label_column = (it != columns.end() && it + 1 != columns.end()) ? *(it + 1) : cl.code_column;
    }
    pugi::xml_node list = child(root, "SimpleCodeList");
    for (pugi::xml_node row = list.first_child(); row; row = row.next_sibling()) {
      if (row.type() != pugi::node_element || LocalName(row.name()) != "Row") continue;
      CodeList::Row r;
      size_t pos = 0;
      for (pugi::xml_node v = row.first_child(); v; v = v.next_sibling()) {
        if (v.type() != pugi::node_element || LocalName(v.name()) != "Value") continue;
        std::string col = v.attribute("ColumnRef").value();
        // Without ColumnRef a value belongs to the column at its position.
        if (col.empty() && pos < columns.size()) col = columns[pos];
        ++pos;
        std::string text = Trim(Text(child(v, "SimpleValue")));
        if (col == cl.code_column) r.code = text;
        if (col == cl.label_column) r.label = text;
      }
      if (r.code.empty()) Fail(row, "row without a value in the code column '" + cl.code_column + "'");
      if (r.label.empty()) r.label = r.code;
      cl.rows.push_back(std::move(r));
    }
    return cl;
  } catch (const XmlProblem& p) {
    return ToError(xml, p);
  }
}

core::Result<XdfImport> ImportXDatenfelder(std::string_view xml, const XdfImportOptions& options) {
  if (xml.size() > options.max_bytes) {
    return core::ResourceExhausted("XDatenfelder message of " + std::to_string(xml.size()) +
                                   " bytes exceeds the limit of " + std::to_string(options.max_bytes));
  }
  if (!IsValidUtf8(xml)) return core::InvalidArgument("XDatenfelder message is not valid UTF-8");
  pugi::xml_document doc;
  AW_TRY(Load(xml, &doc));
  XdfImport result;
  ImportReport& report = result.report;
  try {
    pugi::xml_node root = doc.document_element();
    if (!root) throw XmlProblem{"no root element", 0};
    CheckDepth(root, options.max_depth);
    std::string ns = NamespaceOf(root);
    std::string local(LocalName(root.name()));
    bool v3;
    if (ns == kNsXdf2) v3 = false;
    else if (ns == kNsXdf3) v3 = true;
    else Fail(root, "unknown namespace '" + ns + "' (expected " + kNsXdf2 + " or " + kNsXdf3 + ")");
    const char* expected_root = v3 ? "xdatenfelder.datenfeldgruppe.0103" : "xdatenfelder.stammdatenschema.0102";
    if (local != expected_root) {
      Fail(root, "unsupported message '" + local + "' (expected " + expected_root + ")");
    }
    report.standard = v3 ? "xdf3" : "xdf2";
    report.root_element = local;

    Parser parser(xml, v3, ns, &report);
    std::unique_ptr<Element> top;
    bool has_header = false;
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_pcdata && !Trim(c.value()).empty()) Fail(root, "unexpected text content");
      if (c.type() != pugi::node_element) continue;
      if (NamespaceOf(c) != ns) Fail(c, "unexpected element (namespace '" + NamespaceOf(c) + "')");
      std::string_view l = LocalName(c.name());
      if (l == "header") {
        if (has_header) Fail(c, "duplicate value");
        parser.Header(c);
        has_header = true;
      } else if (l == (v3 ? "datenfeldgruppe" : "stammdatenschema")) {
        if (top) Fail(c, "duplicate value");
        top = parser.ParseElement(c, v3 ? Element::Kind::kGroup : Element::Kind::kSchema);
      } else {
        Fail(c, "unexpected element in <" + std::string(root.name()) + ">");
      }
    }
    if (!has_header) Fail(root, "missing <xdf:header>");
    if (!top) Fail(root, std::string("missing <xdf:") + (v3 ? "datenfeldgruppe" : "stammdatenschema") + ">");

    report.id = top->id;
    report.version = top->version;
    report.name = top->name;
    report.distinct_fields = parser.fields.size();
    report.distinct_groups = parser.groups.size();
    report.distinct_rules = parser.rules.size();
    for (const auto& key : parser.rule_order) report.rules_not_executable.push_back(parser.rule_reports[key]);

    Generator gen(options, &report);
    Json components = Json::array();
    std::string title = top->label.empty() ? top->name : top->label;
    if (!title.empty()) components.push_back(gen.Title(title));
    for (auto& c : gen.Components(top->children)) components.push_back(std::move(c));

    Json schema = Json::object();
    schema["type"] = "default";
    schema["id"] = "xdf_" + top->id + "_" + top->version;
    schema["schemaVersion"] = 16;
    schema["exporter"] = {{"name", "amtsweg forms import-xdf"}, {"version", "1"}};
    schema["components"] = std::move(components);
    Json fim = Json::object();
    fim["standard"] = report.standard;
    fim["id"] = top->id;
    fim["version"] = top->version;
    fim["name"] = top->name;
    Json rep = report.ToJson();
    fim["rules"] = rep["rulesNotExecutable"];
    fim["codeLists"] = rep["codeLists"];
    schema["fim"] = std::move(fim);
    result.schema = std::move(schema);
  } catch (const XmlProblem& p) {
    return ToError(xml, p);
  }
  for (const auto& r : report.rules_not_executable) {
    report.warnings.push_back("rule " + r.id + ":" + r.version + " (" + r.name +
                              ") is not executable and was not converted");
  }
  return result;
}

}  // namespace amtsweg::forms
