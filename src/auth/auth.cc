#include "auth/auth.h"

#include <algorithm>
#include <chrono>

#include "audit/audit.h"
#include "auth/auth_store.h"
#include "auth/password.h"
#include "auth/secrets.h"
#include "core/id.h"

namespace amtsweg::auth {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr std::string_view kTokenPrefix = "awt_";
// One message for every failed login, whatever the reason.
constexpr const char* kLoginFailed = "login failed: unknown login name or wrong password";
constexpr const char* kLocked = "too many failed logins: try again later";

int64_t Ms(core::Timestamp t) { return core::ToUnixMillis(t); }

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) {
    if (!out.empty()) out += ' ';
    out += r;
  }
  return out;
}

std::vector<std::string> SplitRoles(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool ValidLogin(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
  });
}

bool ValidEmail(std::string_view s) {
  if (s.size() < 3 || s.size() > 254) return false;
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  return std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || c < 0x20 || c == 0x7f; });
}

bool ValidText(std::string_view s, size_t max) {
  return !s.empty() && s.size() <= max && std::none_of(s.begin(), s.end(), [](char c) { return c >= 0 && c < 0x20; });
}

// Tenant roles for a tenant's accounts; operator, and only operator, for the platform tenant's.
void CheckRoles(std::string_view tenant, const std::vector<std::string>& roles, std::vector<core::FieldError>& errors) {
  if (roles.empty()) errors.push_back({"/roles", "at least one role is required"});
  bool platform = tenant == kPlatformTenant;
  for (size_t i = 0; i < roles.size(); ++i) {
    std::string at = "/roles/" + std::to_string(i);
    if (!IsRole(roles[i])) {
      errors.push_back({at, "unknown role '" + roles[i] + "' (administrator, process_designer, case_worker, manager)"});
    } else if (roles[i] == kOperator && !platform) {
      errors.push_back({at, "operator is a platform role: only accounts of the tenant 'platform' hold it "
                            "(amtsweg user add --operator)"});
    } else if (roles[i] != kOperator && platform) {
      errors.push_back({at, "accounts of the tenant 'platform' hold only the role operator"});
    }
  }
}

void CheckDepartments(const std::vector<std::string>& deps, std::vector<core::FieldError>& errors) {
  for (size_t i = 0; i < deps.size(); ++i) {
    if (!ValidText(deps[i], 100)) errors.push_back({"/departments/" + std::to_string(i), "must be 1 to 100 characters"});
  }
}

void CheckPassword(std::string_view pw, int min_length, std::vector<core::FieldError>& errors) {
  if (pw.size() < static_cast<size_t>(min_length)) {
    errors.push_back({"/password", "must be at least " + std::to_string(min_length) + " characters"});
  } else if (pw.size() > kMaxPasswordBytes) {
    errors.push_back({"/password", "must be at most 1024 bytes"});
  }
}

std::vector<std::string> Dedup(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The tenant and secret of "<tenant>.<secret>"; the secret is 43 base64url characters.
core::Result<std::pair<std::string, std::string>> SplitCredential(std::string_view value) {
  size_t dot = value.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return core::Unauthenticated("malformed credential");
  std::string_view secret = value.substr(dot + 1);
  bool b64 = secret.size() == 43 && std::all_of(secret.begin(), secret.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
             });
  if (!b64) return core::Unauthenticated("malformed credential");
  auto tenant = DecodeTenant(value.substr(0, dot));
  if (!tenant.ok()) return core::Unauthenticated("malformed credential");
  return std::make_pair(std::move(*tenant), std::string(secret));
}

User ToUser(const sql::UserRow& r, std::vector<std::string> departments) {
  User u;
  u.tenant = r.tenant;
  u.id = r.user_id;
  u.login = r.login;
  u.display_name = r.display_name;
  u.email = r.email;
  u.roles = SplitRoles(r.roles);
  u.departments = std::move(departments);
  u.active = r.active;
  u.created_at = core::FromUnixMillis(r.created_at);
  u.updated_at = core::FromUnixMillis(r.updated_at);
  return u;
}

ApiToken ToToken(const sql::TokenRow& r) {
  ApiToken t;
  t.tenant = r.tenant;
  t.id = r.token_id;
  t.name = r.name;
  t.created_by = r.created_by;
  t.roles = SplitRoles(r.roles);
  t.created_at = core::FromUnixMillis(r.created_at);
  if (r.expires_at) t.expires_at = core::FromUnixMillis(*r.expires_at);
  if (r.revoked_at) t.revoked_at = core::FromUnixMillis(*r.revoked_at);
  if (r.last_used_at) t.last_used_at = core::FromUnixMillis(*r.last_used_at);
  return t;
}

