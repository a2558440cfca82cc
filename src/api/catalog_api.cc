#include "api/catalog_api.h"
#include "api/roles.h"

#include <charconv>

#include "api/json_body.h"

namespace amtsweg::api {

using core::Json;
using http::Request;
using http::Response;

namespace {

http::ParamDoc P(const char* name, const char* description) { return {.name = name, .description = description}; }

core::Result<Response> Created(core::Result<Json> r) {
  if (!r.ok()) return std::move(r).error();
  return Response::Json(*r, 201);
}

core::Result<Response> Ok(core::Result<Json> r) {
  if (!r.ok()) return std::move(r).error();
  return Response::Json(*r);
}

}  // namespace

void RegisterCatalogRoutes(http::Router& router, catalog::Catalog& cat) {
  const std::string tag = "catalog";
  auto tenant = P("tenant", "tenant id (slug), e.g. amt-musterland");

  router.Post("/api/v1/tenants",
              [&cat](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
                if (body.is_object() && body.value("id", Json()) == Json(auth::kPlatformTenant)) {
                  return core::InvalidArgument("tenant is invalid",
                                               {{"/id", "'platform' is reserved for the platform operator's accounts"}});
                }
                return Created(cat.CreateTenant(body));
              },
              {.summary = "Create a tenant (municipality)",
               .description = "Platform operator only (an account of the tenant 'platform', made with `amtsweg user "
                              "add --operator`); a municipality's administrator gets 403. type Gemeinde, Amt, Stadt or "
                              "Kreis; ars: 12-digit Amtlicher Regionalschlüssel matching the type; address, contact, "
                              "portal colours and logo.",
               .tag = tag, .success_status = 201,
       .roles = roles::Operators()});
  router.Get("/api/v1/tenants", [&cat](Request&) { return Ok(cat.ListTenants()); },
             {.summary = "List tenants", .tag = tag,
       .public_route = true});
  router.Get("/api/v1/tenants/{tenant}",
             [&cat](Request& req) { return Ok(cat.GetTenant(req.PathParam("tenant"))); },
             {.summary = "Get a tenant", .tag = tag, .path_params = {tenant},
       .public_route = true});
  router.Put("/api/v1/tenants/{tenant}",
             [&cat](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
               return Ok(cat.UpdateTenant(req.PathParam("tenant"), body));
             },
             {.summary = "Replace a tenant's data", .tag = tag, .path_params = {tenant},
       .roles = roles::Administrators()});

  auto department = P("department", "department id (slug)");
  router.Post("/api/v1/tenants/{tenant}/departments",
              [&cat](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
                return Created(cat.CreateDepartment(req.PathParam("tenant"), body));
              },
              {.summary = "Create a department", .tag = tag, .path_params = {tenant}, .success_status = 201,
       .roles = roles::Administrators()});
  router.Get("/api/v1/tenants/{tenant}/departments",
             [&cat](Request& req) { return Ok(cat.ListDepartments(req.PathParam("tenant"))); },
             {.summary = "List departments", .tag = tag, .path_params = {tenant},
       .roles = roles::Anyone()});
  router.Get("/api/v1/tenants/{tenant}/departments/{department}",
             [&cat](Request& req) { return Ok(cat.GetDepartment(req.PathParam("tenant"), req.PathParam("department"))); },
             {.summary = "Get a department", .tag = tag, .path_params = {tenant, department},
       .roles = roles::Anyone()});
  router.Put("/api/v1/tenants/{tenant}/departments/{department}",
             [&cat](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
               return Ok(cat.UpdateDepartment(req.PathParam("tenant"), req.PathParam("department"), body));
             },
             {.summary = "Replace a department", .tag = tag, .path_params = {tenant, department},
       .roles = roles::Administrators()});

  auto service = P("service", "service id (globally unique)");
  router.Post("/api/v1/tenants/{tenant}/services",
              [&cat](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
                return Created(cat.CreateService(req.PathParam("tenant"), body));
              },
              {.summary = "Create a service",
               .description = "leika: 14-digit Leistungsschlüssel; form {id, version}; process {id, version?}; "
                              "responsibility {department} or {decision} (a DMN decision returning a department id).",
               .tag = tag, .path_params = {tenant}, .success_status = 201,
       .roles = roles::Designers()});
  router.Get("/api/v1/tenants/{tenant}/services",
             [&cat](Request& req) { return Ok(cat.ListServices(req.PathParam("tenant"))); },
             {.summary = "List a tenant's services", .tag = tag, .path_params = {tenant},
       .roles = roles::Anyone()});
  router.Get("/api/v1/tenants/{tenant}/services/{service}",
             [&cat](Request& req) { return Ok(cat.GetService(req.PathParam("tenant"), req.PathParam("service"))); },
             {.summary = "Get a service", .tag = tag, .path_params = {tenant, service},
       .roles = roles::Anyone()});
  router.Put("/api/v1/tenants/{tenant}/services/{service}",
             [&cat](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
               return Ok(cat.UpdateService(req.PathParam("tenant"), req.PathParam("service"), body));
             },
             {.summary = "Replace a service", .tag = tag, .path_params = {tenant, service},
       .roles = roles::Designers()});

  router.Post("/api/v1/tenants/{tenant}/forms",
              [&cat](Request& req) -> core::Result<Response> {
                AW_ASSIGN_OR_RETURN(Json body, JsonBody(req));
                return Created(cat.AddFormVersion(req.PathParam("tenant"), body));
              },
              {.summary = "Store a form-js schema as the next version of its form",
               .description = "An unchanged schema keeps its version. Answer: {id, version}.",
               .tag = tag, .path_params = {tenant}, .success_status = 201,
       .roles = roles::Designers()});
  router.Get("/api/v1/tenants/{tenant}/forms",
             [&cat](Request& req) { return Ok(cat.ListForms(req.PathParam("tenant"))); },
             {.summary = "List forms with their latest version", .tag = tag, .path_params = {tenant},
       .roles = roles::Anyone()});
  router.Get("/api/v1/tenants/{tenant}/forms/{form}/versions",
             [&cat](Request& req) { return Ok(cat.ListFormVersions(req.PathParam("tenant"), req.PathParam("form"))); },
             {.summary = "List every version of a form, newest first",
              .description = "Answer: [{version, createdAt}]. 404 when the form has no version.",
              .tag = tag, .path_params = {tenant, P("form", "form id")},
       .roles = roles::Anyone()});
  router.Get("/api/v1/tenants/{tenant}/forms/{form}/versions/{version}",
             [&cat](Request& req) -> core::Result<Response> {
               std::string_view v = req.PathParam("version");
               int version = 0;
               auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
               if (ec != std::errc() || end != v.data() + v.size() || version < 1) {
                 return core::NotFound("no such form version");
               }
               AW_ASSIGN_OR_RETURN(auto f, cat.GetForm(req.PathParam("tenant"), req.PathParam("form"), version));
               return Response::Json(f.schema);
             },
             {.summary = "Get one version of a form schema", .tag = tag,
              .path_params = {tenant, P("form", "form id"), {.name = "version", .description = "1, 2, ...", .type = "integer"}},
       .roles = roles::Anyone()});

  // The portal's list: published services of one tenant, without routing.
  router.Get("/api/v1/services",
             [&cat](Request& req) -> core::Result<Response> {
               std::string tenant = req.QueryParam("tenant").value_or("");
               if (tenant.empty()) {
                 core::Error e = core::InvalidArgument("query parameter 'tenant' is required");
                 e.AddDetail("tenant", "required");
                 return e;
               }
               AW_ASSIGN_OR_RETURN(Json all, cat.ListServices(tenant));
               Json items = Json::array();
               for (Json& s : all) {
                 if (!s.value("published", false)) continue;
                 s.erase("responsibility");
                 items.push_back(std::move(s));
               }
               return Response::Json(Json{{"items", std::move(items)}});
             },
             {.summary = "List the published services of a tenant (public)", .tag = "portal",
              .query_params = {{.name = "tenant", .description = "tenant id, e.g. amt-musterland"}},
              .public_route = true});

  router.Get("/api/v1/services/{service}",
             [&cat](Request& req) -> core::Result<Response> {
               AW_ASSIGN_OR_RETURN(catalog::Service s, cat.FindService(req.PathParam("service")));
               if (!s.published) return core::NotFound("no such service");
               AW_ASSIGN_OR_RETURN(auto f, cat.GetForm(s.tenant_id, s.form_id, s.form_version));
               Json out = s.doc;
               out.erase("responsibility");  // internal routing
               out["formSchema"] = f.schema;
               return Response::Json(out);
             },
             {.summary = "Get a published service with its form (public)", .tag = "portal",
              .path_params = {service},
       .public_route = true});
}

}  // namespace amtsweg::api
