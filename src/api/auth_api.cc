#include "api/auth_api.h"

#include <algorithm>

#include "auth/secrets.h"
#include "core/json.h"
#include "core/time.h"

namespace amtsweg::api {
namespace {

using auth::Principal;
using JsonResult = core::Result<http::Response>;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// The value of cookie `name` in the Cookie header, if sent.
std::optional<std::string> CookieValue(const http::Request& r, std::string_view name) {
  auto header = r.Header("Cookie");
  if (!header) return std::nullopt;
  std::string_view h = *header;
  while (!h.empty()) {
    size_t semi = h.find(';');
    std::string_view pair = h.substr(0, semi);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) return Trim(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    h.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

bool IsSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

bool RouteHasTenant(const http::Route& route) {
  return std::find(route.param_names.begin(), route.param_names.end(), "tenant") != route.param_names.end();
}

core::Status Authorize(auth::Service& service, http::Request& r, const http::Route& route) {
  if (route.doc.public_route) return core::OkStatus();
  if (route.doc.roles.empty()) {
    return core::PermissionDenied("route " + route.pattern + " declares no roles: nobody may call it");
  }
  core::Result<Principal> who = core::Unauthenticated("sign in, or send an API token as Authorization: Bearer");
  if (auto authz = r.Header("Authorization")) {
    std::string_view v = *authz;
    if (v.size() > 7 && http::EqualsIgnoreCase(v.substr(0, 7), "Bearer ")) {
      who = service.AuthenticateToken(Trim(v.substr(7)));
    } else {
      return core::Unauthenticated("unsupported Authorization scheme: use Bearer with an API token");
    }
  } else if (auto cookie = CookieValue(r, kSessionCookie)) {
    who = service.AuthenticateSession(*cookie);
  }
  if (!who.ok()) return std::move(who).error();
  // An API token of the platform operator (tenant "platform", role operator)
  // is for provisioning: it acts only on platform-level routes — no {tenant},
  // the operator role named — and never on a tenant's routes, not even the
  // platform's own (managing tokens takes an operator's session or the CLI).
  if (who->kind == Principal::Kind::kApiToken && who->tenant == auth::kPlatformTenant &&
      (RouteHasTenant(route) ||
       std::find(route.doc.roles.begin(), route.doc.roles.end(), auth::kOperator) == route.doc.roles.end())) {
    return core::PermissionDenied("an operator API token acts on platform routes only (such as creating tenants)");
  }
  if (RouteHasTenant(route) && r.PathParam("tenant") != who->tenant) {
    return core::PermissionDenied("not allowed for this tenant");
  }
  bool any = std::find(route.doc.roles.begin(), route.doc.roles.end(), auth::kAnyRole) != route.doc.roles.end();
  if (!any && std::none_of(route.doc.roles.begin(), route.doc.roles.end(),
                           [&](const std::string& role) { return who->HasRole(role); })) {
    std::string need;
    for (const auto& role : route.doc.roles) need += (need.empty() ? "" : ", ") + role;
    return core::PermissionDenied("requires one of the roles: " + need);
  }
  if (who->kind == Principal::Kind::kSession && !IsSafeMethod(r.method)) {
    auto sent = r.Header(kCsrfHeader);
    if (!sent || !auth::ConstantTimeEquals(*sent, who->csrf_token)) {
      return core::PermissionDenied(std::string("CSRF token missing or wrong: send the session's token in ") +
                                    kCsrfHeader);
    }
  }
  r.auth = std::move(*who);
  return core::OkStatus();
}

// --- JSON in and out -------------------------------------------------------

core::Result<core::Json> JsonBody(const http::Request& r) {
  auto ct = r.Header("Content-Type");
  if (!ct || !(ct->starts_with("application/json") || ct->starts_with("application/problem+json"))) {
    return core::InvalidArgument("Content-Type must be application/json");
  }
  AW_ASSIGN_OR_RETURN(core::Json body, core::ParseJson(r.body));
  if (!body.is_object()) return core::InvalidArgument("request body must be a JSON object");
  return body;
}

// Collects type errors per field, so one answer names all of them.
class Fields {
 public:
  explicit Fields(const core::Json& body) : body_(body) {}

  std::optional<std::string> String(const char* name, bool required) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
      if (required) errors_.push_back({std::string("/") + name, "is required"});
      return std::nullopt;
    }
    if (!it->is_string()) {
      errors_.push_back({std::string("/") + name, "must be a string"});
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<std::vector<std::string>> Strings(const char* name, bool required) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) {
      if (required) errors_.push_back({std::string("/") + name, "is required"});
      return std::nullopt;
    }
    if (!it->is_array() || !std::all_of(it->begin(), it->end(), [](const core::Json& j) { return j.is_string(); })) {
      errors_.push_back({std::string("/") + name, "must be an array of strings"});
      return std::nullopt;
    }
    return it->get<std::vector<std::string>>();
  }

  std::optional<bool> Bool(const char* name) {
    auto it = body_.find(name);
    if (it == body_.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
      errors_.push_back({std::string("/") + name, "must be true or false"});
      return std::nullopt;
    }
    return it->get<bool>();
  }

  // Unknown members are refused: a typo must not pass silently.
  void Only(std::initializer_list<const char*> known) {
    for (auto it = body_.begin(); it != body_.end(); ++it) {
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
        errors_.push_back({"/" + it.key(), "unknown member"});
      }
    }
  }

