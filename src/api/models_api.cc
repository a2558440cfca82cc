#include "api/models_api.h"
#include "api/roles.h"

#include <string>
#include <vector>

#include "bpmn/importer.h"
#include "bpmn/lint.h"
#include "dmn/engine.h"
#include "dmn/importer.h"
#include "feel/json_value.h"
#include "forms/schema.h"
#include "forms/xdf_importer.h"

namespace amtsweg::api {
namespace {

using core::Json;

// Models are small; a 5 MB limit keeps a JSON-wrapped XDatenfelder file in.
constexpr uint64_t kMaxModelBody = 5 * 1024 * 1024;

core::Result<Json> JsonBody(const http::Request& req) {
  auto body = core::ParseJson(req.body);
  if (!body.ok()) {
    core::Error e = std::move(body).error();
    return core::InvalidArgument("request body is not JSON: " + e.message());
  }
  if (!body->is_object()) return core::InvalidArgument("request body must be a JSON object");
  return std::move(*body);
}

core::Result<std::string> StringField(const Json& body, const char* name, bool required = true) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::string();
    core::Error e = core::InvalidArgument(std::string("field '") + name + "' is required");
    e.AddDetail(std::string("/") + name, "required");
    return e;
  }
  if (!it->is_string()) {
    core::Error e = core::InvalidArgument(std::string("field '") + name + "' must be a string");
    e.AddDetail(std::string("/") + name, "must be a string");
    return e;
  }
  return it->get<std::string>();
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Json FindingJson(std::string_view element_id, std::string_view rule, std::string_view severity,
                 std::string_view message) {
  return {{"elementId", element_id}, {"rule", rule}, {"severity", severity}, {"message", message}};
}

// Lint of a BPMN file: modelling errors and what the engine does not execute.
Json LintBpmn(const std::string& content) {
  Json findings = Json::array();
  auto defs = bpmn::ImportBpmn(content);
  if (!defs.ok()) {
    findings.push_back(FindingJson("", "import", "error", defs.error().message()));
    for (const auto& d : defs.error().details()) findings.push_back(FindingJson(d.pointer, "import", "error", d.message));
    return findings;
  }
  for (const auto& f : bpmn::Lint(**defs)) {
    findings.push_back(FindingJson(f.element_id, f.code, bpmn::SeverityName(f.severity), f.message));
  }
  return findings;
}

Json LintDmn(const std::string& content) {
  Json findings = Json::array();
  auto engine = dmn::ImportDmn(content, {});
  if (!engine.ok()) {
    findings.push_back(FindingJson("", "import", "error", engine.error().message()));
    return findings;
  }
  for (const auto& p : (*engine)->problems()) findings.push_back(FindingJson("", "compile", "error", p));
  return findings;
}

Json LintForm(const std::string& content) {
  Json findings = Json::array();
  auto json = core::ParseJson(content);
  if (!json.ok()) {
    findings.push_back(FindingJson("", "json", "error", json.error().message()));
    return findings;
  }
  auto form = forms::CompileForm(*json);
  if (!form.ok()) {
    if (form.error().details().empty()) findings.push_back(FindingJson("", "schema", "error", form.error().message()));
    for (const auto& d : form.error().details()) findings.push_back(FindingJson(d.pointer, "schema", "error", d.message));
  }
  return findings;
}

}  // namespace

