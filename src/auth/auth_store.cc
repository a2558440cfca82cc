#include "auth/auth_store.h"

namespace amtsweg::auth::sql {
namespace {

constexpr const char* kUserColumns =
    "tenant_id, user_id, login, display_name, email, roles, password_hash, active, created_at, updated_at";

UserRow ToUser(const store::Row& r) {
  UserRow u;
  u.tenant = r.Text(0);
  u.user_id = r.Text(1);
  u.login = r.Text(2);
  u.display_name = r.Text(3);
  u.email = r.Text(4);
  u.roles = r.Text(5);
  u.password_hash = r.Text(6);
  u.active = r.Int(7) != 0;
  u.created_at = r.Int(8);
  u.updated_at = r.Int(9);
  return u;
}

std::optional<int64_t> OptInt(const store::Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return r.Int(i);
}

store::Value OptValue(const std::optional<int64_t>& v) { return v ? store::Value(*v) : store::Value(); }

TokenRow ToToken(const store::Row& r) {
  TokenRow t;
  t.tenant = r.Text(0);
  t.token_id = r.Text(1);
  t.secret_hash = r.Text(2);
  t.name = r.Text(3);
  t.roles = r.Text(4);
  t.created_by = r.Text(5);
  t.created_at = r.Int(6);
  t.expires_at = OptInt(r, 7);
  t.revoked_at = OptInt(r, 8);
  t.last_used_at = OptInt(r, 9);
  return t;
}

constexpr const char* kTokenColumns =
    "tenant_id, token_id, secret_hash, name, roles, created_by, created_at, expires_at, revoked_at, last_used_at";

}  // namespace

core::Status InsertUser(store::Tx& tx, const UserRow& u) {
  AW_TRY(tx.Exec("INSERT INTO auth_users (tenant_id, user_id, login, display_name, email, roles, password_hash, "
                 "active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {u.tenant, u.user_id, u.login, u.display_name, u.email, u.roles, u.password_hash, u.active ? 1 : 0,
                  u.created_at, u.updated_at}));
  return core::OkStatus();
}

core::Status UpdateUser(store::Tx& tx, const UserRow& u) {
  AW_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE auth_users SET login = $3, display_name = $4, email = $5, roles = $6, "
                                         "password_hash = $7, active = $8, updated_at = $9 "
                                         "WHERE tenant_id = $1 AND user_id = $2",
                                         {u.tenant, u.user_id, u.login, u.display_name, u.email, u.roles,
                                          u.password_hash, u.active ? 1 : 0, u.updated_at}));
  if (n == 0) return core::NotFound("no user " + u.user_id);
  return core::OkStatus();
}

core::Result<int64_t> DeleteUser(store::Tx& tx, const std::string& tenant, const std::string& user_id) {
  AW_TRY(tx.Exec("DELETE FROM auth_user_departments WHERE tenant_id = $1 AND user_id = $2", {tenant, user_id}));
  return tx.Exec("DELETE FROM auth_users WHERE tenant_id = $1 AND user_id = $2", {tenant, user_id});
}

core::Result<std::optional<UserRow>> FindUserByLogin(store::Tx& tx, const std::string& tenant,
                                                     const std::string& login) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kUserColumns +
                                                " FROM auth_users WHERE tenant_id = $1 AND login = $2",
                                            {tenant, login}));
  if (!row) return std::optional<UserRow>();
  return std::optional<UserRow>(ToUser(*row));
}

core::Result<std::optional<UserRow>> FindUserById(store::Tx& tx, const std::string& tenant,
                                                  const std::string& user_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kUserColumns +
                                                " FROM auth_users WHERE tenant_id = $1 AND user_id = $2",
                                            {tenant, user_id}));
  if (!row) return std::optional<UserRow>();
  return std::optional<UserRow>(ToUser(*row));
}

