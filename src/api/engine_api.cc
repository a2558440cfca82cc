#include "api/engine_api.h"
#include "api/roles.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <set>

#include <fmt/format.h>

#include "api/multipart.h"
#include "api/schema.h"
#include "core/time.h"
#include "engine/engine.h"

namespace amtsweg::api {

using core::Json;

namespace {

constexpr std::string_view kPrefix = "/api/v1/tenants/{tenant}";
constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

std::string Path(std::string_view rest) { return std::string(kPrefix) + std::string(rest); }

// --- Cursors -----------------------------------------------------------------------

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kCursorTag = "c1:";

std::string Base64Url(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kB64[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kB64[(acc << (6 - bits)) & 0x3F];
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const char* p = std::char_traits<char>::find(kB64, 64, c);
    if (p == nullptr) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// --- Request parsing -------------------------------------------------------------------

core::Error BadField(std::string_view field, std::string_view what) {
  return core::InvalidArgument(fmt::format("field '{}' {}", field, what));
}
core::Error BadQuery(std::string_view param, std::string_view what) {
  return core::InvalidArgument(fmt::format("query parameter '{}' {}", param, what));
}

// The tenant path segment: 1..64 of [A-Za-z0-9._-].
core::Result<std::string> Tenant(const http::Request& req) {
  std::string_view t = req.PathParam("tenant");
  bool ok = !t.empty() && t.size() <= 64;
  for (char c : t) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  if (!ok) return core::InvalidArgument("path parameter 'tenant' must be 1 to 64 of A-Z a-z 0-9 . _ -");
  return std::string(t);
}

// The body as a JSON object; an empty body is {} when `allow_empty`.
core::Result<Json> JsonBody(const http::Request& req, bool allow_empty = false) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (allow_empty) return Json::object();
    return core::InvalidArgument("request body must be a JSON object");
  }
  auto j = core::ParseJson(req.body);
  if (!j.ok()) return core::InvalidArgument("request body is not valid JSON: " + j.error().message());
  if (!j->is_object()) return core::InvalidArgument("request body must be a JSON object");
  return std::move(*j);
}

core::Result<std::optional<std::string>> OptString(const Json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return BadField(field, "must be a string");
  return std::optional<std::string>(it->get<std::string>());
}

core::Result<std::string> ReqString(const Json& body, std::string_view field) {
  AW_ASSIGN_OR_RETURN(auto s, OptString(body, field));
  if (!s || s->empty()) return BadField(field, "is required (a non-empty string)");
  return std::move(*s);
}

core::Result<std::optional<int64_t>> OptInt(const Json& body, std::string_view field, int64_t min, int64_t max) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) return BadField(field, "must be an integer");
  int64_t v = it->get<int64_t>();
  if (v < min || v > max) return BadField(field, fmt::format("must be between {} and {}", min, max));
  return std::optional<int64_t>(v);
}

core::Result<Json> OptObject(const Json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return Json::object();
  if (!it->is_object()) return BadField(field, "must be a JSON object");
  return *it;
}

core::Result<int> QueryLimit(const http::Request& req) {
  auto v = req.QueryParam("limit");
  if (!v) return kDefaultLimit;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > kMaxLimit) {
    return BadQuery("limit", fmt::format("must be an integer between 1 and {}", kMaxLimit));
  }
  return n;
}

core::Result<std::string> QueryCursor(const http::Request& req) {
  auto v = req.QueryParam("cursor");
  if (!v || v->empty()) return std::string();
  return DecodeCursor(*v);
}

core::Result<bool> QueryBool(const http::Request& req, std::string_view name) {
  auto v = req.QueryParam(name);
  if (!v) return false;
  if (*v == "true" || v->empty()) return true;
  if (*v == "false") return false;
  return BadQuery(name, "must be true or false");
}

std::string QueryString(const http::Request& req, std::string_view name) {
  return req.QueryParam(name).value_or("");
}

// --- JSON of engine values ---------------------------------------------------------------

Json Time(core::Timestamp t) { return core::FormatIso8601(t); }
Json OptTime(const std::optional<core::Timestamp>& t) { return t ? Time(*t) : Json(nullptr); }

Json DefinitionJson(const engine::DefinitionInfo& d) {
  return {{"key", d.definition_key}, {"kind", d.kind},           {"id", d.id},
          {"version", d.version},    {"resourceName", d.resource_name}, {"deploymentKey", d.deployment_id},
          {"createdAt", Time(d.created)}};
}

Json InstanceSummaryJson(const engine::InstanceSummary& i) {
  return {{"instanceId", i.instance_id},
          {"processId", i.process_id},
          {"version", i.version},
          {"definitionKey", i.definition_key},
          {"state", i.state},
          {"parentInstanceId", i.parent_instance_id.empty() ? Json(nullptr) : Json(i.parent_instance_id)},
          {"startedAt", Time(i.started)},
          {"endedAt", OptTime(i.ended)}};
}

Json UserTaskJson(const engine::UserTask& t) {
  return {{"taskId", t.task_id},
          {"processInstanceId", t.instance_id},
          {"elementId", t.element_id},
          {"name", t.name},
          {"state", "created"},
          {"assignee", t.assignee ? Json(*t.assignee) : Json(nullptr)},
          {"candidateGroups", t.candidate_groups},
          {"candidateUsers", t.candidate_users},
          {"dueDate", OptTime(t.due)},
          {"followUpDate", OptTime(t.follow_up)},
          {"formKey", t.form_key},
          {"createdAt", Time(t.created)}};
}

