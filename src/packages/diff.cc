#include "packages/diff.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/hash.h"

namespace amtsweg::packages {

using core::Json;

namespace {

std::string Local(const char* name) {
  std::string n = name;
  size_t colon = n.find(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string Quote(const std::string& s) {
  std::string t = s.size() > 80 ? s.substr(0, 77) + "..." : s;
  return "\"" + t + "\"";
}

std::string Arrow(const std::string& what, const std::string& a, const std::string& b) {
  return fmt::format("{}: {} → {}", what, a, b);
}

// One element of a model that has an identity: BPMN/DMN elements with an id,
// DMN rules by their position in their table.
struct Item {
  std::string key;
  std::string local;
  std::string subject;
  std::map<std::string, std::string> attrs;
  std::vector<std::pair<std::string, std::string>> parts;  // child local name → canonical text
};

bool IsDi(const std::string& local) { return local.starts_with("BPMN") || local.starts_with("DMNDI") || local == "DMNShape" || local == "DMNEdge" || local == "DMNDiagram"; }

// Canonical text of `n`: name, sorted attributes, children; children that
// are items of their own appear as a reference only.
std::string Canonical(pugi::xml_node n, const std::function<bool(pugi::xml_node)>& is_item) {
  if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) return Trim(n.value());
  if (n.type() != pugi::node_element) return "";
  std::string s = "<" + Local(n.name());
  std::map<std::string, std::string> attrs;
  for (auto a : n.attributes()) attrs[a.name()] = a.value();
  for (const auto& [k, v] : attrs) s += " " + k + "=" + Quote(v);
  s += ">";
  for (auto c : n.children()) {
    if (c.type() == pugi::node_element && is_item(c)) {
      s += "#" + std::string(c.attribute("id").value()) + ";";
    } else {
      s += Canonical(c, is_item);
    }
  }
  return s + "</>";
}

std::string ChildText(pugi::xml_node n, const char* local) {
  for (auto c : n.children()) {
    if (c.type() == pugi::node_element && Local(c.name()) == local) {
      std::string t;
      for (auto d : c.children()) {
        if (d.type() == pugi::node_element && Local(d.name()) == "text") t += d.text().get();
        else if (d.type() == pugi::node_pcdata) t += d.value();
      }
      return Trim(t);
    }
  }
  return "";
}

std::vector<Change> DiffItems(const std::string& area, const std::string& file, const std::vector<Item>& a,
                              const std::vector<Item>& b) {
  std::vector<Change> out;
  std::map<std::string, const Item*> in_a, in_b;
  for (const auto& i : a) in_a[i.key] = &i;
  for (const auto& i : b) in_b[i.key] = &i;
  for (const auto& i : a) {
    if (!in_b.contains(i.key)) out.push_back({area, file, "removed", i.subject, ""});
  }
  for (const auto& i : b) {
    auto it = in_a.find(i.key);
    if (it == in_a.end()) {
      out.push_back({area, file, "added", i.subject, ""});
      continue;
    }
    const Item& old = *it->second;
    std::vector<std::string> details;
    std::set<std::string> names;
    for (const auto& [k, v] : old.attrs) names.insert(k);
    for (const auto& [k, v] : i.attrs) names.insert(k);
    for (const auto& k : names) {
      auto x = old.attrs.find(k), y = i.attrs.find(k);
      std::string va = x == old.attrs.end() ? "(none)" : Quote(x->second);
      std::string vb = y == i.attrs.end() ? "(none)" : Quote(y->second);
      if (va != vb) details.push_back(Arrow(k, va, vb));
    }
    if (old.local != i.local) details.push_back(Arrow("type", old.local, i.local));
    size_t n = std::max(old.parts.size(), i.parts.size());
    std::set<std::string> reported;
    for (size_t p = 0; p < n; ++p) {
      const auto* pa = p < old.parts.size() ? &old.parts[p] : nullptr;
      const auto* pb = p < i.parts.size() ? &i.parts[p] : nullptr;
      if (pa && pb && pa->first == pb->first && pa->second == pb->second) continue;
      std::string label = pb ? pb->first : pa->first;
      if (reported.insert(label).second) {
        if (pa && pb && pa->first == pb->first && pa->second.size() < 120 && pb->second.size() < 120 &&
            pa->second.find('<') == std::string::npos && pb->second.find('<') == std::string::npos) {
          details.push_back(Arrow(label, Quote(pa->second), Quote(pb->second)));
        } else {
          details.push_back(label + " changed");
        }
      }
    }
    if (!details.empty()) {
      std::string d;
      for (const auto& s : details) d += (d.empty() ? "" : "; ") + s;
      out.push_back({area, file, "changed", i.subject, d});
    }
  }
  return out;
}

core::Result<std::vector<Item>> BpmnItems(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return core::InvalidArgument("not XML");
  auto is_item = [](pugi::xml_node n) {
    return n.type() == pugi::node_element && !n.attribute("id").empty() && !IsDi(Local(n.name()));
  };
  std::vector<Item> items;
  std::function<void(pugi::xml_node)> walk = [&](pugi::xml_node n) {
    for (auto c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string local = Local(c.name());
      if (IsDi(local)) continue;
      if (is_item(c) && local != "definitions") {
        Item it;
        it.key = c.attribute("id").value();
        it.local = local;
        std::string name = c.attribute("name").value();
        it.subject = local + " " + it.key + (name.empty() ? "" : " " + Quote(name));
        for (auto a : c.attributes()) it.attrs[a.name()] = a.value();
        for (auto d : c.children()) {
          if (d.type() == pugi::node_element && is_item(d)) continue;
          std::string text = Canonical(d, is_item);
          if (text.empty()) continue;
          it.parts.push_back({d.type() == pugi::node_element ? Local(d.name()) : "text", text});
        }
        items.push_back(std::move(it));
      }
      walk(c);
    }
  };
  walk(doc);
  return items;
}

core::Result<std::vector<Item>> DmnItems(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return core::InvalidArgument("not XML");
  std::vector<Item> items;
  auto is_item = [](pugi::xml_node n) {
    std::string l = Local(n.name());
    return n.type() == pugi::node_element && (l == "rule" || (!n.attribute("id").empty() && !IsDi(l)));
  };
  std::function<void(pugi::xml_node, const std::string&)> walk = [&](pugi::xml_node n, const std::string& decision) {
    int rule_index = 0;
    for (auto c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string local = Local(c.name());
      if (IsDi(local)) continue;
      std::string here = local == "decision" ? std::string(c.attribute("id").value()) : decision;
      if (local == "rule") {
        ++rule_index;
        Item it;
        std::string id = c.attribute("id").value();
        it.key = id.empty() ? fmt::format("{}/rule[{}]", decision, rule_index) : id;
        it.local = "rule";
        std::string note = ChildText(c, "annotationEntry");
        if (note.empty()) note = ChildText(c, "description");
        it.subject = fmt::format("decision {} rule {}{}{}", decision, rule_index, id.empty() ? "" : " (" + id + ")",
                                 note.empty() ? "" : " " + Quote(note));
        int in = 0, outn = 0, ann = 0;
        for (auto e : c.children()) {
          if (e.type() != pugi::node_element) continue;
          std::string l = Local(e.name());
          std::string text;
          for (auto t : e.children()) {
            if (t.type() == pugi::node_element && Local(t.name()) == "text") text += t.text().get();
          }
          if (l == "inputEntry") it.parts.push_back({fmt::format("input {}", ++in), Trim(text)});
          else if (l == "outputEntry") it.parts.push_back({fmt::format("output {}", ++outn), Trim(text)});
          else if (l == "annotationEntry") it.parts.push_back({fmt::format("annotation {}", ++ann), Trim(text)});
          else it.parts.push_back({l, Canonical(e, is_item)});
        }
        items.push_back(std::move(it));
        continue;
      }
      if (is_item(c) && local != "definitions") {
        Item it;
        it.key = c.attribute("id").value();
        it.local = local;
        std::string name = c.attribute("name").value();
        it.subject = (local == "decisionTable" ? "decision " + here + " table" : local + " " + it.key) +
                     (name.empty() ? "" : " " + Quote(name));
        for (auto a : c.attributes()) it.attrs[a.name()] = a.value();
        for (auto d : c.children()) {
          if (d.type() == pugi::node_element && is_item(d)) continue;
          std::string text = Canonical(d, is_item);
          if (text.empty()) continue;
          std::string label = d.type() == pugi::node_element ? Local(d.name()) : "text";
          it.parts.push_back({label, text});
        }
        items.push_back(std::move(it));
      }
      walk(c, here);
    }
  };
  walk(doc, "");
  return items;
}

// Form components by key (or id), depth first.
void FormFields(const Json& components, const std::string& prefix, std::vector<std::pair<std::string, Json>>* out) {
  if (!components.is_array()) return;
  for (size_t i = 0; i < components.size(); ++i) {
    const Json& c = components[i];
    if (!c.is_object()) continue;
    std::string key;
    if (c.contains("key") && c["key"].is_string()) key = c["key"].get<std::string>();
    else if (c.contains("path") && c["path"].is_string()) key = c["path"].get<std::string>();
    else if (c.contains("id") && c["id"].is_string()) key = c["id"].get<std::string>();
    else key = fmt::format("#{}", i + 1);
    std::string full = prefix.empty() ? key : prefix + "." + key;
    out->push_back({full, c});
    if (c.contains("components")) FormFields(c["components"], full, out);
  }
}

std::string FieldSubject(const std::string& key, const Json& c) {
  std::string label = c.contains("label") && c["label"].is_string() ? c["label"].get<std::string>() : "";
  std::string type = c.contains("type") && c["type"].is_string() ? c["type"].get<std::string>() : "field";
  return fmt::format("{} {}{}", type, key, label.empty() ? "" : " " + Quote(label));
}

std::string Short(const Json& v) {
  std::string s = v.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

std::string AreaOf(const std::string& path) {
  if (path.ends_with(".bpmn")) return "process";
  if (path.ends_with(".dmn")) return "decision";
  if (path.ends_with(".form")) return "form";
  return "file";
}

}  // namespace

std::vector<Change> DiffBpmn(const std::string& file, const std::string& a, const std::string& b) {
  auto ia = BpmnItems(a), ib = BpmnItems(b);
  if (!ia.ok() || !ib.ok()) return {{"process", file, "changed", "file", "not readable as XML"}};
  return DiffItems("process", file, *ia, *ib);
}

std::vector<Change> DiffDmn(const std::string& file, const std::string& a, const std::string& b) {
  auto ia = DmnItems(a), ib = DmnItems(b);
  if (!ia.ok() || !ib.ok()) return {{"decision", file, "changed", "file", "not readable as XML"}};
  return DiffItems("decision", file, *ia, *ib);
}

std::vector<Change> DiffForm(const std::string& file, const std::string& a, const std::string& b) {
  auto ja = core::ParseJson(a), jb = core::ParseJson(b);
  if (!ja.ok() || !jb.ok() || !ja->is_object() || !jb->is_object()) {
    return {{"form", file, "changed", "file", "not readable as JSON"}};
  }
  std::vector<std::pair<std::string, Json>> fa, fb;
  FormFields((*ja)["components"], "", &fa);
  FormFields((*jb)["components"], "", &fb);
  std::map<std::string, const Json*> ma;
  std::set<std::string> kb;
  for (const auto& [k, c] : fa) ma[k] = &c;
  for (const auto& [k, c] : fb) kb.insert(k);
  std::vector<Change> out;
  for (const auto& [k, c] : fa) {
    if (!kb.contains(k)) out.push_back({"form", file, "removed", FieldSubject(k, c), ""});
  }
  for (const auto& [k, c] : fb) {
    auto it = ma.find(k);
    if (it == ma.end()) {
      out.push_back({"form", file, "added", FieldSubject(k, c), ""});
      continue;
    }
    const Json& old = *it->second;
    std::set<std::string> props;
    for (auto p = old.begin(); p != old.end(); ++p) props.insert(p.key());
    for (auto p = c.begin(); p != c.end(); ++p) props.insert(p.key());
    std::string d;
    for (const auto& p : props) {
      if (p == "components") continue;
      Json va = old.contains(p) ? old[p] : Json(), vb = c.contains(p) ? c[p] : Json();
      if (va != vb) d += (d.empty() ? "" : "; ") + Arrow(p, va.is_null() ? "(none)" : Short(va), vb.is_null() ? "(none)" : Short(vb));
    }
    if (!d.empty()) out.push_back({"form", file, "changed", FieldSubject(k, c), d});
  }
  // Form-level properties other than the components.
  for (const char* p : {"id", "type", "schemaVersion"}) {
    Json va = ja->contains(p) ? (*ja)[p] : Json(), vb = jb->contains(p) ? (*jb)[p] : Json();
    if (va != vb) out.push_back({"form", file, "changed", "form", Arrow(p, Short(va), Short(vb))});
  }
  return out;
}

std::vector<Change> DiffPackages(const Package& a, const Package& b) {
  std::vector<Change> out;
  const Manifest& ma = a.manifest;
  const Manifest& mb = b.manifest;
  auto field = [&](const char* what, const std::string& x, const std::string& y) {
    if (x != y) out.push_back({"package", "", "changed", what, Quote(x) + " → " + Quote(y)});
  };
  field("name", ma.name, mb.name);
  field("version", ma.version, mb.version);
  field("leika", ma.leika, mb.leika);
  field("engine", ma.engine_min_version, mb.engine_min_version);
  field("process", ma.process_id, mb.process_id);
  field("form", ma.form_id, mb.form_id);
  std::set<std::string> texts;
  for (auto it = ma.service.begin(); it != ma.service.end(); ++it) texts.insert(it.key());
  for (auto it = mb.service.begin(); it != mb.service.end(); ++it) texts.insert(it.key());
  for (const auto& k : texts) {
    Json x = ma.service.contains(k) ? ma.service[k] : Json(), y = mb.service.contains(k) ? mb.service[k] : Json();
    if (x != y) out.push_back({"package", "", "changed", "service " + k, Short(x) + " → " + Short(y)});
  }
  // Parameters.
  for (const auto& p : ma.parameters) {
    if (mb.FindParameter(p.name) == nullptr) out.push_back({"parameter", "", "removed", p.name, ""});
  }
  for (const auto& p : mb.parameters) {
    const ParameterDecl* old = ma.FindParameter(p.name);
    if (old == nullptr) {
      out.push_back({"parameter", "", "added", p.name,
                     fmt::format("{}, default {}: {}", p.type, p.default_value.is_null() ? "none" : Short(p.default_value),
                                 p.description_de)});
      continue;
    }
    std::string d;
    auto add = [&](const std::string& s) { d += (d.empty() ? "" : "; ") + s; };
    if (old->type != p.type) add(Arrow("type", old->type, p.type));
    if (old->default_value != p.default_value) {
      add(Arrow("default", old->default_value.is_null() ? "none" : Short(old->default_value),
                p.default_value.is_null() ? "none" : Short(p.default_value)));
    }
    if (old->required != p.required) add(Arrow("required", old->required ? "yes" : "no", p.required ? "yes" : "no"));
    if (old->responsibility != p.responsibility) {
      add(Arrow("responsibility", old->responsibility ? "yes" : "no", p.responsibility ? "yes" : "no"));
    }
    if (old->service_field != p.service_field) add(Arrow("service field", Quote(old->service_field), Quote(p.service_field)));
    if (old->description_de != p.description_de) add(Arrow("description (de)", Quote(old->description_de), Quote(p.description_de)));
    if (old->description_en != p.description_en) add(Arrow("description (en)", Quote(old->description_en), Quote(p.description_en)));
    if (!d.empty()) out.push_back({"parameter", "", "changed", p.name, d});
  }
  if (ma.binding.file != mb.binding.file || ma.binding.element != mb.binding.element ||
      ma.binding.variable != mb.binding.variable) {
    out.push_back({"parameter", "", "changed", "binding",
                   Arrow("binding", ma.binding.file + "#" + ma.binding.element, mb.binding.file + "#" + mb.binding.element)});
  }
  // Files.
  for (const auto& f : a.files) {
    if (b.Find(f.path) == nullptr) out.push_back({AreaOf(f.path), f.path, "removed", "file", ""});
  }
  for (const auto& f : b.files) {
    const PackageFile* old = a.Find(f.path);
    if (old == nullptr) {
      out.push_back({AreaOf(f.path), f.path, "added", "file", ""});
      continue;
    }
    if (old->data == f.data) continue;
    std::vector<Change> inner;
    std::string area = AreaOf(f.path);
    if (area == "process") inner = DiffBpmn(f.path, old->data, f.data);
    else if (area == "decision") inner = DiffDmn(f.path, old->data, f.data);
    else if (area == "form") inner = DiffForm(f.path, old->data, f.data);
    if (inner.empty()) {
      // Only layout, whitespace or (for other files) the text itself.
      std::string what = area == "file" ? "content changed" : "layout or formatting changed";
      out.push_back({area, f.path, "changed", "file",
                     fmt::format("{} (SHA-256 {} → {})", what, core::Sha256Hex(old->data).substr(0, 12),
                                 core::Sha256Hex(f.data).substr(0, 12))});
    }
    out.insert(out.end(), inner.begin(), inner.end());
  }
  return out;
}

std::string FormatChanges(const std::vector<Change>& changes) {
  if (changes.empty()) return "no changes\n";
  std::ostringstream os;
  std::string group;
  for (const auto& c : changes) {
    std::string g = c.file.empty() ? c.area : c.area + " " + c.file;
    if (g != group) {
      os << g << ":\n";
      group = g;
    }
    os << "  " << fmt::format("{:<8}", c.kind) << " " << c.subject;
    if (!c.detail.empty()) os << ": " << c.detail;
    os << "\n";
  }
  return os.str();
}

Json ChangesToJson(const std::vector<Change>& changes) {
  Json out = Json::array();
  for (const auto& c : changes) {
    out.push_back({{"area", c.area}, {"file", c.file}, {"kind", c.kind}, {"subject", c.subject}, {"detail", c.detail}});
  }
  return out;
}

}  // namespace amtsweg::packages