core::Json RolesJson(const std::vector<std::string>& roles) { return core::Json(roles); }

// Refuses a change that leaves the tenant without an active administrator
// (nobody could manage accounts any more). Runs after the change, in its command.
core::Status RequireActiveAdministrator(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto users, sql::ListUsers(tx, tenant));
  // The platform tenant's accounts are operators: at least one must stay.
  std::string_view needed = tenant == kPlatformTenant ? kOperator : kAdministrator;
  for (const auto& u : users) {
    if (!u.active) continue;
    auto roles = SplitRoles(u.roles);
    if (std::find(roles.begin(), roles.end(), needed) != roles.end()) return core::OkStatus();
  }
  return core::FailedPrecondition("the change would leave the tenant without an active administrator");
}

// One failure for `subject`; true when it now locks.
core::Result<bool> RecordFailure(store::Tx& tx, const std::string& tenant, const std::string& subject, int max_failures,
                                 const core::AuthConfig& cfg, int64_t now) {
  AW_ASSIGN_OR_RETURN(auto row, sql::GetThrottle(tx, tenant, subject));
  sql::ThrottleRow r = row.value_or(sql::ThrottleRow{0, now, 0});
  if (r.window_start + int64_t{cfg.failure_window_s} * 1000 <= now) {
    r.failures = 0;
    r.window_start = now;
  }
  ++r.failures;
  bool locks = r.failures >= max_failures;
  if (locks) {
    r.locked_until = now + int64_t{cfg.lockout_s} * 1000;
    r.failures = 0;
    r.window_start = now;
  }
  AW_TRY(sql::PutThrottle(tx, tenant, subject, r, now));
  return locks;
}

}  // namespace

bool IsRole(std::string_view name) {
  return name == kAdministrator || name == kProcessDesigner || name == kCaseWorker || name == kManager ||
         name == kOperator;
}

const std::vector<std::string>& AllRoles() {
  static const std::vector<std::string> roles = {std::string(kAdministrator), std::string(kProcessDesigner),
                                                 std::string(kCaseWorker), std::string(kManager)};
  return roles;
}

std::string Principal::Actor() const { return (kind == Kind::kSession ? "user:" : "token:") + id; }

bool Principal::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Service::Service(store::Database& db, const core::AuthConfig& config, core::Clock& clock)
    : db_(db), config_(config), clock_(clock) {}