Json IncidentJson(const engine::Incident& i) {
  return {{"incidentId", i.incident_id}, {"processInstanceId", i.instance_id}, {"elementId", i.element_id},
          {"kind", i.kind},              {"message", i.message},
          {"jobId", i.job_id ? Json(*i.job_id) : Json(nullptr)}};
}

Json JobJson(const engine::ActivatedJob& j) {
  return {{"jobId", j.job_id},
          {"type", j.type},
          {"processInstanceId", j.instance_id},
          {"elementId", j.element_id},
          {"elementInstanceKey", j.element_key},
          {"retries", j.retries},
          {"deadline", Time(j.deadline)},
          {"variables", j.variables},
          {"customHeaders", j.headers}};
}

Json Page(Json items, const std::string& next_after) {
  return {{"items", std::move(items)}, {"nextCursor", next_after.empty() ? Json(nullptr) : Json(EncodeCursor(next_after))}};
}

// --- OpenAPI schemas -----------------------------------------------------------------

using schema::ArrayOf;
using schema::Nullable;
using schema::Obj;
using schema::S;
Json Vars() { return {{"type", "object"}, {"description", "variables (a JSON object)"}, {"additionalProperties", true}}; }

Json DefinitionSchema() {
  return Obj({{"key", S("string", "definition key")},
              {"kind", S("string", "process | decision | form")},
              {"id", S("string", "BPMN process id, DMN decision id or form id")},
              {"version", S("integer")},
              {"resourceName", S("string")},
              {"deploymentKey", S("string")},
              {"createdAt", S("string")}},
             {"key", "kind", "id", "version"});
}
Json InstanceSummarySchema() {
  return Obj({{"instanceId", S("string")},
              {"processId", S("string")},
              {"version", S("integer")},
              {"definitionKey", S("string")},
              {"state", S("string", "active | completed | terminated")},
              {"parentInstanceId", Nullable("string")},
              {"startedAt", S("string")},
              {"endedAt", Nullable("string")}},
             {"instanceId", "processId", "version", "state"});
}
Json UserTaskSchema() {
  return Obj({{"taskId", S("string")},
              {"processInstanceId", S("string")},
              {"elementId", S("string")},
              {"name", S("string")},
              {"state", S("string", "created (open tasks only)")},
              {"assignee", Nullable("string")},
              {"candidateGroups", ArrayOf(S("string"))},
              {"candidateUsers", ArrayOf(S("string"))},
              {"dueDate", Nullable("string")},
              {"followUpDate", Nullable("string")},
              {"formKey", S("string")},
              {"createdAt", S("string")}},
             {"taskId", "processInstanceId", "elementId"});
}
Json IncidentSchema() {
  return Obj({{"incidentId", S("string")},
              {"processInstanceId", S("string")},
              {"elementId", S("string")},
              {"kind", S("string")},
              {"message", S("string")},
              {"jobId", Nullable("string")}},
             {"incidentId", "processInstanceId", "elementId", "kind"});
}
Json PageSchema(Json item) {
  return Obj({{"items", ArrayOf(std::move(item))},
              {"nextCursor", {{"type", Json::array({"string", "null"})},
                              {"description", "pass as `cursor` for the next page; null on the last page"}}}},
             {"items", "nextCursor"});
}

http::ParamDoc TenantParam() { return {.name = "tenant", .description = "tenant id"}; }
http::ParamDoc IdParam(std::string name, std::string description) {
  return {.name = std::move(name), .description = std::move(description)};
}
std::vector<http::ParamDoc> PageParams() {
  return {{.name = "limit", .description = "page size, 1..1000 (default 100)", .type = "integer"},
          {.name = "cursor", .description = "nextCursor of the previous page"}};
}

// --- Responding ------------------------------------------------------------------------

// An answer for a command that returns nothing: 204, or its error.
void RespondStatus(const http::Responder& respond, core::Status s) {
  if (!s.ok()) return respond(std::move(s).error());
  respond(http::Response::NoContent());
}

core::Result<http::Response> NoContentOr(core::Status s) {
  if (!s.ok()) return std::move(s).error();
  return http::Response::NoContent();
}

// --- Deployments -------------------------------------------------------------------

