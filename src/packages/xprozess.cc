#include "packages/xprozess.h"

#include <cstring>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "packages/signing.h"
#include "packages/zip.h"

namespace amtsweg::packages {

namespace {

std::string Local(const char* name) {
  std::string n = name;
  size_t colon = n.find(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node n, const char* local) {
  for (auto c : n.children()) {
    if (c.type() == pugi::node_element && Local(c.name()) == local) return c;
  }
  return {};
}

std::string Text(pugi::xml_node n) {
  std::string s = n.text().get();
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

core::Result<XProzessProcess> ParseXProzess(const std::string& xml) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) return core::InvalidArgument(fmt::format("not XML: {} at byte {}", parsed.description(), parsed.offset));
  pugi::xml_node root = doc.document_element();
  std::string ns;
  for (auto a : root.attributes()) {
    if (std::string(a.value()).find("xprozess") != std::string::npos && std::string(a.name()).starts_with("xmlns")) {
      ns = a.value();
    }
  }
  if (ns.empty()) return core::InvalidArgument("not an XProzess message (no xprozess namespace on the root element)");
  pugi::xml_node katalog = Child(root, "prozesskatalog");
  pugi::xml_node klasse = katalog ? Child(katalog, "prozessklasse") : pugi::xml_node();
  if (!klasse) return core::InvalidArgument("no prozesskatalog/prozessklasse in the message");
  XProzessProcess p;
  p.id = Text(Child(klasse, "id"));
  p.version = Text(Child(klasse, "version"));
  p.name = Text(Child(klasse, "name"));
  p.definition = Text(Child(klasse, "definition"));
  for (auto c : klasse.children()) {
    if (c.type() == pugi::node_element && Local(c.name()) == "handlungsgrundlage") {
      std::string n = Text(Child(c, "name"));
      if (!n.empty()) p.legal_bases.push_back(n);
    }
  }
  // Attachments: the BPMN model, and what is not taken.
  pugi::xml_node model;
  for (pugi::xpath_node xn : doc.select_nodes("//*[local-name()='prozessmodelldatei' or local-name()='visualisierungsdatei' or local-name()='beschreibungsdatei']")) {
    pugi::xml_node n = xn.node();
    std::string kind = Local(n.name());
    if (kind == "prozessmodelldatei" && !model) {
      model = n;
    } else {
      std::string name = Text(Child(n, "dateiname"));
      p.skipped.push_back(fmt::format("{} \"{}\": not a process model (kept out)", kind, name));
    }
  }
  if (!model) return core::InvalidArgument("no prozessmodelldatei (BPMN model) in the message");
  std::string content = Child(model, "inhalt").text().get();
  auto bytes = Base64Decode(content);
  if (!bytes.ok()) return core::InvalidArgument("prozessmodelldatei/inhalt: not base64");
  if (bytes->size() >= 4 && std::memcmp(bytes->data(), "PK\x03\x04", 4) == 0) {
    auto entries = ReadZip(*bytes);
    if (!entries.ok()) return core::InvalidArgument("prozessmodelldatei/inhalt: " + entries.error().message());
    for (auto& e : *entries) {
      if (e.name.ends_with(".xml") || e.name.ends_with(".bpmn") || e.name.ends_with(".XML") ||
          e.name.ends_with(".BPMN")) {
        if (p.bpmn.empty()) {
          p.bpmn_file = e.name;
          p.bpmn = std::move(e.data);
        } else {
          p.skipped.push_back(fmt::format("prozessmodelldatei entry \"{}\": a second model (kept out)", e.name));
        }
      } else {
        p.skipped.push_back(fmt::format("prozessmodelldatei entry \"{}\": not XML (kept out)", e.name));
      }
    }
    if (p.bpmn.empty()) return core::InvalidArgument("prozessmodelldatei: the ZIP has no .xml or .bpmn entry");
  } else if (bytes->find("<") != std::string::npos) {
    p.bpmn_file = Text(Child(model, "dateiname"));
    p.bpmn = std::move(*bytes);  // some exports embed the XML itself
  } else {
    return core::InvalidArgument("prozessmodelldatei/inhalt: neither a ZIP archive nor XML");
  }
  return p;
}

}  // namespace amtsweg::packages