core::Result<LoginResult> Service::Login(const std::string& tenant, std::string_view login_in,
                                         std::string_view password, const std::string& client_address,
                                         std::optional<std::string_view> presented_cookie) {
  std::string login = Lower(Trim(login_in));
  std::vector<core::FieldError> errors;
  if (login.empty()) errors.push_back({"/login", "is required"});
  if (password.empty()) errors.push_back({"/password", "is required"});
  if (password.size() > kMaxPasswordBytes) errors.push_back({"/password", "must be at most 1024 bytes"});
  if (!errors.empty()) return core::InvalidArgument("login request is incomplete", std::move(errors));
  if (login.size() > 256) login.resize(256);  // bounds what the throttle table stores

  const int64_t now = Ms(clock_.Now());
  const std::string login_subject = "login:" + login;
  const std::string addr_subject = "addr:" + client_address;

  struct Found {
    std::optional<sql::UserRow> user;
    bool locked = false;
  };
  AW_ASSIGN_OR_RETURN(Found found, db_.Read([&](store::Tx& tx) -> core::Result<Found> {
                        Found f;
                        for (const auto* subject : {&login_subject, &addr_subject}) {
                          AW_ASSIGN_OR_RETURN(auto t, sql::GetThrottle(tx, tenant, *subject));
                          if (t && t->locked_until > now) f.locked = true;
                        }
                        if (f.locked) return f;
                        AW_ASSIGN_OR_RETURN(f.user, sql::FindUserByLogin(tx, tenant, login));
                        return f;
                      }));
  if (found.locked) return core::ResourceExhausted(kLocked);

  bool ok = false;
  if (found.user && found.user->active) {
    ok = VerifyPassword(found.user->password_hash, password);
  } else {
    VerifyDummy(password);
  }

  if (!ok) {
    std::string object_id = found.user ? found.user->user_id : "";
    AW_TRY(db_.writer().Run([&](store::Tx& tx) -> core::Status {
      AW_ASSIGN_OR_RETURN(bool login_locked,
                          RecordFailure(tx, tenant, login_subject, config_.max_failures_per_account, config_, now));
      AW_ASSIGN_OR_RETURN(bool addr_locked,
                          RecordFailure(tx, tenant, addr_subject, config_.max_failures_per_address, config_, now));
      AW_TRY(sql::PruneThrottle(tx, tenant, now - 86'400'000));
      AW_TRY(audit::Append(tx,
                           {.tenant = tenant, .actor = "anonymous", .action = "auth.login_failed",
                            .object_type = "user", .object_id = object_id,
                            .details = {{"login", login}, {"remote", client_address}}},
                           core::FromUnixMillis(now)));
      for (auto [locked, subject] : {std::pair{login_locked, &login_subject}, std::pair{addr_locked, &addr_subject}}) {
        if (!locked) continue;
        AW_TRY(audit::Append(tx,
                             {.tenant = tenant, .actor = "system", .action = "auth.lockout",
                              .object_type = "login_throttle", .object_id = *subject,
                              .details = {{"lockedForSeconds", config_.lockout_s}}},
                             core::FromUnixMillis(now)));
      }
      return core::OkStatus();
    }));
    return core::Unauthenticated(kLoginFailed);
  }

  const sql::UserRow& user = *found.user;
  std::optional<std::string> rehashed;
  if (NeedsRehash(user.password_hash)) {
    auto h = HashPassword(password);
    if (h.ok()) rehashed = std::move(*h);
  }

  LoginResult result;
  std::string secret = RandomSecret();
  result.cookie_value = EncodeTenant(tenant) + "." + secret;
  result.csrf_token = CsrfTokenFor(secret);
  const int64_t expires = now + int64_t{config_.session_absolute_timeout_s} * 1000;
  result.expires_at = core::FromUnixMillis(expires);
  std::optional<std::string> old_hash;
  if (presented_cookie) {
    auto old = SplitCredential(*presented_cookie);
    if (old.ok() && old->first == tenant) old_hash = Sha256Hex(old->second);
  }

  AW_ASSIGN_OR_RETURN(result.user, db_.writer().Write([&](store::Tx& tx) -> core::Result<User> {
                        if (old_hash) AW_TRY(sql::DeleteSession(tx, tenant, *old_hash));
                        // Housekeeping: expired sessions of the tenant go with every login
                        // (a scan of one tenant's sessions, a few hundred rows in an Amt).
                        AW_TRY(sql::DeleteStaleSessions(tx, tenant, now,
                                                        now - int64_t{config_.session_idle_timeout_s} * 1000));
                        sql::SessionRow s;
                        s.tenant = tenant;
                        s.id_hash = Sha256Hex(secret);
                        s.user_id = user.user_id;
                        s.created_at = now;
                        s.last_seen_at = now;
                        s.expires_at = expires;
                        s.remote = client_address;
                        AW_TRY(sql::InsertSession(tx, s));
                        AW_TRY(sql::DeleteThrottle(tx, tenant, login_subject));
                        if (rehashed) {
                          sql::UserRow u = user;
                          u.password_hash = *rehashed;
                          u.updated_at = now;
                          AW_TRY(sql::UpdateUser(tx, u));
                        }
                        AW_TRY(audit::Append(tx,
                                             {.tenant = tenant, .actor = "user:" + user.user_id,
                                              .action = "auth.login", .object_type = "user",
                                              .object_id = user.user_id,
                                              .details = {{"remote", client_address},
                                                          {"rotatedSession", old_hash.has_value()}}},
                                             core::FromUnixMillis(now)));
                        return LoadUser(tx, tenant, user.user_id);
                      }));
  return result;
}