core::Result<std::vector<engine::Resource>> DeploymentResources(const http::Request& req) {
  std::vector<engine::Resource> out;
  std::string_view content_type = req.Header("Content-Type").value_or("");
  if (content_type.substr(0, 10) == "multipart/") {
    std::optional<std::string> boundary = MultipartBoundary(content_type);
    if (!boundary) return core::InvalidArgument("Content-Type: multipart/form-data needs a boundary parameter");
    AW_ASSIGN_OR_RETURN(auto parts, ParseMultipart(req.body, *boundary));
    for (MultipartPart& p : parts) {
      if (!p.filename || p.filename->empty()) {
        return core::InvalidArgument(fmt::format("multipart part '{}' is not a file (it has no filename)", p.name));
      }
      out.push_back({std::move(*p.filename), std::move(p.body)});
    }
  } else {
    AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
    auto it = body.find("resources");
    if (it == body.end() || !it->is_array()) return BadField("resources", "is required (an array of {name, content})");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& r = (*it)[i];
      std::string at = fmt::format("resources[{}]", i);
      if (!r.is_object()) return BadField(at, "must be an object {name, content}");
      auto name = ReqString(r, "name");
      if (!name.ok()) return BadField(at + ".name", "is required (a non-empty string)");
      auto content = r.find("content");
      if (content == r.end() || !content->is_string()) return BadField(at + ".content", "is required (a string)");
      out.push_back({std::move(*name), content->get<std::string>()});
    }
  }
  if (out.empty()) return core::InvalidArgument("a deployment needs at least one resource (*.bpmn, *.dmn, *.form)");
  std::set<std::string> names;
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string& n = out[i].name;
    bool known = n.ends_with(".bpmn") || n.ends_with(".bpmn20.xml") || n.ends_with(".dmn") || n.ends_with(".form");
    if (!known) {
      return BadField(fmt::format("resources[{}].name", i),
                      fmt::format("'{}' has an unknown kind (expected *.bpmn, *.dmn or *.form)", n));
    }
    if (!names.insert(n).second) {
      return BadField(fmt::format("resources[{}].name", i), fmt::format("'{}' is used twice in one deployment", n));
    }
  }
  return out;
}

// A model the engine refuses becomes 422 with one `errors` entry per element.
core::Error DeploymentRefused(core::Error e) {
  if (e.code() != core::ErrorCode::kInvalidArgument && e.code() != core::ErrorCode::kUnimplemented) return e;
  std::vector<core::FieldError> details = e.details();
  for (auto& d : details) {
    if (d.pointer.empty()) d.pointer = "/";
  }
  if (details.empty()) details.push_back({"/", e.message()});
  return core::InvalidArgument("deployment refused: " + e.message(), std::move(details));
}