void RegisterModelRoutes(http::Router& router) {
  const http::RouteOptions model_body{.max_body_bytes = kMaxModelBody};
  const Json finding_schema = {
      {"type", "object"},
      {"required", {"elementId", "rule", "severity", "message"}},
      {"properties",
       {{"elementId", {{"type", "string"}}},
        {"rule", {{"type", "string"}}},
        {"severity", {{"type", "string"}, {"enum", {"error", "warning"}}}},
        {"message", {{"type", "string"}}}}}};
  const Json file_schema = {{"type", "object"},
                            {"required", {"name", "content"}},
                            {"properties",
                             {{"name", {{"type", "string"}, {"description", "file name; the kind comes from .bpmn, .dmn or .form"}}},
                              {"content", {{"type", "string"}}}}}};

  router.Post(
      "/api/v1/models/lint",
      [](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string name, StringField(body, "name"));
        AW_ASSIGN_OR_RETURN(std::string content, StringField(body, "content"));
        Json findings;
        if (EndsWith(name, ".bpmn")) findings = LintBpmn(content);
        else if (EndsWith(name, ".dmn")) findings = LintDmn(content);
        else if (EndsWith(name, ".form") || EndsWith(name, ".json")) findings = LintForm(content);
        else {
          core::Error e = core::InvalidArgument("unknown model kind of '" + name + "': expected .bpmn, .dmn or .form");
          e.AddDetail("/name", "expected a .bpmn, .dmn or .form file name");
          return e;
        }
        return http::Response::Json({{"findings", std::move(findings)}});
      },
      {.summary = "Check a BPMN, DMN or form file before deploying it",
       .description = "Modelling errors and elements the engine does not execute, each naming the element id. "
                      "Nothing is stored.",
       .tag = "models",
       .operation_id = "lintModel",
       .request_schema = file_schema,
       .response_schema = Json{{"type", "object"},
                               {"required", {"findings"}},
                               {"properties", {{"findings", {{"type", "array"}, {"items", finding_schema}}}}}},
       .roles = roles::Designers()},
      model_body);

  router.Post(
      "/api/v1/models/decisions/evaluate",
      [](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string content, StringField(body, "content"));
        AW_ASSIGN_OR_RETURN(std::string decision, StringField(body, "decisionId"));
        Json input = body.value("input", Json::object());
        if (!input.is_object()) {
          core::Error e = core::InvalidArgument("field 'input' must be a JSON object");
          e.AddDetail("/input", "must be a JSON object");
          return e;
        }
        auto engine = dmn::ImportDmn(content, {});
        if (!engine.ok()) {
          core::Error e = std::move(engine).error();
          e.AddDetail("/content", e.message());
          return e;
        }
        AW_ASSIGN_OR_RETURN(feel::Context ctx, feel::JsonToContext(input, [&](const std::string& name) {
                              return (*engine)->InputType(name);
                            }));
        dmn::EvalResult r = (*engine)->EvaluateDecision(decision, ctx);
        if (!r.ok) {
          core::Error e = core::InvalidArgument("decision '" + decision + "' could not be evaluated");
          for (const auto& m : r.messages) e.AddDetail("/decisionId", m);
          return e;
        }
        return http::Response::Json({{"result", feel::ValueToJson(r.value)}, {"warnings", r.messages}});
      },
      {.summary = "Evaluate a decision of a DMN file on test input",
       .description = "For the designer's test panel: the same DMN/FEEL engine the processes use. Nothing is stored.",
       .tag = "models",
       .operation_id = "evaluateDecision",
       .request_schema = Json{{"type", "object"},
                              {"required", {"content", "decisionId"}},
                              {"properties",
                               {{"name", {{"type", "string"}}},
                                {"content", {{"type", "string"}, {"description", "the DMN XML"}}},
                                {"decisionId", {{"type", "string"}, {"description", "id or name of the decision"}}},
                                {"input", {{"type", "object"}, {"description", "input data by name"}}}}}},
       .response_schema = Json{{"type", "object"},
                               {"required", {"result", "warnings"}},
                               {"properties", {{"result", Json::object()},
                                               {"warnings", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
       .roles = roles::Designers()},
      model_body);

  router.Post(
      "/api/v1/forms/import-xdf",
      [](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string content, StringField(body, "content"));
        forms::XdfImportOptions options;
        if (auto it = body.find("codeLists"); it != body.end() && !it->is_null()) {
          if (!it->is_array()) {
            core::Error e = core::InvalidArgument("field 'codeLists' must be an array of genericode documents");
            e.AddDetail("/codeLists", "must be an array of strings");
            return e;
          }
          for (size_t i = 0; i < it->size(); ++i) {
            const Json& cl = (*it)[i];
            std::string pointer = "/codeLists/" + std::to_string(i);
            if (!cl.is_string()) {
              core::Error e = core::InvalidArgument("code list " + std::to_string(i) + " must be a string");
              e.AddDetail(pointer, "must be a string");
              return e;
            }
            auto list = forms::ParseGenericode(cl.get<std::string>());
            if (!list.ok()) {
              core::Error e = std::move(list).error();
              e.AddDetail(pointer, e.message());
              return e;
            }
            options.code_lists.push_back(std::move(*list));
          }
        }
        auto imported = forms::ImportXDatenfelder(content, options);
        if (!imported.ok()) {
          core::Error e = std::move(imported).error();
          if (e.details().empty()) e.AddDetail("/content", e.message());
          return e;
        }
        return http::Response::Json({{"schema", std::move(imported->schema)}, {"report", imported->report.ToJson()}});
      },
      {.summary = "Import an XDatenfelder 2.0/3.0 file as a form-js schema",
       .description = "Groups, fields, constraints, code lists and multiplicities become a form; rules that cannot "
                      "run are listed in the report. Nothing is stored.",
       .tag = "models",
       .operation_id = "importXDatenfelder",
       .request_schema = Json{{"type", "object"},
                              {"required", {"content"}},
                              {"properties",
                               {{"name", {{"type", "string"}}},
                                {"content", {{"type", "string"}, {"description", "the XDatenfelder XML"}}},
                                {"codeLists", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
       .response_schema = Json{{"type", "object"},
                               {"required", {"schema", "report"}},
                               {"properties", {{"schema", {{"type", "object"}}}, {"report", {{"type", "object"}}}}}},
       .roles = roles::Designers()},
      model_body);
}

}  // namespace amtsweg::api
