#include "api/opendata_api.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "api/json_body.h"
#include "api/roles.h"
#include "core/json.h"
#include "opendata/dcat.h"
#include "opendata/opendata.h"

namespace amtsweg::api {
namespace {

using core::Json;
using opendata::OpenData;
using opendata::TenantCatalog;

// The public address the URLs in catalogue and CKAN dicts start with: the
// tenant's configured baseUrl, else the scheme and Host of this request.
std::string BaseUrl(const http::Request& r, const opendata::Settings* s) {
  if (s != nullptr && !s->base_url.empty()) return s->base_url;
  std::string host(r.Header("Host").value_or("localhost"));
  // A Host header is not trusted to carry anything but host[:port].
  bool ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
  std::string proto(r.Header("X-Forwarded-Proto").value_or("http"));
  if (proto != "https") proto = "http";
  return proto + "://" + (ok ? host : std::string("localhost"));
}

http::Response Public(http::Response r) {
  return std::move(r).WithHeader("Access-Control-Allow-Origin", "*").WithHeader("Cache-Control", "public, max-age=300");
}

std::string HttpDate(core::Timestamp t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

Json PublicationSummary(const TenantCatalog& c, std::string_view base) {
  Json out = Json::array();
  for (const auto& d : c.settings.datasets) {
    const opendata::Publication* p = c.Find(d.id);
    Json j{{"id", d.id},
           {"kind", d.kind},
           {"title", d.title},
           {"csv", opendata::DownloadUrl(base, c.tenant.id, d.id, "csv")},
           {"json", opendata::DownloadUrl(base, c.tenant.id, d.id, "json")},
           {"issued", p != nullptr ? Json(core::FormatIso8601(p->issued, 0)) : Json()},
           {"modified", p != nullptr ? Json(core::FormatIso8601(p->modified, 0)) : Json()},
           {"rowCount", p != nullptr ? Json(p->row_count) : Json()}};
    out.push_back(std::move(j));
  }
  return out;
}

// --- CKAN ------------------------------------------------------------------

// CKAN's envelope. Errors use CKAN's status codes: 404 Not Found Error,
// 409 Validation Error (the field names map to lists of messages), 400 Bad request.
http::Response Ckan(const std::string& base, std::string_view action, Json result) {
  return Public(http::Response::Json(
      {{"help", base + "/api/3/action/help_show?name=" + std::string(action)}, {"success", true}, {"result", result}}));
}
http::Response CkanError(const std::string& base, std::string_view action, int status, Json error) {
  return Public(http::Response::Json({{"help", base + "/api/3/action/help_show?name=" + std::string(action)},
                                      {"success", false},
                                      {"error", error}},
                                     status));
}
http::Response NotFound(const std::string& base, std::string_view action, std::string message = "Not found") {
  return CkanError(base, action, 404, {{"__type", "Not Found Error"}, {"message", message}});
}
http::Response Invalid(const std::string& base, std::string_view action, const std::string& field,
                       const std::string& message) {
  return CkanError(base, action, 409,
                   {{"__type", "Validation Error"}, {"message", field + ": " + message}, {field, {message}}});
}

struct Package {
  const TenantCatalog* catalog;
  const opendata::DatasetDef* def;
  const opendata::Publication* pub;
};
// Every published dataset of every tenant, by package name.
std::vector<Package> Packages(const std::vector<TenantCatalog>& all) {
  std::vector<Package> out;
  for (const auto& c : all) {
    for (const auto& d : c.settings.datasets) {
      if (const auto* p = c.Find(d.id)) out.push_back({&c, &d, p});
    }
  }
  std::sort(out.begin(), out.end(), [](const Package& a, const Package& b) {
    return opendata::CkanPackageName(a.catalog->tenant.id, a.def->id) <
           opendata::CkanPackageName(b.catalog->tenant.id, b.def->id);
  });
  return out;
}

// A non-negative integer parameter; nullopt when absent; error text when malformed.
std::optional<int64_t> IntArg(const http::Request& r, const char* name, int64_t max, std::string* error) {
  auto v = r.QueryParam(name);
  if (!v) return std::nullopt;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < 0) {
    *error = "Invalid integer";
    return std::nullopt;
  }
  return std::min(out, max);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// package_search's q: every whitespace-separated term must occur (case-insensitive,
// ASCII folding only) in the name, title, notes or a tag; "*:*" or empty matches all.
// fq: space-separated field:value filters on organization, tags, res_format, license_id, name.
bool Matches(const Json& pkg, const std::string& q, const std::vector<std::pair<std::string, std::string>>& fq) {
  std::string text = Lower(pkg["name"].get<std::string>() + " " + pkg["title"].get<std::string>() + " " +
                           pkg["notes"].get<std::string>());
  for (const auto& t : pkg["tags"]) text += " " + Lower(t["name"].get<std::string>());
  if (!q.empty() && q != "*:*") {
    size_t i = 0;
    std::string lq = Lower(q);
    while (i < lq.size()) {
      size_t j = lq.find(' ', i);
      std::string term = lq.substr(i, j == std::string::npos ? std::string::npos : j - i);
      if (!term.empty() && text.find(term) == std::string::npos) return false;
      if (j == std::string::npos) break;
      i = j + 1;
    }
  }
  for (const auto& [field, value] : fq) {
    bool ok = false;
    if (field == "organization") ok = pkg["organization"]["name"] == value;
    if (field == "name") ok = pkg["name"] == value;
    if (field == "license_id") ok = pkg["license_id"] == value;
    if (field == "tags") {
      for (const auto& t : pkg["tags"]) ok = ok || t["name"] == value;
    }
    if (field == "res_format") {
      for (const auto& res : pkg["resources"]) ok = ok || Lower(res["format"].get<std::string>()) == Lower(value);
    }
    if (!ok) return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> ParseFq(const std::string& fq, std::string* error) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < fq.size()) {
    size_t j = fq.find(' ', i);
    std::string term = fq.substr(i, j == std::string::npos ? std::string::npos : j - i);
    i = j == std::string::npos ? fq.size() : j + 1;
    if (term.empty() || term == "*:*") continue;
    auto colon = term.find(':');
    std::string field = term.substr(0, colon);
    if (colon == std::string::npos ||
        (field != "organization" && field != "tags" && field != "res_format" && field != "license_id" &&
         field != "name")) {
      *error = "supported filters: organization:, tags:, res_format:, license_id:, name: (got " + term + ")";
      return {};
    }
    std::string value = term.substr(colon + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.emplace_back(field, value);
  }
  return out;
}

http::RouteDoc CkanDoc(std::string summary, std::string op, std::vector<http::ParamDoc> params) {
  return {.summary = std::move(summary),
          .description = "CKAN action API v3 (as CKAN 2.10 answers it): {help, success, result}; errors "
                         "{help, success: false, error: {__type, message}} with 404 (Not Found Error), "
                         "409 (Validation Error) or 400.",
          .tag = "opendata",
          .operation_id = std::move(op),
          .query_params = std::move(params),
          .public_route = true};
}

}  // namespace

void RegisterOpenDataRoutes(http::Router& router, std::shared_ptr<OpenData> o) {
  const std::vector<http::ParamDoc> tenant_param{{.name = "tenant", .description = "tenant id"}};

  router.Get(
      "/api/v1/tenants/{tenant}/opendata",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string tenant(r.PathParam("tenant"));
        AW_ASSIGN_OR_RETURN(TenantCatalog c, o->LoadCatalog(tenant));
        std::string base = BaseUrl(r, &c.settings);
        Json out = opendata::SettingsToJson(c.settings);
        out["publications"] = PublicationSummary(c, base);
        out["catalog"] = opendata::CatalogUrl(base, tenant);
        return http::Response::Json(out).WithHeader("Cache-Control", "no-store");
      },
      {.summary = "Read the tenant's open data definition and when each dataset was last computed",
       .tag = "opendata",
       .operation_id = "getOpenData",
       .path_params = tenant_param,
       .roles = roles::Analysts()});

  // A rare administrative change of several steps (deploy the schedule,
  // store the definition, compute once), answered synchronously like a deployment.
  router.Put(
      "/api/v1/tenants/{tenant}/opendata",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string tenant(r.PathParam("tenant"));
        AW_ASSIGN_OR_RETURN(Json body, JsonBody(r));
        AW_TRY(o->Define(tenant, body));
        AW_ASSIGN_OR_RETURN(TenantCatalog c, o->LoadCatalog(tenant));
        std::string base = BaseUrl(r, &c.settings);
        Json out = opendata::SettingsToJson(c.settings);
        out["publications"] = PublicationSummary(c, base);
        out["catalog"] = opendata::CatalogUrl(base, tenant);
        return http::Response::Json(out);
      },
      {.summary = "Define the tenant's open datasets; deploys the daily publishing process and publishes once",
       .description = "Body: {minCount (1-1000, default 5), licence (dcat-ap.de licence URI), contributorId "
                      "(http://dcat-ap.de/def/contributors/...), schedule (ISO 8601 cycle, default R/P1D), "
                      "baseUrl?, datasets: [{id, kind: applications-monthly | processing-times | backlog, title?, "
                      "description?, keywords?, theme?}]}. Replaces the previous definition.",
       .tag = "opendata",
       .operation_id = "defineOpenData",
       .path_params = tenant_param,
       .request_schema = Json{{"type", "object"}, {"required", {"contributorId", "datasets"}}},
       .roles = roles::Administrators()});