  core::Status Done(const char* what) {
    if (errors_.empty()) return core::OkStatus();
    return core::InvalidArgument(std::string(what) + " is invalid", std::move(errors_));
  }

 private:
  const core::Json& body_;
  std::vector<core::FieldError> errors_;
};

core::Json UserJson(const auth::User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"displayName", u.display_name},
          {"email", u.email},
          {"roles", u.roles},
          {"departments", u.departments},
          {"active", u.active},
          {"createdAt", core::FormatIso8601(u.created_at)},
          {"updatedAt", core::FormatIso8601(u.updated_at)}};
}

core::Json TokenJson(const auth::ApiToken& t) {
  auto opt = [](const std::optional<core::Timestamp>& v) -> core::Json {
    return v ? core::Json(core::FormatIso8601(*v)) : core::Json();
  };
  return {{"id", t.id},
          {"name", t.name},
          {"roles", t.roles},
          {"createdBy", t.created_by},
          {"createdAt", core::FormatIso8601(t.created_at)},
          {"expiresAt", opt(t.expires_at)},
          {"revokedAt", opt(t.revoked_at)},
          {"lastUsedAt", opt(t.last_used_at)}};
}

std::string SessionCookie(const std::string& value, int64_t max_age_s, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age_s) +
                  "; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

http::Response NoStore(http::Response r) {
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

const Principal& MustPrincipal(const http::Request& r) {
  const Principal* p = PrincipalOf(r);
  AW_ASSERT(p != nullptr, "a route with roles ran without a principal (authorizer not installed?)");
  return *p;
}

core::Json Schema(std::initializer_list<std::pair<const char*, const char*>> props,
                  std::initializer_list<const char*> required = {}) {
  core::Json p = core::Json::object();
  for (const auto& [name, type] : props) {
    if (std::string_view(type) == "string[]") {
      p[name] = {{"type", "array"}, {"items", {{"type", "string"}}}};
    } else {
      p[name] = {{"type", type}};
    }
  }
  core::Json s = {{"type", "object"}, {"properties", p}};
  if (required.size() > 0) s["required"] = core::Json::array();
  for (const char* r : required) s["required"].push_back(r);
  return s;
}

core::Json UserSchema() {
  return Schema({{"id", "string"}, {"login", "string"}, {"displayName", "string"}, {"email", "string"},
                 {"roles", "string[]"}, {"departments", "string[]"}, {"active", "boolean"},
                 {"createdAt", "string"}, {"updatedAt", "string"}});
}

const http::ParamDoc kTenantParam{.name = "tenant", .description = "tenant id"};

}  // namespace

const auth::Principal* PrincipalOf(const http::Request& request) {
  return std::any_cast<auth::Principal>(&request.auth);
}

