// Staff accounts, sessions, API tokens and login throttling of one Amtsweg
// process. Every change is written through the store's writer together with
// its audit entry (audit/), in one transaction.
//
// Sessions: the cookie value is "<tenant>.<secret>" (tenant percent-encoded,
// secret 256 random bits as base64url); only SHA-256(secret) is stored. A new
// session id is made on every login, the one presented is deleted (rotation;
// a pre-set id is never adopted). A session ends after `session_idle_timeout_s`
// without requests (last use is written at most once a minute, so the idle
// limit is exact to that minute) and `session_absolute_timeout_s` after login.
// The CSRF token is derived from the session secret (secrets.h).
//
// API tokens: "awt_<tenant>.<secret>", stored as SHA-256(secret), scoped to
// one tenant and a set of roles, revocable, with the last time of use.
//
// Login throttling: failed logins are counted per login name (whether the
// account exists or not) and per client address within `failure_window_s`;
// reaching the limit locks that name or address for `lockout_s`. Failed
// logins answer alike for unknown accounts, disabled accounts and wrong
// passwords, and take the same time (a dummy argon2id verification).
//
// Thread-safety: all methods are thread-safe; they block on the database.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace amtsweg::auth {

// The roles of issue 7. Routes name them as strings (http::RouteDoc::roles).
inline constexpr std::string_view kAdministrator = "administrator";
inline constexpr std::string_view kProcessDesigner = "process_designer";
inline constexpr std::string_view kCaseWorker = "case_worker";
inline constexpr std::string_view kManager = "manager";
// The platform operator (a state's cloud, the installation's owner): creates
// tenants and whatever else is platform-wide. Held only by accounts of the
// reserved tenant kPlatformTenant, which hold no other role; granted only by
// `amtsweg user add --operator` (a tenant's administrator cannot grant it:
// accounts of another tenant are out of the administrator's reach, and the
// role is refused for every other tenant).
inline constexpr std::string_view kOperator = "operator";
inline constexpr std::string_view kPlatformTenant = "platform";
// Not a role a user holds: a route that every signed-in principal may call.
inline constexpr std::string_view kAnyRole = "authenticated";
bool IsRole(std::string_view name);
const std::vector<std::string>& AllRoles();  // the tenant roles (not operator)

// Who is calling: a user with a session, or an API token.
struct Principal {
  enum class Kind { kSession, kApiToken };
  Kind kind = Kind::kSession;
  std::string tenant;
  std::string id;    // user id or token id
  std::string name;  // login or token name
  std::vector<std::string> roles;
  std::string session_hash;  // kSession: the stored id of the session
  std::string csrf_token;    // kSession: what X-CSRF-Token must carry on writes

  // "user:<id>" or "token:<id>", for the audit trail.
  std::string Actor() const;
  bool HasRole(std::string_view role) const;
};

struct User {
  std::string tenant, id, login, display_name, email;
  std::vector<std::string> roles, departments;
  bool active = true;
  core::Timestamp created_at{}, updated_at{};
};

struct NewUser {
  std::string login{}, display_name{}, email{}, password{};
  std::vector<std::string> roles{}, departments{};
};

// Fields left empty are not changed.
struct UserPatch {
  std::optional<std::string> display_name{}, email{}, password{};
  std::optional<std::vector<std::string>> roles{}, departments{};
  std::optional<bool> active{};
};

struct ApiToken {
  std::string tenant, id, name, created_by;
  std::vector<std::string> roles;
  core::Timestamp created_at{};
  std::optional<core::Timestamp> expires_at, revoked_at, last_used_at;
};

struct LoginResult {
  std::string cookie_value;  // the session id, for the Set-Cookie header
  std::string csrf_token;
  core::Timestamp expires_at{};  // absolute end of the session
  User user;
};

struct NewToken {
  ApiToken token;
  std::string secret;  // the bearer token; shown once, never stored
};

class Service {
 public:
  // `db` (writer started) and `clock` are borrowed and must outlive the service.
  Service(store::Database& db, const core::AuthConfig& config, core::Clock& clock);

  // Checks the password and opens a new session. `presented_cookie` is the
  // session cookie the client sent, if any: it is ended, never reused.
  // kInvalidArgument: empty login or password (field named).
  // kUnauthenticated: unknown login, disabled account or wrong password (one message for all).
  // kResourceExhausted: login name or client address locked after failures.
  core::Result<LoginResult> Login(const std::string& tenant, std::string_view login, std::string_view password,
                                  const std::string& client_address,
                                  std::optional<std::string_view> presented_cookie = std::nullopt);

  // The principal of a session cookie value. kUnauthenticated: malformed,
  // unknown, expired (idle or absolute; the session is deleted) or the user is disabled.
  core::Result<Principal> AuthenticateSession(std::string_view cookie_value);
  // The principal of a bearer token. kUnauthenticated: malformed, unknown, expired or revoked.
  core::Result<Principal> AuthenticateToken(std::string_view bearer);

  // Ends the principal's session. kInvalidArgument for API tokens.
  core::Status Logout(const Principal& who);
  // Ends every session of the principal's user; returns how many.
  core::Result<int64_t> LogoutEverywhere(const Principal& who);

  // Users of `tenant`. `actor` is recorded in the audit trail.
  // kInvalidArgument names the field (/login, /email, /roles/0, /password, ...);
  // kAlreadyExists: login taken; kNotFound: no such user;
  // kFailedPrecondition: the change would leave no active administrator.
  core::Result<User> CreateUser(const std::string& tenant, const std::string& actor, NewUser user);
  core::Result<User> GetUser(const std::string& tenant, const std::string& user_id);
  core::Result<std::vector<User>> ListUsers(const std::string& tenant);
  core::Result<User> UpdateUser(const std::string& tenant, const std::string& actor, const std::string& user_id,
                                const UserPatch& patch);
  core::Status DeleteUser(const std::string& tenant, const std::string& actor, const std::string& user_id);

  // API tokens of `tenant`. kInvalidArgument names the field (/name, /roles, /expiresAt).
  core::Result<NewToken> CreateToken(const std::string& tenant, const std::string& actor, const std::string& name,
                                     const std::vector<std::string>& roles,
                                     std::optional<core::Timestamp> expires_at);
  core::Result<std::vector<ApiToken>> ListTokens(const std::string& tenant);
  // Idempotent: revoking a revoked token is OK (and not audited again). kNotFound: no such token.
  core::Status RevokeToken(const std::string& tenant, const std::string& actor, const std::string& token_id);

  const core::AuthConfig& config() const { return config_; }
  core::Clock& clock() const { return clock_; }

 private:
  core::Result<User> LoadUser(store::Tx& tx, const std::string& tenant, const std::string& user_id);

  store::Database& db_;
  core::AuthConfig config_;
  core::Clock& clock_;
};

}  // namespace amtsweg::auth