core::Result<std::vector<UserRow>> ListUsers(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                              " FROM auth_users WHERE tenant_id = $1 ORDER BY login",
                                          {tenant}));
  std::vector<UserRow> out;
  for (const auto& r : rows) out.push_back(ToUser(r));
  return out;
}

core::Status SetDepartments(store::Tx& tx, const std::string& tenant, const std::string& user_id,
                            const std::vector<std::string>& departments) {
  AW_TRY(tx.Exec("DELETE FROM auth_user_departments WHERE tenant_id = $1 AND user_id = $2", {tenant, user_id}));
  for (const auto& d : departments) {
    AW_TRY(tx.Exec("INSERT INTO auth_user_departments (tenant_id, user_id, department_id) VALUES ($1, $2, $3) "
                   "ON CONFLICT DO NOTHING",
                   {tenant, user_id, d}));
  }
  return core::OkStatus();
}

core::Result<std::vector<std::string>> Departments(store::Tx& tx, const std::string& tenant,
                                                   const std::string& user_id) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT department_id FROM auth_user_departments "
                                          "WHERE tenant_id = $1 AND user_id = $2 ORDER BY department_id",
                                          {tenant, user_id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

core::Status InsertSession(store::Tx& tx, const SessionRow& s) {
  AW_TRY(tx.Exec("INSERT INTO auth_sessions (tenant_id, id_hash, user_id, created_at, last_seen_at, expires_at, remote) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {s.tenant, s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.remote}));
  return core::OkStatus();
}

core::Result<std::optional<SessionRow>> FindSession(store::Tx& tx, const std::string& tenant,
                                                    const std::string& id_hash) {
  AW_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne("SELECT s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.remote, u.login, "
                                  "u.roles, u.active FROM auth_sessions s JOIN auth_users u "
                                  "ON u.tenant_id = s.tenant_id AND u.user_id = s.user_id "
                                  "WHERE s.tenant_id = $1 AND s.id_hash = $2",
                                  {tenant, id_hash}));
  if (!row) return std::optional<SessionRow>();
  SessionRow s;
  s.tenant = tenant;
  s.id_hash = id_hash;
  s.user_id = row->Text(0);
  s.created_at = row->Int(1);
  s.last_seen_at = row->Int(2);
  s.expires_at = row->Int(3);
  s.remote = row->Text(4);
  s.login = row->Text(5);
  s.roles = row->Text(6);
  s.active = row->Int(7) != 0;
  return std::optional<SessionRow>(std::move(s));
}

core::Status TouchSession(store::Tx& tx, const std::string& tenant, const std::string& id_hash, int64_t now) {
  AW_TRY(tx.Exec("UPDATE auth_sessions SET last_seen_at = $3 WHERE tenant_id = $1 AND id_hash = $2 "
                 "AND last_seen_at < $3",
                 {tenant, id_hash, now}));
  return core::OkStatus();
}

core::Result<int64_t> DeleteSession(store::Tx& tx, const std::string& tenant, const std::string& id_hash) {
  return tx.Exec("DELETE FROM auth_sessions WHERE tenant_id = $1 AND id_hash = $2", {tenant, id_hash});
}

core::Result<int64_t> DeleteUserSessions(store::Tx& tx, const std::string& tenant, const std::string& user_id) {
  return tx.Exec("DELETE FROM auth_sessions WHERE tenant_id = $1 AND user_id = $2", {tenant, user_id});
}

core::Result<int64_t> DeleteStaleSessions(store::Tx& tx, const std::string& tenant, int64_t now, int64_t idle_cutoff) {
  return tx.Exec("DELETE FROM auth_sessions WHERE tenant_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)",
                 {tenant, now, idle_cutoff});
}

core::Status InsertToken(store::Tx& tx, const TokenRow& t) {
  AW_TRY(tx.Exec("INSERT INTO auth_api_tokens (tenant_id, token_id, secret_hash, name, roles, created_by, created_at, "
                 "expires_at, revoked_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)",
                 {t.tenant, t.token_id, t.secret_hash, t.name, t.roles, t.created_by, t.created_at,
                  OptValue(t.expires_at)}));
  return core::OkStatus();
}

core::Result<std::optional<TokenRow>> FindTokenBySecret(store::Tx& tx, const std::string& tenant,
                                                        const std::string& secret_hash) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kTokenColumns +
                                                " FROM auth_api_tokens WHERE tenant_id = $1 AND secret_hash = $2",
                                            {tenant, secret_hash}));
  if (!row) return std::optional<TokenRow>();
  return std::optional<TokenRow>(ToToken(*row));
}