void RegisterDeploymentRoutes(http::Router& router, engine::Engine& engine) {
  Json file_schema = Obj({{"resources", ArrayOf(Obj({{"name", S("string", "file name: *.bpmn, *.dmn or *.form")},
                                                     {"content", S("string", "the file's text")}},
                                                    {"name", "content"}))}},
                         {"resources"});
  Json multipart_schema = {{"type", "object"},
                           {"additionalProperties", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}},
                           {"description", "one file part per resource (its filename decides the kind)"}};
  router.Post(
      Path("/deployments"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(auto resources, DeploymentResources(req));
        auto d = engine.Deploy(tenant, resources);
        if (!d.ok()) return DeploymentRefused(std::move(d).error());
        Json defs = Json::array();
        for (const auto& def : d->definitions) {
          defs.push_back({{"key", def.definition_key},
                          {"kind", def.kind},
                          {"id", def.id},
                          {"version", def.version},
                          {"isNew", def.is_new}});
        }
        return http::Response::Json({{"deploymentKey", d->deployment_id}, {"tenantId", tenant}, {"definitions", defs}},
                                    201);
      },
      {.summary = "Deploy BPMN, DMN and form files",
       .description = "multipart/form-data with one file part per resource, or JSON {resources:[{name, content}]}. "
                      "Each executable process, decision and form gets a new version unless the same file was "
                      "deployed last. 422: a model the engine refuses, with one error per element id.",
       .tag = "deployments",
       .operation_id = "createDeployment",
       .path_params = {TenantParam()},
       .response_schema = Obj({{"deploymentKey", S("string")},
                               {"tenantId", S("string")},
                               {"definitions", ArrayOf(Obj({{"key", S("string")},
                                                            {"kind", S("string")},
                                                            {"id", S("string")},
                                                            {"version", S("integer")},
                                                            {"isNew", S("boolean")}}))}},
                              {"deploymentKey", "definitions"}),
       .success_status = 201,
       .request_content = Json{{"multipart/form-data", {{"schema", multipart_schema}}},
                               {"application/json", {{"schema", file_schema}}}},
       .roles = roles::Designers()},
      {.max_body_bytes = 32 * 1024 * 1024});

  router.Get(
      Path("/process-definitions"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        engine::DefinitionFilter f;
        f.id = QueryString(req, "processId");
        AW_ASSIGN_OR_RETURN(f.latest_only, QueryBool(req, "latest"));
        AW_ASSIGN_OR_RETURN(auto defs, engine.ListDefinitions(tenant, f));
        Json items = Json::array();
        for (const auto& d : defs) items.push_back(DefinitionJson(d));
        return http::Response::Json({{"items", items}});
      },
      {.summary = "List process definitions",
       .description = "Ordered by process id and version.",
       .tag = "process-definitions",
       .operation_id = "listProcessDefinitions",
       .path_params = {TenantParam()},
       .query_params = {{.name = "processId", .description = "only this BPMN process id"},
                        {.name = "latest", .description = "only the latest version of each process", .type = "boolean"}},
       .response_schema = Obj({{"items", ArrayOf(DefinitionSchema())}}, {"items"}),
       .roles = roles::Anyone()});

  auto process_definition = [&engine](const http::Request& req) -> core::Result<engine::DefinitionInfo> {
    AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
    std::string key(req.PathParam("key"));
    AW_ASSIGN_OR_RETURN(auto d, engine.GetDefinition(tenant, key));
    if (d.kind != "process") return core::NotFound("no process definition " + key);
    return d;
  };
  router.Get(
      Path("/process-definitions/{key}"),
      [process_definition](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto d, process_definition(req));
        return http::Response::Json(DefinitionJson(d));
      },
      {.summary = "Get a process definition",
       .tag = "process-definitions",
       .operation_id = "getProcessDefinition",
       .path_params = {TenantParam(), IdParam("key", "definition key")},
       .response_schema = DefinitionSchema(),
       .roles = roles::Anyone()});

  router.Get(
      Path("/process-definitions/{key}/xml"),
      [&engine, process_definition](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(auto d, process_definition(req));
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(std::string xml, engine.DefinitionResource(tenant, d.definition_key));
        return http::Response::Bytes(std::move(xml), "application/xml");
      },
      {.summary = "Download the deployed BPMN file",
       .description = "The file as deployed, byte for byte (diagram interchange included).",
       .tag = "process-definitions",
       .operation_id = "getProcessDefinitionXml",
       .path_params = {TenantParam(), IdParam("key", "definition key")},
       .response_schema = S("string"),
       .success_content_type = "application/xml",
       .roles = roles::Anyone()});

  // Every kind deployed (BPMN, DMN, forms): the designer's lists and editors.
  router.Get(
      Path("/definitions"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        engine::DefinitionFilter f;
        f.kind = QueryString(req, "kind");
        if (!f.kind.empty() && f.kind != "process" && f.kind != "decision" && f.kind != "form") {
          return core::InvalidArgument("invalid query", {{"/kind", "process, decision or form"}});
        }
        f.id = QueryString(req, "id");
        AW_ASSIGN_OR_RETURN(f.latest_only, QueryBool(req, "latest"));
        AW_ASSIGN_OR_RETURN(auto defs, engine.ListDefinitions(tenant, f));
        Json items = Json::array();
        for (const auto& d : defs) items.push_back(DefinitionJson(d));
        return http::Response::Json({{"items", items}});
      },
      {.summary = "List deployed definitions of every kind",
       .description = "Processes (BPMN), decisions (DMN) and forms (form-js), ordered by kind, id and version.",
       .tag = "process-definitions",
       .operation_id = "listDefinitions",
       .path_params = {TenantParam()},
       .query_params = {{.name = "kind", .description = "process, decision or form (default: all)"},
                        {.name = "id", .description = "only this process, decision or form id"},
                        {.name = "latest", .description = "only the latest version of each id", .type = "boolean"}},
       .response_schema = Obj({{"items", ArrayOf(DefinitionSchema())}}, {"items"}),
       .roles = roles::Anyone()});
  router.Get(
      Path("/definitions/{key}/resource"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        std::string key(req.PathParam("key"));
        AW_ASSIGN_OR_RETURN(auto d, engine.GetDefinition(tenant, key));
        AW_ASSIGN_OR_RETURN(std::string file, engine.DefinitionResource(tenant, d.definition_key));
        return http::Response::Bytes(std::move(file), d.kind == "form" ? "application/json" : "application/xml");
      },
      {.summary = "Download the deployed file of a definition",
       .description = "The BPMN, DMN or form file as deployed, byte for byte.",
       .tag = "process-definitions",
       .operation_id = "getDefinitionResource",
       .path_params = {TenantParam(), IdParam("key", "definition key")},
       .response_schema = S("string"),
       .success_content_type = "application/octet-stream",
       .roles = roles::Anyone()});
}

// --- Process instances -------------------------------------------------------------