core::Result<Principal> Service::AuthenticateSession(std::string_view cookie_value) {
  AW_ASSIGN_OR_RETURN(auto parts, SplitCredential(cookie_value));
  const std::string& tenant = parts.first;
  const std::string id_hash = Sha256Hex(parts.second);
  AW_ASSIGN_OR_RETURN(auto session, db_.Read([&](store::Tx& tx) { return sql::FindSession(tx, tenant, id_hash); }));
  if (!session) return core::Unauthenticated("no valid session: sign in");
  const int64_t now = Ms(clock_.Now());
  const int64_t idle_ms = int64_t{config_.session_idle_timeout_s} * 1000;
  if (session->expires_at <= now || now - session->last_seen_at >= idle_ms) {
    AW_TRY(db_.writer().Write([&](store::Tx& tx) { return sql::DeleteSession(tx, tenant, id_hash); }));
    return core::Unauthenticated("session expired: sign in again");
  }
  if (!session->active) return core::Unauthenticated("no valid session: sign in");
  if (now - session->last_seen_at >= std::min(kMinute, idle_ms / 4)) {
    AW_TRY(db_.writer().Run([&](store::Tx& tx) { return sql::TouchSession(tx, tenant, id_hash, now); }));
  }
  Principal p;
  p.kind = Principal::Kind::kSession;
  p.tenant = tenant;
  p.id = session->user_id;
  p.name = session->login;
  p.roles = SplitRoles(session->roles);
  p.session_hash = id_hash;
  p.csrf_token = CsrfTokenFor(parts.second);
  return p;
}

core::Result<Principal> Service::AuthenticateToken(std::string_view bearer) {
  if (!bearer.starts_with(kTokenPrefix)) return core::Unauthenticated("malformed API token");
  AW_ASSIGN_OR_RETURN(auto parts, SplitCredential(bearer.substr(kTokenPrefix.size())));
  const std::string& tenant = parts.first;
  const std::string hash = Sha256Hex(parts.second);
  AW_ASSIGN_OR_RETURN(auto token, db_.Read([&](store::Tx& tx) { return sql::FindTokenBySecret(tx, tenant, hash); }));
  const int64_t now = Ms(clock_.Now());
  if (!token || token->revoked_at || (token->expires_at && *token->expires_at <= now)) {
    return core::Unauthenticated("API token unknown, expired or revoked");
  }
  if (!token->last_used_at || now - *token->last_used_at >= kMinute) {
    AW_TRY(db_.writer().Run([&](store::Tx& tx) { return sql::TouchToken(tx, tenant, token->token_id, now); }));
  }
  Principal p;
  p.kind = Principal::Kind::kApiToken;
  p.tenant = tenant;
  p.id = token->token_id;
  p.name = token->name;
  p.roles = SplitRoles(token->roles);
  return p;
}

core::Status Service::Logout(const Principal& who) {
  if (who.kind != Principal::Kind::kSession) return core::InvalidArgument("an API token has no session to end");
  const auto now = clock_.Now();
  return db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(sql::DeleteSession(tx, who.tenant, who.session_hash));
    AW_TRY(audit::Append(tx, {.tenant = who.tenant, .actor = who.Actor(), .action = "auth.logout",
                              .object_type = "user", .object_id = who.id},
                         now));
    return core::OkStatus();
  });
}

core::Result<int64_t> Service::LogoutEverywhere(const Principal& who) {
  if (who.kind != Principal::Kind::kSession) return core::InvalidArgument("an API token has no sessions to end");
  const auto now = clock_.Now();
  return db_.writer().Write([&](store::Tx& tx) -> core::Result<int64_t> {
    AW_ASSIGN_OR_RETURN(int64_t n, sql::DeleteUserSessions(tx, who.tenant, who.id));
    AW_TRY(audit::Append(tx, {.tenant = who.tenant, .actor = who.Actor(), .action = "auth.logout_everywhere",
                              .object_type = "user", .object_id = who.id, .details = {{"sessions", n}}},
                         now));
    return n;
  });
}

core::Result<User> Service::LoadUser(store::Tx& tx, const std::string& tenant, const std::string& user_id) {
  AW_ASSIGN_OR_RETURN(auto row, sql::FindUserById(tx, tenant, user_id));
  if (!row) return core::NotFound("no user " + user_id);
  AW_ASSIGN_OR_RETURN(auto deps, sql::Departments(tx, tenant, user_id));
  return ToUser(*row, std::move(deps));
}

