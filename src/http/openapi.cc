#include "http/openapi.h"

#include <algorithm>
#include <cctype>

#include "http/problem.h"

namespace amtsweg::http {
namespace {

// OpenAPI's operation keys (lower case); anything else cannot be described.
bool OpenApiMethod(std::string_view method, std::string& key) {
  static constexpr std::string_view kMethods[] = {"GET",     "PUT",  "POST",  "DELETE",
                                                  "OPTIONS", "HEAD", "PATCH", "TRACE"};
  for (auto m : kMethods) {
    if (m == method) {
      key.clear();
      for (char c : m) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return true;
    }
  }
  return false;
}

// "GET /api/v1/cases/{id}" → "getApiV1CasesById"-like, stable and unique per
// (method, pattern shape) because the router rejects duplicates.
std::string DeriveOperationId(const Route& r) {
  std::string out;
  for (char c : r.method) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  for (char c : r.pattern) {
    if (c == '{') {
      out += "By";
      upper = true;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

const ParamDoc* FindDoc(const std::vector<ParamDoc>& docs, std::string_view name) {
  for (const auto& d : docs) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

core::Json Operation(const Route& r) {
  const RouteDoc& doc = r.doc;
  core::Json op = core::Json::object();
  op["summary"] = doc.summary;
  if (!doc.description.empty()) op["description"] = doc.description;
  if (!doc.tag.empty()) op["tags"] = core::Json::array({doc.tag});
  op["operationId"] = doc.operation_id.empty() ? DeriveOperationId(r) : doc.operation_id;

  core::Json params = core::Json::array();
  for (const auto& name : r.param_names) {
    const ParamDoc* pd = FindDoc(doc.path_params, name);
    core::Json p = {{"name", name}, {"in", "path"}, {"required", true},
                    {"schema", {{"type", pd ? pd->type : std::string("string")}}}};
    if (pd && !pd->description.empty()) p["description"] = pd->description;
    params.push_back(std::move(p));
  }
  for (const auto& q : doc.query_params) {
    core::Json p = {{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", {{"type", q.type}}}};
    if (!q.description.empty()) p["description"] = q.description;
    params.push_back(std::move(p));
  }
  if (!params.empty()) op["parameters"] = std::move(params);

  if (doc.request_content) {
    op["requestBody"] = {{"required", true}, {"content", *doc.request_content}};
  } else if (doc.request_schema) {
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", *doc.request_schema}}}}}};
  }

  core::Json success = {{"description", std::string(ReasonPhrase(doc.success_status))}};
  if (doc.success_status != 204 && !doc.success_content_type.empty()) {
    core::Json media = core::Json::object();
    if (doc.response_schema) media["schema"] = *doc.response_schema;
    success["content"] = {{doc.success_content_type, std::move(media)}};
  }
  core::Json responses = core::Json::object();
  responses[std::to_string(doc.success_status)] = std::move(success);
  responses["default"] = {
      {"description", "Error (RFC 9457 problem details)"},
      {"content", {{std::string(kProblemContentType), {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace

core::Json ProblemSchema() {
  return {
      {"type", "object"},
      {"required", {"type", "title", "status"}},
      {"properties",
       {{"type", {{"type", "string"}, {"format", "uri-reference"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"instance", {{"type", "string"}, {"format", "uri-reference"}}},
        {"code", {{"type", "string"}, {"description", "Stable machine-readable error code"}}},
        {"errors",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"pointer", "detail"}},
            {"properties",
             {{"pointer", {{"type", "string"}, {"description", "JSON Pointer (RFC 6901) into the request body"}}},
              {"detail", {{"type", "string"}}}}}}}}}}},
  };
}

core::Json RenderOpenApi(const Router& router, const OpenApiInfo& info) {
  core::Json doc = core::Json::object();
  doc["openapi"] = "3.1.0";
  core::Json i = {{"title", info.title}, {"version", info.version}};
  if (!info.description.empty()) i["description"] = info.description;
  doc["info"] = std::move(i);

  core::Json paths = core::Json::object();
  std::vector<std::string> tags;
  std::string key;
  for (const auto& route : router.routes()) {
    if (!OpenApiMethod(route->method, key)) continue;
    paths[route->pattern][key] = Operation(*route);
    if (!route->doc.tag.empty() && std::find(tags.begin(), tags.end(), route->doc.tag) == tags.end()) {
      tags.push_back(route->doc.tag);
    }
  }
  doc["paths"] = std::move(paths);
  if (!tags.empty()) {
    std::sort(tags.begin(), tags.end());
    core::Json t = core::Json::array();
    for (const auto& tag : tags) t.push_back({{"name", tag}});
    doc["tags"] = std::move(t);
  }
  doc["components"] = {{"schemas", {{"Problem", ProblemSchema()}}}};
  return doc;
}

}  // namespace amtsweg::http