void RegisterInstanceRoutes(http::Router& router, engine::Engine& engine) {
  router.PostAsync(
      Path("/process-instances"),
      [&engine](http::Request& req, http::Responder respond) {
        auto parsed = [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
          AW_ASSIGN_OR_RETURN(std::string process_id, ReqString(body, "processId"));
          AW_ASSIGN_OR_RETURN(auto version, OptInt(body, "version", 1, INT32_MAX));
          AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
          std::optional<int> v;
          if (version) v = static_cast<int>(*version);
          std::string location = fmt::format("/api/v1/tenants/{}/process-instances/", tenant);
          engine.StartInstanceAsync(std::move(tenant), process_id, std::move(variables), v,
                                    [respond, process_id, location](core::Result<std::string> id) {
                                      if (!id.ok()) return respond(std::move(id).error());
                                      Json out = {{"instanceId", *id}, {"processId", process_id}};
                                      respond(http::Response::Json(out, 201).WithHeader("Location", location + *id));
                                    });
          return core::OkStatus();
        }();
        if (!parsed.ok()) respond(std::move(parsed).error());
      },
      {.summary = "Start a process instance",
       .description = "Starts the latest (or the given) version and runs it to its first wait states; answers "
                      "after the start is durable.",
       .tag = "process-instances",
       .operation_id = "createProcessInstance",
       .path_params = {TenantParam()},
       .request_schema = Obj({{"processId", S("string", "BPMN process id")},
                              {"version", S("integer", "a deployed version; default: the latest")},
                              {"variables", Vars()}},
                             {"processId"}),
       .response_schema = Obj({{"instanceId", S("string")}, {"processId", S("string")}}, {"instanceId"}),
       .success_status = 201,
       .roles = roles::Starters()},
      {.max_body_bytes = 4 * 1024 * 1024});

  router.Get(
      Path("/process-instances"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        engine::InstanceFilter f;
        f.process_id = QueryString(req, "processId");
        f.state = QueryString(req, "state");
        if (!f.state.empty() && f.state != "active" && f.state != "completed" && f.state != "terminated") {
          return BadQuery("state", "must be active, completed or terminated");
        }
        AW_ASSIGN_OR_RETURN(f.limit, QueryLimit(req));
        AW_ASSIGN_OR_RETURN(f.after, QueryCursor(req));
        AW_ASSIGN_OR_RETURN(auto page, engine.ListInstances(tenant, f));
        Json items = Json::array();
        for (const auto& i : page.items) items.push_back(InstanceSummaryJson(i));
        return http::Response::Json(Page(std::move(items), page.next_after));
      },
      [] {
        http::RouteDoc d{.summary = "List process instances",
                         .description = "Ordered by instance id (creation order); cursor pagination.",
                         .tag = "process-instances",
                         .operation_id = "listProcessInstances",
                         .path_params = {TenantParam()},
                         .query_params = {{.name = "processId", .description = "only this BPMN process id"},
                                          {.name = "state", .description = "active | completed | terminated"}},
                         .response_schema = PageSchema(InstanceSummarySchema()),
       .roles = roles::Anyone()};
        for (auto& p : PageParams()) d.query_params.push_back(p);
        return d;
      }());

  router.Get(
      Path("/process-instances/{id}"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(auto info, engine.GetInstance(tenant, req.PathParam("id")));
        return http::Response::Json({{"instanceId", info.instance_id},
                                     {"processId", info.process_id},
                                     {"version", info.version},
                                     {"state", info.state},
                                     {"activeElements", info.active_elements},
                                     {"variables", info.variables}});
      },
      {.summary = "Get a process instance",
       .description = "State, the ids of its active elements and its process variables.",
       .tag = "process-instances",
       .operation_id = "getProcessInstance",
       .path_params = {TenantParam(), IdParam("id", "process instance id")},
       .response_schema = Obj({{"instanceId", S("string")},
                               {"processId", S("string")},
                               {"version", S("integer")},
                               {"state", S("string")},
                               {"activeElements", ArrayOf(S("string"))},
                               {"variables", Vars()}},
                              {"instanceId", "state"}),
       .roles = roles::Anyone()});

  router.Post(
      Path("/process-instances/{id}/cancellation"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        return NoContentOr(engine.CancelInstance(tenant, req.PathParam("id")));
      },
      {.summary = "Cancel a process instance",
       .description = "Terminates every element; 409 when the instance is not active or was started by a call "
                      "activity.",
       .tag = "process-instances",
       .operation_id = "cancelProcessInstance",
       .path_params = {TenantParam(), IdParam("id", "process instance id")},
       .success_status = 204,
       .roles = roles::CaseWorkers()});

  router.Get(
      Path("/process-instances/{id}/variables"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(auto info, engine.GetInstance(tenant, req.PathParam("id")));
        return http::Response::Json({{"variables", info.variables}});
      },
      {.summary = "Get the process variables of an instance",
       .tag = "process-instances",
       .operation_id = "getProcessInstanceVariables",
       .path_params = {TenantParam(), IdParam("id", "process instance id")},
       .response_schema = Obj({{"variables", Vars()}}, {"variables"}),
       .roles = roles::Anyone()});

  router.Patch(
      Path("/process-instances/{id}/variables"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        if (!body.contains("variables")) return BadField("variables", "is required (a JSON object)");
        AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
        return NoContentOr(engine.SetVariables(tenant, req.PathParam("id"), variables));
      },
      {.summary = "Set process variables of an active instance",
       .description = "Each given variable is created or replaced in the process scope.",
       .tag = "process-instances",
       .operation_id = "updateProcessInstanceVariables",
       .path_params = {TenantParam(), IdParam("id", "process instance id")},
       .request_schema = Obj({{"variables", Vars()}}, {"variables"}),
       .success_status = 204,
       .roles = roles::CaseWorkers()});

  router.Get(
      Path("/process-instances/{id}/history"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        std::string id(req.PathParam("id"));
        AW_ASSIGN_OR_RETURN(auto events, engine.History(tenant, id));
        // Every instance has at least its instance_started event.
        if (events.empty()) return core::NotFound("no process instance " + id);
        Json items = Json::array();
        for (const auto& e : events) {
          items.push_back({{"seq", e.seq},
                           {"at", Time(e.at)},
                           {"event", e.event},
                           {"elementId", e.element_id},
                           {"elementKey", e.element_key},
                           {"data", e.data}});
        }
        return http::Response::Json({{"items", items}});
      },
      {.summary = "History (event log) of a process instance",
       .tag = "process-instances",
       .operation_id = "getProcessInstanceHistory",
       .path_params = {TenantParam(), IdParam("id", "process instance id")},
       .response_schema = Obj({{"items", ArrayOf(Obj({{"seq", S("integer")},
                                                      {"at", S("string")},
                                                      {"event", S("string")},
                                                      {"elementId", S("string")},
                                                      {"elementKey", S("integer")},
                                                      {"data", {{"description", "event details"}}}}))}},
                              {"items"}),
       .roles = roles::Anyone()});
}