core::Result<User> Service::CreateUser(const std::string& tenant, const std::string& actor, NewUser in) {
  in.login = Lower(Trim(in.login));
  in.display_name = Trim(in.display_name);
  in.email = Trim(in.email);
  std::vector<core::FieldError> errors;
  if (tenant.empty() || tenant.size() > 100) errors.push_back({"/tenant", "must be 1 to 100 characters"});
  if (!ValidLogin(in.login)) errors.push_back({"/login", "must be 1 to 64 of a-z 0-9 . _ - @"});
  if (!ValidText(in.display_name, 200)) errors.push_back({"/displayName", "must be 1 to 200 characters"});
  if (!ValidEmail(in.email)) errors.push_back({"/email", "must be an e-mail address"});
  CheckRoles(tenant, in.roles, errors);
  CheckDepartments(in.departments, errors);
  CheckPassword(in.password, config_.min_password_length, errors);
  if (!errors.empty()) return core::InvalidArgument("user is invalid", std::move(errors));
  AW_ASSIGN_OR_RETURN(std::string hash, HashPassword(in.password));

  const auto now = clock_.Now();
  sql::UserRow row;
  row.tenant = tenant;
  row.user_id = core::Uuid::NewV7().ToString();
  row.login = in.login;
  row.display_name = in.display_name;
  row.email = in.email;
  row.roles = JoinRoles(Dedup(in.roles));
  row.password_hash = hash;
  row.active = true;
  row.created_at = row.updated_at = Ms(now);
  auto departments = Dedup(in.departments);
  return db_.writer().Write([&](store::Tx& tx) -> core::Result<User> {
    if (auto s = sql::InsertUser(tx, row); !s.ok()) {
      if (s.error().code() == core::ErrorCode::kAlreadyExists) {
        return core::AlreadyExists("login '" + row.login + "' is already taken");
      }
      return std::move(s).error();
    }
    AW_TRY(sql::SetDepartments(tx, tenant, row.user_id, departments));
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor, .action = "auth.user_created", .object_type = "user",
                          .object_id = row.user_id,
                          .details = {{"login", row.login}, {"roles", RolesJson(SplitRoles(row.roles))},
                                      {"departments", departments}}},
                         now));
    return ToUser(row, departments);
  });
}

core::Result<User> Service::GetUser(const std::string& tenant, const std::string& user_id) {
  return db_.Read([&](store::Tx& tx) { return LoadUser(tx, tenant, user_id); });
}

core::Result<std::vector<User>> Service::ListUsers(const std::string& tenant) {
  return db_.Read([&](store::Tx& tx) -> core::Result<std::vector<User>> {
    AW_ASSIGN_OR_RETURN(auto rows, sql::ListUsers(tx, tenant));
    std::vector<User> out;
    for (const auto& r : rows) {
      AW_ASSIGN_OR_RETURN(auto deps, sql::Departments(tx, tenant, r.user_id));
      out.push_back(ToUser(r, std::move(deps)));
    }
    return out;
  });
}

core::Result<User> Service::UpdateUser(const std::string& tenant, const std::string& actor, const std::string& user_id,
                                       const UserPatch& patch) {
  std::vector<core::FieldError> errors;
  if (patch.display_name && !ValidText(Trim(*patch.display_name), 200)) {
    errors.push_back({"/displayName", "must be 1 to 200 characters"});
  }
  if (patch.email && !ValidEmail(Trim(*patch.email))) errors.push_back({"/email", "must be an e-mail address"});
  if (patch.roles) CheckRoles(tenant, *patch.roles, errors);
  if (patch.departments) CheckDepartments(*patch.departments, errors);
  if (patch.password) CheckPassword(*patch.password, config_.min_password_length, errors);
  if (!errors.empty()) return core::InvalidArgument("user change is invalid", std::move(errors));
  std::optional<std::string> hash;
  if (patch.password) {
    AW_ASSIGN_OR_RETURN(hash, HashPassword(*patch.password));
  }
  const auto now = clock_.Now();
  return db_.writer().Write([&](store::Tx& tx) -> core::Result<User> {
    AW_ASSIGN_OR_RETURN(auto row, sql::FindUserById(tx, tenant, user_id));
    if (!row) return core::NotFound("no user " + user_id);
    core::Json changed = core::Json::array();
    if (patch.display_name) {
      row->display_name = Trim(*patch.display_name);
      changed.push_back("displayName");
    }
    if (patch.email) {
      row->email = Trim(*patch.email);
      changed.push_back("email");
    }
    if (patch.roles) {
      row->roles = JoinRoles(Dedup(*patch.roles));
      changed.push_back("roles");
    }
    if (hash) {
      row->password_hash = *hash;
      changed.push_back("password");
    }
    if (patch.active) {
      row->active = *patch.active;
      changed.push_back("active");
    }
    if (patch.departments) changed.push_back("departments");
    row->updated_at = Ms(now);
    AW_TRY(sql::UpdateUser(tx, *row));
    if (patch.departments) AW_TRY(sql::SetDepartments(tx, tenant, user_id, Dedup(*patch.departments)));
    // A new password or a disabled account ends every session of the user.
    int64_t ended = 0;
    if (hash || !row->active) {
      AW_ASSIGN_OR_RETURN(ended, sql::DeleteUserSessions(tx, tenant, user_id));
    }
    if (patch.roles || patch.active) AW_TRY(RequireActiveAdministrator(tx, tenant));
    core::Json details = {{"changed", changed}, {"sessionsEnded", ended}};
    if (patch.roles) details["roles"] = SplitRoles(row->roles);
    if (patch.active) details["active"] = row->active;
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor, .action = "auth.user_updated", .object_type = "user",
                          .object_id = user_id, .details = std::move(details)},
                         now));
    return LoadUser(tx, tenant, user_id);
  });
}

