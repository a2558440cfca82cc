// Staff sign-in, accounts and API tokens over HTTP, and the check that runs
// before every route (http::Router::SetAuthorizer).
//
// The authorizer, per matched route:
//  - `public_route`: passes, nothing is looked up.
//  - no roles declared: 403 (deny by default; app/routes_test.cc keeps this from happening).
//  - credentials: `Authorization: Bearer <API token>`, else the `amtsweg_session`
//    cookie; neither, or an invalid one: 401.
//  - a `{tenant}` path parameter other than the principal's tenant: 403.
//  - none of the route's roles (auth::kAnyRole: any principal will do): 403.
//  - cookie-authenticated writes (not GET/HEAD/OPTIONS) need the session's
//    CSRF token in `X-CSRF-Token`: 403 otherwise. Bearer requests need none
//    (a browser never adds that header on its own).
// The principal is then in Request::auth; handlers read it with PrincipalOf.
//
// Routes (under /api/v1/tenants/{tenant}):
//   POST   /session              public: login {login, password} → 201 {csrfToken, expiresAt, user}
//                                + Set-Cookie (HttpOnly, SameSite=Strict, Path=/, Secure if configured)
//   DELETE /session              any principal with a session: logout → 204, cookie cleared
//   DELETE /sessions             logout everywhere → 200 {ended}
//   GET    /session/me           who am I (+ csrfToken for sessions)
//   GET    /users, POST /users, GET|PATCH|DELETE /users/{userId}           administrator
//   GET    /api-tokens, POST /api-tokens, DELETE /api-tokens/{tokenId}     administrator
#pragma once

#include <memory>
#include <string>

#include "auth/auth.h"
#include "http/router.h"

namespace amtsweg::api {

inline constexpr const char* kSessionCookie = "amtsweg_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

// Installs the authorizer described above on `router` and registers the routes.
// The router keeps `auth` alive.
void RegisterAuthRoutes(http::Router& router, std::shared_ptr<auth::Service> auth);

// The principal the authorizer stored, or nullptr (public routes).
const auth::Principal* PrincipalOf(const http::Request& request);

// The client's address: the last entry of the configured proxy header if
// there is one, else the peer address without its port.
std::string ClientAddress(const http::Request& request, const std::string& client_ip_header);

}  // namespace amtsweg::api