// --- User tasks ------------------------------------------------------------------------

void RegisterUserTaskRoutes(http::Router& router, engine::Engine& engine) {
  router.Get(
      Path("/user-tasks"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        engine::UserTaskFilter f;
        f.assignee = QueryString(req, "assignee");
        f.candidate_group = QueryString(req, "candidateGroup");
        f.instance_id = QueryString(req, "processInstanceId");
        std::string state = QueryString(req, "state");
        if (!state.empty() && state != "created") {
          return BadQuery("state", "must be created: completed and cancelled tasks are in the instance history");
        }
        AW_ASSIGN_OR_RETURN(f.limit, QueryLimit(req));
        AW_ASSIGN_OR_RETURN(f.after, QueryCursor(req));
        AW_ASSIGN_OR_RETURN(auto page, engine.ListUserTasksPage(tenant, f));
        Json items = Json::array();
        for (const auto& t : page.items) items.push_back(UserTaskJson(t));
        return http::Response::Json(Page(std::move(items), page.next_after));
      },
      [] {
        http::RouteDoc d{.summary = "List open user tasks",
                         .description = "Ordered by task id (creation order); cursor pagination. Every given "
                                        "filter must match.",
                         .tag = "user-tasks",
                         .operation_id = "listUserTasks",
                         .path_params = {TenantParam()},
                         .query_params = {{.name = "assignee", .description = "assigned to this user"},
                                          {.name = "candidateGroup", .description = "this group is a candidate"},
                                          {.name = "state", .description = "created (the only state listed)"},
                                          {.name = "processInstanceId", .description = "of this instance"}},
                         .response_schema = PageSchema(UserTaskSchema()),
       .roles = roles::Anyone()};
        for (auto& p : PageParams()) d.query_params.push_back(p);
        return d;
      }());

  router.Get(
      Path("/user-tasks/{id}"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(auto t, engine.GetUserTask(tenant, req.PathParam("id")));
        return http::Response::Json(UserTaskJson(t));
      },
      {.summary = "Get an open user task",
       .tag = "user-tasks",
       .operation_id = "getUserTask",
       .path_params = {TenantParam(), IdParam("id", "user task id")},
       .response_schema = UserTaskSchema(),
       .roles = roles::Anyone()});

  router.Post(
      Path("/user-tasks/{id}/assignment"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string assignee, ReqString(body, "assignee"));
        return NoContentOr(engine.ClaimUserTask(tenant, req.PathParam("id"), assignee));
      },
      {.summary = "Assign (claim) a user task",
       .description = "409 when someone else holds the task (unassign it first).",
       .tag = "user-tasks",
       .operation_id = "assignUserTask",
       .path_params = {TenantParam(), IdParam("id", "user task id")},
       .request_schema = Obj({{"assignee", S("string")}}, {"assignee"}),
       .success_status = 204,
       .roles = roles::Assigners()});

  router.Delete(
      Path("/user-tasks/{id}/assignee"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        return NoContentOr(engine.UnclaimUserTask(tenant, req.PathParam("id")));
      },
      {.summary = "Unassign a user task",
       .tag = "user-tasks",
       .operation_id = "unassignUserTask",
       .path_params = {TenantParam(), IdParam("id", "user task id")},
       .success_status = 204,
       .roles = roles::Assigners()});

  router.PostAsync(
      Path("/user-tasks/{id}/completion"),
      [&engine](http::Request& req, http::Responder respond) {
        auto parsed = [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req, true));
          AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
          engine.CompleteUserTaskAsync(std::move(tenant), std::string(req.PathParam("id")), std::move(variables),
                                       [respond](core::Status s) { RespondStatus(respond, std::move(s)); });
          return core::OkStatus();
        }();
        if (!parsed.ok()) respond(std::move(parsed).error());
      },
      {.summary = "Complete a user task",
       .description = "The variables propagate to the instance as in Zeebe; answers after the completion is "
                      "durable.",
       .tag = "user-tasks",
       .operation_id = "completeUserTask",
       .path_params = {TenantParam(), IdParam("id", "user task id")},
       .request_schema = Obj({{"variables", Vars()}}),
       .success_status = 204,
       .roles = roles::CaseWorkers()});
}

// --- Jobs, messages, incidents ---------------------------------------------------------