core::Status Service::DeleteUser(const std::string& tenant, const std::string& actor, const std::string& user_id) {
  const auto now = clock_.Now();
  return db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto row, sql::FindUserById(tx, tenant, user_id));
    if (!row) return core::NotFound("no user " + user_id);
    AW_ASSIGN_OR_RETURN(int64_t ended, sql::DeleteUserSessions(tx, tenant, user_id));
    AW_TRY(sql::DeleteUser(tx, tenant, user_id));
    AW_TRY(RequireActiveAdministrator(tx, tenant));
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor, .action = "auth.user_deleted", .object_type = "user",
                          .object_id = user_id, .details = {{"login", row->login}, {"sessionsEnded", ended}}},
                         now));
    return core::OkStatus();
  });
}

core::Result<NewToken> Service::CreateToken(const std::string& tenant, const std::string& actor,
                                            const std::string& name_in, const std::vector<std::string>& roles,
                                            std::optional<core::Timestamp> expires_at) {
  std::string name = Trim(name_in);
  const auto now = clock_.Now();
  std::vector<core::FieldError> errors;
  if (!ValidText(name, 100)) errors.push_back({"/name", "must be 1 to 100 characters"});
  CheckRoles(tenant, roles, errors);
  if (expires_at && *expires_at <= now) errors.push_back({"/expiresAt", "must be in the future"});
  if (!errors.empty()) return core::InvalidArgument("API token is invalid", std::move(errors));

  std::string secret = RandomSecret();
  sql::TokenRow row;
  row.tenant = tenant;
  row.token_id = core::Uuid::NewV7().ToString();
  row.secret_hash = Sha256Hex(secret);
  row.name = name;
  row.roles = JoinRoles(Dedup(roles));
  row.created_by = actor;
  row.created_at = Ms(now);
  if (expires_at) row.expires_at = Ms(*expires_at);
  AW_TRY(db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_TRY(sql::InsertToken(tx, row));
    core::Json details = {{"name", row.name}, {"roles", SplitRoles(row.roles)}};
    if (expires_at) details["expiresAt"] = core::FormatIso8601(*expires_at);
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor, .action = "auth.token_created",
                          .object_type = "api_token", .object_id = row.token_id, .details = std::move(details)},
                         now));
    return core::OkStatus();
  }));
  return NewToken{ToToken(row), std::string(kTokenPrefix) + EncodeTenant(tenant) + "." + secret};
}

core::Result<std::vector<ApiToken>> Service::ListTokens(const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Tx& tx) { return sql::ListTokens(tx, tenant); }));
  std::vector<ApiToken> out;
  for (const auto& r : rows) out.push_back(ToToken(r));
  return out;
}

core::Status Service::RevokeToken(const std::string& tenant, const std::string& actor, const std::string& token_id) {
  const auto now = clock_.Now();
  return db_.writer().Run([&](store::Tx& tx) -> core::Status {
    AW_ASSIGN_OR_RETURN(auto token, sql::FindToken(tx, tenant, token_id));
    if (!token) return core::NotFound("no API token " + token_id);
    AW_ASSIGN_OR_RETURN(int64_t n, sql::RevokeToken(tx, tenant, token_id, Ms(now)));
    if (n == 0) return core::OkStatus();  // already revoked
    AW_TRY(audit::Append(tx,
                         {.tenant = tenant, .actor = actor, .action = "auth.token_revoked",
                          .object_type = "api_token", .object_id = token_id, .details = {{"name", token->name}}},
                         now));
    return core::OkStatus();
  });
}

}  // namespace amtsweg::auth
