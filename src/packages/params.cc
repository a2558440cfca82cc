#include "packages/params.h"

#include <cmath>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "feel/printer.h"

namespace amtsweg::packages {

using core::Json;

namespace {

bool IsFeelName(const std::string& s) {
  static const std::regex re("[A-Za-z_][A-Za-z0-9_]*");
  static const std::set<std::string> reserved = {"true", "false", "null", "and", "or", "not", "if", "then", "else",
                                                 "for", "in", "return", "some", "every", "satisfies", "between",
                                                 "instance", "of", "function"};
  return std::regex_match(s, re) && !reserved.contains(s);
}

std::string LocalName(const char* name) {
  std::string n = name;
  size_t colon = n.find(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

bool ValidEmail(const std::string& s) {
  static const std::regex re(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
  return std::regex_match(s, re);
}

}  // namespace

std::string FeelLiteral(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return v.dump();
    case Json::value_t::number_float: {
      double d = v.get<double>();
      if (!std::isfinite(d)) return "null";
      // Shortest text that reads back as the same double (what the JSON said).
      return v.dump();
    }
    case Json::value_t::string: return feel::QuoteString(v.get<std::string>());
    case Json::value_t::array: {
      std::string s = "[";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + FeelLiteral(v[i]);
      return s + "]";
    }
    case Json::value_t::object: {
      std::string s = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        s += (first ? "" : ", ") + (IsFeelName(it.key()) ? it.key() : feel::QuoteString(it.key())) + ": " +
             FeelLiteral(it.value());
        first = false;
      }
      return s + "}";
    }
    default: return "null";
  }
}

core::Result<std::vector<ResolvedParameter>> ResolveParameters(const std::vector<ParameterDecl>& decls,
                                                               const Json& given) {
  if (!given.is_object()) return core::InvalidArgument("parameter values must be a JSON object by name");
  std::vector<core::FieldError> errors;
  for (auto it = given.begin(); it != given.end(); ++it) {
    bool known = false;
    for (const auto& d : decls) known = known || d.name == it.key();
    if (!known) errors.push_back({"/" + it.key(), fmt::format("parameter '{}' is not declared by the package", it.key())});
  }
  std::vector<ResolvedParameter> out;
  for (const auto& d : decls) {
    ResolvedParameter r;
    r.decl = &d;
    auto it = given.find(d.name);
    if (it != given.end() && !it->is_null()) {
      r.value = *it;
    } else if (d.required) {
      // The publisher's value (the default) is only an example here: each
      // municipality sets its own (fees of its statute, its departments).
      errors.push_back({"/" + d.name,
                        fmt::format("required parameter '{}' ({}) is missing{}", d.name, d.description_de,
                                    d.default_value.is_null() ? "" : "; the publisher uses " + d.default_value.dump())});
      continue;
    } else if (!d.default_value.is_null()) {
      r.value = d.default_value;
      r.from_default = true;
    } else {
      r.value = nullptr;
    }
    if (!r.value.is_null()) {
      bool ok = true;
      const std::string& t = d.type;
      if (t == "string" || t == "department") ok = r.value.is_string() && !r.value.get<std::string>().empty();
      else if (t == "email") ok = r.value.is_string() && ValidEmail(r.value.get<std::string>());
      else if (t == "number") ok = r.value.is_number();
      else if (t == "integer") ok = r.value.is_number_integer() || r.value.is_number_unsigned();
      else if (t == "boolean") ok = r.value.is_boolean();
      else if (t == "list") ok = r.value.is_array();
      else if (t == "object") ok = r.value.is_object();
      if (!ok) {
        errors.push_back({"/" + d.name, fmt::format("parameter '{}' must be {} (got {})", d.name,
                                                    t == "email" ? "an e-mail address" : "of type " + t,
                                                    r.value.dump())});
        continue;
      }
    }
    out.push_back(std::move(r));
  }
  if (!errors.empty()) {
    std::string m = errors.front().message;
    if (errors.size() > 1) m += fmt::format(" (and {} more)", errors.size() - 1);
    return core::InvalidArgument(m, std::move(errors));
  }
  return out;
}

Json ParameterValues(const std::vector<ResolvedParameter>& params) {
  Json j = Json::object();
  for (const auto& p : params) j[p.decl->name] = p.value;
  return j;
}

core::Result<std::string> BindParameters(const std::string& xml, const Manifest::Binding& binding,
                                         const std::vector<ResolvedParameter>& params, bool bind_script) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration |
                                                            pugi::parse_ws_pcdata | pugi::parse_comments);
  if (!parsed) return core::InvalidArgument(fmt::format("{}: not XML: {}", binding.file, parsed.description()));
  bool changed = false;
  if (bind_script) {
    pugi::xml_node element = doc.find_node([&](pugi::xml_node n) {
      return n.type() == pugi::node_element && std::string(n.attribute("id").value()) == binding.element;
    });
    if (!element) {
      return core::InvalidArgument(fmt::format("{}: no element '{}' to bind the parameters to", binding.file,
                                               binding.element));
    }
    pugi::xml_node script = element.find_node([&](pugi::xml_node n) {
      return n.type() == pugi::node_element && LocalName(n.name()) == "script" &&
             std::string(n.attribute("resultVariable").value()) == binding.variable;
    });
    if (!script) {
      return core::InvalidArgument(fmt::format("{}: element '{}' has no script with resultVariable '{}'",
                                               binding.file, binding.element, binding.variable));
    }
    Json values = Json::object();
    for (const auto& p : params) {
      if (!p.value.is_null()) values[p.decl->name] = p.value;
    }
    std::string expr = "=" + FeelLiteral(values);
    if (std::string(script.attribute("expression").value()) != expr) {
      script.attribute("expression").set_value(expr.c_str());
      changed = true;
    }
  }
  // Department ids: the publisher's (the default) become the importer's.
  std::map<std::string, std::string> departments;
  for (const auto& p : params) {
    if (p.decl->type != "department" || !p.decl->default_value.is_string() || !p.value.is_string()) continue;
    std::string from = p.decl->default_value.get<std::string>(), to = p.value.get<std::string>();
    if (from != to) departments[from] = to;
  }
  if (!departments.empty()) {
    for (pugi::xpath_node xn : doc.select_nodes("//*[@candidateGroups]")) {
      pugi::xml_attribute a = xn.node().attribute("candidateGroups");
      std::string v = a.value();
      if (v.starts_with("=")) continue;  // an expression: the process computes it
      std::stringstream in(v);
      std::string group, out;
      while (std::getline(in, group, ',')) {
        size_t b = group.find_first_not_of(' '), e = group.find_last_not_of(' ');
        std::string g = b == std::string::npos ? "" : group.substr(b, e - b + 1);
        auto it = departments.find(g);
        out += (out.empty() ? "" : ",") + (it != departments.end() ? it->second : g);
      }
      if (out != v) {
        a.set_value(out.c_str());
        changed = true;
      }
    }
  }
  if (!changed) return xml;
  std::ostringstream os;
  // format_no_declaration: a declaration the file had is a node and stays; none is added.
  doc.save(os, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return os.str();
}

}  // namespace amtsweg::packages