void RegisterJobRoutes(http::Router& router, engine::Engine& engine) {
  router.Post(
      Path("/jobs/activation"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string type, ReqString(body, "type"));
        AW_ASSIGN_OR_RETURN(auto worker, OptString(body, "worker"));
        AW_ASSIGN_OR_RETURN(auto max_jobs, OptInt(body, "maxJobs", 1, kMaxLimit));
        AW_ASSIGN_OR_RETURN(auto timeout, OptInt(body, "timeout", 1, int64_t{24} * 3600 * 1000));
        AW_ASSIGN_OR_RETURN(auto jobs, engine.ActivateJobs(tenant, type, worker.value_or("default"),
                                                           static_cast<int>(max_jobs.value_or(10)),
                                                           std::chrono::milliseconds(timeout.value_or(300'000))));
        Json out = Json::array();
        for (const auto& j : jobs) out.push_back(JobJson(j));
        return http::Response::Json({{"jobs", out}});
      },
      {.summary = "Activate jobs for an external worker",
       .description = "Locks up to maxJobs activatable jobs of the type until now + timeout; answers at once "
                      "(no long polling), possibly with no jobs.",
       .tag = "jobs",
       .operation_id = "activateJobs",
       .path_params = {TenantParam()},
       .request_schema = Obj({{"type", S("string", "job type")},
                              {"worker", S("string", "worker name (default: default)")},
                              {"maxJobs", S("integer", "1..1000, default 10")},
                              {"timeout", S("integer", "lock timeout in ms, default 300000")}},
                             {"type"}),
       .response_schema = Obj({{"jobs", ArrayOf(Obj({{"jobId", S("string")},
                                                      {"type", S("string")},
                                                      {"processInstanceId", S("string")},
                                                      {"elementId", S("string")},
                                                      {"elementInstanceKey", S("integer")},
                                                      {"retries", S("integer")},
                                                      {"deadline", S("string")},
                                                      {"variables", Vars()},
                                                      {"customHeaders", S("object")}}))}},
                              {"jobs"}),
       .roles = roles::Designers()});

  router.PostAsync(
      Path("/jobs/{id}/completion"),
      [&engine](http::Request& req, http::Responder respond) {
        auto parsed = [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req, true));
          AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
          engine.CompleteJobAsync(std::move(tenant), std::string(req.PathParam("id")), std::move(variables),
                                  [respond](core::Status s) { RespondStatus(respond, std::move(s)); });
          return core::OkStatus();
        }();
        if (!parsed.ok()) respond(std::move(parsed).error());
      },
      {.summary = "Complete a job",
       .description = "409 when the job is not activated; answers after the completion is durable.",
       .tag = "jobs",
       .operation_id = "completeJob",
       .path_params = {TenantParam(), IdParam("id", "job id")},
       .request_schema = Obj({{"variables", Vars()}}),
       .success_status = 204,
       .roles = roles::Designers()});

  router.Post(
      Path("/jobs/{id}/failure"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(auto retries, OptInt(body, "retries", 0, 1'000'000));
        if (!retries) return BadField("retries", "is required (an integer >= 0)");
        AW_ASSIGN_OR_RETURN(auto message, OptString(body, "errorMessage"));
        AW_ASSIGN_OR_RETURN(auto backoff, OptInt(body, "retryBackOff", 0, int64_t{30} * 24 * 3600 * 1000));
        return NoContentOr(engine.FailJob(tenant, req.PathParam("id"), static_cast<int>(*retries),
                                          message.value_or(""), std::chrono::milliseconds(backoff.value_or(0))));
      },
      {.summary = "Fail a job",
       .description = "With retries > 0 the job is activatable again after retryBackOff ms; with 0 an incident is "
                      "raised.",
       .tag = "jobs",
       .operation_id = "failJob",
       .path_params = {TenantParam(), IdParam("id", "job id")},
       .request_schema = Obj({{"retries", S("integer", "retries left")},
                              {"errorMessage", S("string")},
                              {"retryBackOff", S("integer", "ms before the next activation")}},
                             {"retries"}),
       .success_status = 204,
       .roles = roles::Designers()});

  router.Post(
      Path("/jobs/{id}/error"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string code, ReqString(body, "errorCode"));
        AW_ASSIGN_OR_RETURN(auto message, OptString(body, "errorMessage"));
        AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
        return NoContentOr(engine.ThrowJobError(tenant, req.PathParam("id"), code, message.value_or(""), variables));
      },
      {.summary = "Throw a BPMN error from a job",
       .description = "The nearest error boundary event that matches errorCode takes it; otherwise an incident is "
                      "raised.",
       .tag = "jobs",
       .operation_id = "throwJobError",
       .path_params = {TenantParam(), IdParam("id", "job id")},
       .request_schema = Obj({{"errorCode", S("string")}, {"errorMessage", S("string")}, {"variables", Vars()}},
                             {"errorCode"}),
       .success_status = 204,
       .roles = roles::Designers()});

  router.Patch(
      Path("/jobs/{id}"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(auto retries, OptInt(body, "retries", 0, 1'000'000));
        if (!retries) return BadField("retries", "is required (an integer >= 0)");
        return NoContentOr(engine.UpdateJobRetries(tenant, req.PathParam("id"), static_cast<int>(*retries)));
      },
      {.summary = "Update a job's retries",
       .description = "Set retries before resolving a job_no_retries incident.",
       .tag = "jobs",
       .operation_id = "updateJob",
       .path_params = {TenantParam(), IdParam("id", "job id")},
       .request_schema = Obj({{"retries", S("integer")}}, {"retries"}),
       .success_status = 204,
       .roles = roles::Designers()});

  router.PostAsync(
      Path("/messages/publication"),
      [&engine](http::Request& req, http::Responder respond) {
        auto parsed = [&]() -> core::Status {
          AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
          AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
          AW_ASSIGN_OR_RETURN(std::string name, ReqString(body, "name"));
          AW_ASSIGN_OR_RETURN(auto key, OptString(body, "correlationKey"));
          AW_ASSIGN_OR_RETURN(auto ttl, OptInt(body, "timeToLive", 0, int64_t{365} * 24 * 3600 * 1000));
          AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
          engine.PublishMessageAsync(std::move(tenant), std::move(name), key.value_or(""), std::move(variables),
                                     std::chrono::milliseconds(ttl.value_or(0)),
                                     [respond](core::Result<engine::PublishResult> r) {
                                       if (!r.ok()) return respond(std::move(r).error());
                                       respond(http::Response::Json({{"messageKey", r->message_id},
                                                                     {"correlated", r->correlated},
                                                                     {"buffered", r->buffered}}));
                                     });
          return core::OkStatus();
        }();
        if (!parsed.ok()) respond(std::move(parsed).error());
      },
      {.summary = "Publish a message",
       .description = "Completes every waiting subscription with this name and correlation key; if none waits "
                      "and timeToLive > 0 the message is buffered for subscriptions opened before it expires.",
       .tag = "messages",
       .operation_id = "publishMessage",
       .path_params = {TenantParam()},
       .request_schema = Obj({{"name", S("string")},
                              {"correlationKey", S("string")},
                              {"timeToLive", S("integer", "ms, default 0 (not buffered)")},
                              {"variables", Vars()}},
                             {"name"}),
       .response_schema = Obj({{"messageKey", S("string")},
                               {"correlated", S("integer", "subscriptions completed")},
                               {"buffered", S("boolean")}},
                              {"messageKey", "correlated", "buffered"}),
       .roles = roles::Starters()});

  // Signals are rare (a broadcast to a tenant's processes), so the handler
  // waits for the commit on its server thread instead of answering async.
  router.Post(
      Path("/signals/broadcast"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
        AW_ASSIGN_OR_RETURN(std::string name, ReqString(body, "signalName"));
        AW_ASSIGN_OR_RETURN(Json variables, OptObject(body, "variables"));
        AW_ASSIGN_OR_RETURN(engine::SignalResult r, engine.BroadcastSignal(tenant, name, variables));
        return http::Response::Json(
            {{"triggeredCatchEvents", r.triggered_catch_events}, {"startedInstances", r.started_instances}});
      },
      {.summary = "Broadcast a signal",
       .description = "Every waiting signal catch event of the tenant with this name is triggered, and every "
                      "process whose latest version has a signal start event of this name starts.",
       .tag = "signals",
       .operation_id = "broadcastSignal",
       .path_params = {TenantParam()},
       .request_schema = Obj({{"signalName", S("string")}, {"variables", Vars()}}, {"signalName"}),
       .response_schema = Obj({{"triggeredCatchEvents", S("integer")}, {"startedInstances", S("integer")}},
                              {"triggeredCatchEvents", "startedInstances"}),
       .roles = roles::Designers()});

  router.Get(
      Path("/incidents"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        engine::IncidentFilter f;
        f.instance_id = QueryString(req, "processInstanceId");
        AW_ASSIGN_OR_RETURN(f.limit, QueryLimit(req));
        AW_ASSIGN_OR_RETURN(f.after, QueryCursor(req));
        AW_ASSIGN_OR_RETURN(auto page, engine.ListIncidentsPage(tenant, f));
        Json items = Json::array();
        for (const auto& i : page.items) items.push_back(IncidentJson(i));
        return http::Response::Json(Page(std::move(items), page.next_after));
      },
      [] {
        http::RouteDoc d{.summary = "List open incidents",
                         .tag = "incidents",
                         .operation_id = "listIncidents",
                         .path_params = {TenantParam()},
                         .query_params = {{.name = "processInstanceId", .description = "of this instance"}},
                         .response_schema = PageSchema(IncidentSchema()),
       .roles = roles::Anyone()};
        for (auto& p : PageParams()) d.query_params.push_back(p);
        return d;
      }());

  router.Post(
      Path("/incidents/{id}/resolution"),
      [&engine](http::Request& req) -> core::Result<http::Response> {
        AW_ASSIGN_OR_RETURN(std::string tenant, Tenant(req));
        return NoContentOr(engine.ResolveIncident(tenant, req.PathParam("id")));
      },
      {.summary = "Resolve an incident",
       .description = "Expression incidents retry the failed step; job incidents make the job activatable again "
                      "(update its retries first, else 409).",
       .tag = "incidents",
       .operation_id = "resolveIncident",
       .path_params = {TenantParam(), IdParam("id", "incident id")},
       .success_status = 204,
       .roles = roles::Designers()});
}

}  // namespace

std::string EncodeCursor(std::string_view last_id) { return Base64Url(std::string(kCursorTag) + std::string(last_id)); }

core::Result<std::string> DecodeCursor(std::string_view cursor) {
  auto raw = FromBase64Url(cursor);
  if (!raw || !raw->starts_with(kCursorTag) || raw->size() == kCursorTag.size()) {
    return BadQuery("cursor", "is not a cursor this API issued (pass nextCursor of the previous page)");
  }
  return raw->substr(kCursorTag.size());
}

void RegisterEngineRoutes(http::Router& router, engine::Engine& engine) {
  RegisterDeploymentRoutes(router, engine);
  RegisterInstanceRoutes(router, engine);
  RegisterUserTaskRoutes(router, engine);
  RegisterJobRoutes(router, engine);
}

}  // namespace amtsweg::api