std::string ClientAddress(const http::Request& r, const std::string& client_ip_header) {
  if (!client_ip_header.empty()) {
    if (auto h = r.Header(client_ip_header)) {
      std::string_view v = *h;
      size_t comma = v.rfind(',');
      std::string last = Trim(comma == std::string_view::npos ? v : v.substr(comma + 1));
      if (!last.empty()) return last;
    }
  }
  size_t colon = r.remote.rfind(':');
  return colon == std::string::npos ? r.remote : r.remote.substr(0, colon);
}

void RegisterAuthRoutes(http::Router& router, std::shared_ptr<auth::Service> auth) {
  router.SetAuthorizer(
      [auth](http::Request& r, const http::Route& route) { return Authorize(*auth, r, route); });

  const std::string base = "/api/v1/tenants/{tenant}";
  const std::vector<std::string> admin = {std::string(auth::kAdministrator)};
  // API tokens: a tenant's administrators, and on /tenants/platform/… the
  // platform operator (with a session: the authorizer keeps operator tokens
  // off every {tenant} route), whose tokens may hold only the operator role.
  const std::vector<std::string> token_admin = {std::string(auth::kAdministrator), std::string(auth::kOperator)};
  const std::vector<std::string> anyone = {std::string(auth::kAnyRole)};

  router.Post(
      base + "/session",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(core::Json body, JsonBody(r));
        Fields f(body);
        auto login = f.String("login", true);
        auto password = f.String("password", true);
        AW_TRY(f.Done("login request"));
        std::string tenant(r.PathParam("tenant"));
        auto presented = CookieValue(r, kSessionCookie);
        AW_ASSIGN_OR_RETURN(auth::LoginResult res,
                            auth->Login(tenant, *login, *password, ClientAddress(r, auth->config().client_ip_header),
                                        presented ? std::optional<std::string_view>(*presented) : std::nullopt));
        http::Response out = http::Response::Json({{"csrfToken", res.csrf_token},
                                                   {"expiresAt", core::FormatIso8601(res.expires_at)},
                                                   {"user", UserJson(res.user)}},
                                                  201);
        out.headers.Add("Set-Cookie", SessionCookie(res.cookie_value, auth->config().session_absolute_timeout_s,
                                                    auth->config().cookie_secure));
        return NoStore(std::move(out));
      },
      {.summary = "Sign in: opens a session (cookie) and returns its CSRF token",
       .description = "Content-Type must be application/json. A session cookie sent along is ended, never reused. "
                      "401 for any wrong login name or password, 429 after repeated failures.",
       .tag = "auth",
       .operation_id = "login",
       .path_params = {kTenantParam},
       .request_schema = Schema({{"login", "string"}, {"password", "string"}}, {"login", "password"}),
       .response_schema = Schema({{"csrfToken", "string"}, {"expiresAt", "string"}, {"user", "object"}}),
       .success_status = 201,
       .public_route = true},
      {.max_body_bytes = 8 * 1024});

  router.Delete(
      base + "/session",
      [auth](http::Request& r) -> JsonResult {
        AW_TRY(auth->Logout(MustPrincipal(r)));
        return NoStore(http::Response::NoContent().WithHeader(
            "Set-Cookie", SessionCookie("", 0, auth->config().cookie_secure)));
      },
      {.summary = "Sign out: ends this session",
       .tag = "auth",
       .operation_id = "logout",
       .path_params = {kTenantParam},
       .success_status = 204,
       .roles = anyone});

  router.Delete(
      base + "/sessions",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(int64_t n, auth->LogoutEverywhere(MustPrincipal(r)));
        return NoStore(http::Response::Json({{"ended", n}})
                           .WithHeader("Set-Cookie", SessionCookie("", 0, auth->config().cookie_secure)));
      },
      {.summary = "Sign out everywhere: ends every session of this user",
       .tag = "auth",
       .operation_id = "logoutEverywhere",
       .path_params = {kTenantParam},
       .response_schema = Schema({{"ended", "integer"}}),
       .roles = anyone});

  router.Get(
      base + "/session/me",
      [auth](http::Request& r) -> JsonResult {
        const Principal& p = MustPrincipal(r);
        core::Json out = {{"tenant", p.tenant}, {"roles", p.roles}};
        if (p.kind == Principal::Kind::kSession) {
          AW_ASSIGN_OR_RETURN(auth::User u, auth->GetUser(p.tenant, p.id));
          out["kind"] = "session";
          out["user"] = UserJson(u);
          out["csrfToken"] = p.csrf_token;
        } else {
          out["kind"] = "apiToken";
          out["token"] = {{"id", p.id}, {"name", p.name}};
        }
        return NoStore(http::Response::Json(out));
      },
      {.summary = "Who is signed in (and the session's CSRF token)",
       .tag = "auth",
       .operation_id = "getSessionMe",
       .path_params = {kTenantParam},
       .response_schema = Schema({{"kind", "string"}, {"tenant", "string"}, {"roles", "string[]"},
                                  {"csrfToken", "string"}, {"user", "object"}, {"token", "object"}}),
       .roles = anyone});

  router.Get(
      base + "/users",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(auto users, auth->ListUsers(std::string(r.PathParam("tenant"))));
        core::Json items = core::Json::array();
        for (const auto& u : users) items.push_back(UserJson(u));
        return http::Response::Json({{"items", items}});
      },
      {.summary = "List the staff accounts of the tenant",
       .tag = "auth",
       .operation_id = "listUsers",
       .path_params = {kTenantParam},
       .roles = admin});

  router.Post(
      base + "/users",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(core::Json body, JsonBody(r));
        Fields f(body);
        f.Only({"login", "displayName", "email", "password", "roles", "departments"});
        auth::NewUser u;
        u.login = f.String("login", true).value_or("");
        u.display_name = f.String("displayName", true).value_or("");
        u.email = f.String("email", true).value_or("");
        u.password = f.String("password", true).value_or("");
        u.roles = f.Strings("roles", true).value_or(std::vector<std::string>{});
        u.departments = f.Strings("departments", false).value_or(std::vector<std::string>{});
        AW_TRY(f.Done("user"));
        const Principal& p = MustPrincipal(r);
        AW_ASSIGN_OR_RETURN(auth::User created, auth->CreateUser(p.tenant, p.Actor(), std::move(u)));
        return http::Response::Json(UserJson(created), 201)
            .WithHeader("Location", "/api/v1/tenants/" + p.tenant + "/users/" + created.id);
      },
      {.summary = "Create a staff account",
       .tag = "auth",
       .operation_id = "createUser",
       .path_params = {kTenantParam},
       .request_schema = Schema({{"login", "string"}, {"displayName", "string"}, {"email", "string"},
                                 {"password", "string"}, {"roles", "string[]"}, {"departments", "string[]"}},
                                {"login", "displayName", "email", "password", "roles"}),
       .response_schema = UserSchema(),
       .success_status = 201,
       .roles = admin},
      {.max_body_bytes = 64 * 1024});

  router.Get(
      base + "/users/{userId}",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(auth::User u,
                            auth->GetUser(std::string(r.PathParam("tenant")), std::string(r.PathParam("userId"))));
        return http::Response::Json(UserJson(u));
      },
      {.summary = "Get a staff account",
       .tag = "auth",
       .operation_id = "getUser",
       .path_params = {kTenantParam, {.name = "userId", .description = "user id"}},
       .response_schema = UserSchema(),
       .roles = admin});

  router.Patch(
      base + "/users/{userId}",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(core::Json body, JsonBody(r));
        Fields f(body);
        f.Only({"displayName", "email", "password", "roles", "departments", "active"});
        auth::UserPatch patch;
        patch.display_name = f.String("displayName", false);
        patch.email = f.String("email", false);
        patch.password = f.String("password", false);
        patch.roles = f.Strings("roles", false);
        patch.departments = f.Strings("departments", false);
        patch.active = f.Bool("active");
        AW_TRY(f.Done("user change"));
        const Principal& p = MustPrincipal(r);
        AW_ASSIGN_OR_RETURN(auth::User u,
                            auth->UpdateUser(p.tenant, p.Actor(), std::string(r.PathParam("userId")), patch));
        return http::Response::Json(UserJson(u));
      },
      {.summary = "Change a staff account (roles, departments, password, active)",
       .description = "A new password or deactivation ends the user's sessions. The last active administrator "
                      "cannot be demoted or deactivated (409).",
       .tag = "auth",
       .operation_id = "updateUser",
       .path_params = {kTenantParam, {.name = "userId", .description = "user id"}},
       .request_schema = Schema({{"displayName", "string"}, {"email", "string"}, {"password", "string"},
                                 {"roles", "string[]"}, {"departments", "string[]"}, {"active", "boolean"}}),
       .response_schema = UserSchema(),
       .roles = admin},
      {.max_body_bytes = 64 * 1024});

  router.Delete(
      base + "/users/{userId}",
      [auth](http::Request& r) -> JsonResult {
        const Principal& p = MustPrincipal(r);
        AW_TRY(auth->DeleteUser(p.tenant, p.Actor(), std::string(r.PathParam("userId"))));
        return http::Response::NoContent();
      },
      {.summary = "Delete a staff account and end its sessions",
       .tag = "auth",
       .operation_id = "deleteUser",
       .path_params = {kTenantParam, {.name = "userId", .description = "user id"}},
       .success_status = 204,
       .roles = admin});

  router.Get(
      base + "/api-tokens",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(auto tokens, auth->ListTokens(std::string(r.PathParam("tenant"))));
        core::Json items = core::Json::array();
        for (const auto& t : tokens) items.push_back(TokenJson(t));
        return http::Response::Json({{"items", items}});
      },
      {.summary = "List the API tokens of the tenant (never their secrets)",
       .description = "Administrators of the tenant; for the tenant 'platform' the platform operator (session only), "
                      "whose tokens act on platform-level routes only (creating tenants).",
       .tag = "auth",
       .operation_id = "listApiTokens",
       .path_params = {kTenantParam},
       .roles = token_admin});

  router.Post(
      base + "/api-tokens",
      [auth](http::Request& r) -> JsonResult {
        AW_ASSIGN_OR_RETURN(core::Json body, JsonBody(r));
        Fields f(body);
        f.Only({"name", "roles", "expiresAt"});
        auto name = f.String("name", true);
        auto roles = f.Strings("roles", true);
        auto expires = f.String("expiresAt", false);
        AW_TRY(f.Done("API token"));
        std::optional<core::Timestamp> expires_at;
        if (expires) {
          auto t = core::ParseIso8601(*expires);
          if (!t.ok()) {
            return core::InvalidArgument("API token is invalid",
                                         {{"/expiresAt", "must be an ISO 8601 date-time with offset"}});
          }
          expires_at = *t;
        }
        const Principal& p = MustPrincipal(r);
        AW_ASSIGN_OR_RETURN(auth::NewToken t, auth->CreateToken(p.tenant, p.Actor(), *name, *roles, expires_at));
        core::Json out = TokenJson(t.token);
        out["token"] = t.secret;
        return NoStore(http::Response::Json(out, 201));
      },
      {.summary = "Create an API token; its secret is in this answer only",
       .description = "roles: roles of the tenant. Under /tenants/platform (the platform operator, with a session) "
                      "the only role is operator: such a token may create tenants and nothing else; no tenant's "
                      "token can act as operator.",
       .tag = "auth",
       .operation_id = "createApiToken",
       .path_params = {kTenantParam},
       .request_schema = Schema({{"name", "string"}, {"roles", "string[]"}, {"expiresAt", "string"}},
                                {"name", "roles"}),
       .success_status = 201,
       .roles = token_admin},
      {.max_body_bytes = 16 * 1024});

  router.Delete(
      base + "/api-tokens/{tokenId}",
      [auth](http::Request& r) -> JsonResult {
        const Principal& p = MustPrincipal(r);
        AW_TRY(auth->RevokeToken(p.tenant, p.Actor(), std::string(r.PathParam("tokenId"))));
        return http::Response::NoContent();
      },
      {.summary = "Revoke an API token",
       .tag = "auth",
       .operation_id = "revokeApiToken",
       .path_params = {kTenantParam, {.name = "tokenId", .description = "token id"}},
       .success_status = 204,
       .roles = token_admin});
}

}  // namespace amtsweg::api