core::Result<std::optional<TokenRow>> FindToken(store::Tx& tx, const std::string& tenant,
                                                const std::string& token_id) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kTokenColumns +
                                                " FROM auth_api_tokens WHERE tenant_id = $1 AND token_id = $2",
                                            {tenant, token_id}));
  if (!row) return std::optional<TokenRow>();
  return std::optional<TokenRow>(ToToken(*row));
}

core::Result<std::vector<TokenRow>> ListTokens(store::Tx& tx, const std::string& tenant) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kTokenColumns +
                                              " FROM auth_api_tokens WHERE tenant_id = $1 ORDER BY token_id",
                                          {tenant}));
  std::vector<TokenRow> out;
  for (const auto& r : rows) out.push_back(ToToken(r));
  return out;
}

core::Result<int64_t> RevokeToken(store::Tx& tx, const std::string& tenant, const std::string& token_id, int64_t now) {
  return tx.Exec("UPDATE auth_api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND token_id = $2 "
                 "AND revoked_at IS NULL",
                 {tenant, token_id, now});
}

core::Result<int64_t> RevokeUserTokens(store::Tx& tx, const std::string& tenant, const std::string& created_by,
                                       int64_t now) {
  return tx.Exec("UPDATE auth_api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND created_by = $2 "
                 "AND revoked_at IS NULL",
                 {tenant, created_by, now});
}

core::Status TouchToken(store::Tx& tx, const std::string& tenant, const std::string& token_id, int64_t now) {
  AW_TRY(tx.Exec("UPDATE auth_api_tokens SET last_used_at = $3 WHERE tenant_id = $1 AND token_id = $2",
                 {tenant, token_id, now}));
  return core::OkStatus();
}

core::Result<std::optional<ThrottleRow>> GetThrottle(store::Tx& tx, const std::string& tenant,
                                                     const std::string& subject) {
  AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT failures, window_start, locked_until FROM auth_login_throttle "
                                            "WHERE tenant_id = $1 AND subject = $2",
                                            {tenant, subject}));
  if (!row) return std::optional<ThrottleRow>();
  return std::optional<ThrottleRow>(ThrottleRow{row->Int(0), row->Int(1), row->Int(2)});
}

core::Status PutThrottle(store::Tx& tx, const std::string& tenant, const std::string& subject, const ThrottleRow& r,
                         int64_t now) {
  AW_TRY(tx.Exec("INSERT INTO auth_login_throttle (tenant_id, subject, failures, window_start, locked_until, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, subject) DO UPDATE SET "
                 "failures = excluded.failures, window_start = excluded.window_start, "
                 "locked_until = excluded.locked_until, updated_at = excluded.updated_at",
                 {tenant, subject, r.failures, r.window_start, r.locked_until, now}));
  return core::OkStatus();
}

core::Status DeleteThrottle(store::Tx& tx, const std::string& tenant, const std::string& subject) {
  AW_TRY(tx.Exec("DELETE FROM auth_login_throttle WHERE tenant_id = $1 AND subject = $2", {tenant, subject}));
  return core::OkStatus();
}

core::Status PruneThrottle(store::Tx& tx, const std::string& tenant, int64_t before) {
  AW_TRY(tx.Exec("DELETE FROM auth_login_throttle WHERE tenant_id = $1 AND updated_at < $2 AND locked_until < $2",
                 {tenant, before}));
  return core::OkStatus();
}

}  // namespace amtsweg::auth::sql