  router.Post(
      "/api/v1/tenants/{tenant}/opendata/publication",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string tenant(r.PathParam("tenant"));
        AW_ASSIGN_OR_RETURN(int n, o->Publish(tenant));
        return http::Response::Json({{"publishedDatasets", n}});
      },
      {.summary = "Recompute and publish every dataset of the tenant now (the schedule does it daily)",
       .tag = "opendata",
       .operation_id = "publishOpenData",
       .path_params = tenant_param,
       .roles = roles::Administrators()});

  router.Get(
      "/api/v1/opendata/{tenant}/datasets/{file}",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string tenant(r.PathParam("tenant"));
        std::string file(r.PathParam("file"));
        AW_ASSIGN_OR_RETURN(TenantCatalog c, o->LoadCatalog(tenant));
        std::string id = file;
        std::string ext;
        if (auto dot = file.rfind('.'); dot != std::string::npos) {
          id = file.substr(0, dot);
          ext = file.substr(dot + 1);
        }
        const opendata::Publication* p = c.Find(id);
        if (p == nullptr) return core::NotFound("no published dataset " + id + " of tenant " + tenant);
        if (ext.empty()) {
          // The dataset's IRI: its description is in the catalogue.
          return Public(http::Response::Bytes("", "text/plain", 303)
                            .WithHeader("Location", opendata::CatalogUrl(BaseUrl(r, &c.settings), tenant) + ".ttl"));
        }
        if (ext != "csv" && ext != "json") return core::NotFound("datasets are published as .csv and .json");
        bool csv = ext == "csv";
        return Public(http::Response::Bytes(csv ? p->csv : p->json,
                                            csv ? "text/csv; charset=utf-8; header=present" : "application/json")
                          .WithHeader("Last-Modified", HttpDate(p->modified))
                          .WithHeader("Content-Disposition", "inline; filename=\"" + tenant + "-" + file + "\""));
      },
      {.summary = "Download a published dataset as CSV (RFC 4180, UTF-8) or JSON",
       .description = "`{file}` is `<dataset id>.csv` or `<dataset id>.json`; without an extension it is the "
                      "dataset's IRI and answers 303 to the catalogue. Only aggregates; counts below the "
                      "tenant's minimum are empty (null) with suppressed=true.",
       .tag = "opendata",
       .operation_id = "downloadOpenDataset",
       .path_params = {{.name = "tenant", .description = "tenant id"},
                       {.name = "file", .description = "<dataset id>.csv or <dataset id>.json"}},
       .success_content_type = "text/csv",
       .public_route = true});

  auto catalog = [o](http::Request& r, bool turtle) -> core::Result<http::Response> {
    std::string tenant(r.PathParam("tenant"));
    AW_ASSIGN_OR_RETURN(TenantCatalog c, o->LoadCatalog(tenant));
    std::string base = BaseUrl(r, &c.settings);
    if (turtle) return Public(http::Response::Bytes(opendata::ToTurtle(c, base), "text/turtle; charset=utf-8"));
    return Public(http::Response::Bytes(opendata::ToJsonLd(c, base).dump(1), "application/ld+json"));
  };
  router.Get(
      "/api/v1/opendata/{tenant}/catalog.ttl", [catalog](http::Request& r) { return catalog(r, true); },
      {.summary = "The tenant's DCAT-AP.de catalogue as Turtle",
       .tag = "opendata",
       .operation_id = "getOpenDataCatalogTurtle",
       .path_params = tenant_param,
       .success_content_type = "text/turtle",
       .public_route = true});
  router.Get(
      "/api/v1/opendata/{tenant}/catalog.jsonld", [catalog](http::Request& r) { return catalog(r, false); },
      {.summary = "The tenant's DCAT-AP.de catalogue as JSON-LD (expanded form)",
       .tag = "opendata",
       .operation_id = "getOpenDataCatalogJsonLd",
       .path_params = tenant_param,
       .success_content_type = "application/ld+json",
       .public_route = true});
  router.Get(
      "/api/v1/opendata/{tenant}/catalog",
      [catalog](http::Request& r) {
        std::string accept(r.Header("Accept").value_or(""));
        bool jsonld = accept.find("application/ld+json") != std::string::npos ||
                      (accept.find("application/json") != std::string::npos &&
                       accept.find("text/turtle") == std::string::npos);
        return catalog(r, !jsonld);
      },
      {.summary = "The catalogue's IRI: Turtle, or JSON-LD when Accept asks for application/ld+json",
       .tag = "opendata",
       .operation_id = "getOpenDataCatalog",
       .path_params = tenant_param,
       .success_content_type = "text/turtle",
       .public_route = true});

  // --- CKAN action API (read-only) ---
  router.Get(
      "/api/3/action/package_list",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string base = BaseUrl(r, nullptr);
        std::string err;
        auto limit = IntArg(r, "limit", 1000, &err);
        if (!err.empty()) return Invalid(base, "package_list", "limit", err);
        auto offset = IntArg(r, "offset", INT64_MAX, &err);
        if (!err.empty()) return Invalid(base, "package_list", "offset", err);
        AW_ASSIGN_OR_RETURN(auto all, o->LoadAll());
        Json names = Json::array();
        auto pkgs = Packages(all);
        for (size_t i = static_cast<size_t>(offset.value_or(0)); i < pkgs.size(); ++i) {
          if (limit && static_cast<int64_t>(names.size()) >= *limit) break;
          names.push_back(opendata::CkanPackageName(pkgs[i].catalog->tenant.id, pkgs[i].def->id));
        }
        return Ckan(base, "package_list", names);
      },
      CkanDoc("CKAN package_list: the names of all published datasets", "ckanPackageList",
              {{.name = "limit", .description = "at most this many (max 1000)", .type = "integer"},
               {.name = "offset", .description = "skip this many", .type = "integer"}}));

  router.Get(
      "/api/3/action/package_show",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string base = BaseUrl(r, nullptr);
        auto id = r.QueryParam("id");
        if (!id || id->empty()) return Invalid(base, "package_show", "id", "Missing value");
        AW_ASSIGN_OR_RETURN(auto all, o->LoadAll());
        for (const auto& p : Packages(all)) {
          Json pkg = opendata::CkanPackage(*p.catalog, *p.def, *p.pub, BaseUrl(r, &p.catalog->settings));
          if (pkg["name"] == *id || pkg["id"] == *id) return Ckan(base, "package_show", pkg);
        }
        return NotFound(base, "package_show");
      },
      CkanDoc("CKAN package_show: one dataset by name or id", "ckanPackageShow",
              {{.name = "id", .description = "package name or id", .required = true}}));

  router.Get(
      "/api/3/action/package_search",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string base = BaseUrl(r, nullptr);
        std::string err;
        int64_t rows = IntArg(r, "rows", 1000, &err).value_or(10);
        if (!err.empty()) return Invalid(base, "package_search", "rows", err);
        int64_t start = IntArg(r, "start", INT64_MAX, &err).value_or(0);
        if (!err.empty()) return Invalid(base, "package_search", "start", err);
        auto fq = ParseFq(r.QueryParam("fq").value_or(""), &err);
        if (!err.empty()) return Invalid(base, "package_search", "fq", err);
        std::string q = r.QueryParam("q").value_or("");
        AW_ASSIGN_OR_RETURN(auto all, o->LoadAll());
        std::vector<Json> hits;
        for (const auto& p : Packages(all)) {
          Json pkg = opendata::CkanPackage(*p.catalog, *p.def, *p.pub, BaseUrl(r, &p.catalog->settings));
          if (Matches(pkg, q, fq)) hits.push_back(std::move(pkg));
        }
        // Without relevance scores: newest first, then by name.
        std::stable_sort(hits.begin(), hits.end(), [](const Json& a, const Json& b) {
          return a["metadata_modified"].get<std::string>() > b["metadata_modified"].get<std::string>();
        });
        Json results = Json::array();
        for (size_t i = static_cast<size_t>(start); i < hits.size() && static_cast<int64_t>(results.size()) < rows; ++i) {
          results.push_back(hits[i]);
        }
        return Ckan(base, "package_search",
                    {{"count", static_cast<int64_t>(hits.size())},
                     {"sort", "metadata_modified desc"},
                     {"facets", Json::object()},
                     {"search_facets", Json::object()},
                     {"results", results}});
      },
      CkanDoc("CKAN package_search: datasets matching q and fq", "ckanPackageSearch",
              {{.name = "q", .description = "words that must all occur (name, title, notes, tags); *:* for all"},
               {.name = "fq", .description = "filters field:value (organization, tags, res_format, license_id, name)"},
               {.name = "rows", .description = "page size, default 10, max 1000", .type = "integer"},
               {.name = "start", .description = "offset of the first result", .type = "integer"}}));

  router.Get(
      "/api/3/action/organization_list",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string base = BaseUrl(r, nullptr);
        std::string all_fields = r.QueryParam("all_fields").value_or("false");
        AW_ASSIGN_OR_RETURN(auto all, o->LoadAll());
        Json out = Json::array();
        for (const auto& c : all) {
          if (all_fields == "true" || all_fields == "True" || all_fields == "1") {
            out.push_back(opendata::CkanOrganization(c));
          } else {
            out.push_back(c.tenant.id);
          }
        }
        return Ckan(base, "organization_list", out);
      },
      CkanDoc("CKAN organization_list: the publishing tenants", "ckanOrganizationList",
              {{.name = "all_fields", .description = "true: organization dicts instead of names"}}));

  router.Get(
      "/api/3/action/resource_show",
      [o](http::Request& r) -> core::Result<http::Response> {
        std::string base = BaseUrl(r, nullptr);
        auto id = r.QueryParam("id");
        if (!id || id->empty()) return Invalid(base, "resource_show", "id", "Missing value");
        AW_ASSIGN_OR_RETURN(auto all, o->LoadAll());
        for (const auto& p : Packages(all)) {
          Json pkg = opendata::CkanPackage(*p.catalog, *p.def, *p.pub, BaseUrl(r, &p.catalog->settings));
          for (const auto& res : pkg["resources"]) {
            if (res["id"] == *id) return Ckan(base, "resource_show", res);
          }
        }
        return NotFound(base, "resource_show");
      },
      CkanDoc("CKAN resource_show: one distribution (CSV or JSON) by id", "ckanResourceShow",
              {{.name = "id", .description = "resource id", .required = true}}));

  router.Get(
      "/api/3/action/{action}",
      [](http::Request& r) -> core::Result<http::Response> {
        std::string action(r.PathParam("action"));
        return CkanError(BaseUrl(r, nullptr), action, 400,
                         {{"__type", "Bad request"}, {"message", "Bad request - Action name not known: " + action}});
      },
      [] {
        http::RouteDoc d = CkanDoc("Any other CKAN action: 400 as CKAN answers an unknown action name",
                                   "ckanUnknownAction", {});
        d.path_params = {{.name = "action", .description = "a CKAN action name this server does not offer"}};
        return d;
      }());
}

}  // namespace amtsweg::api
