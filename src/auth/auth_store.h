// SQL of auth/: staff users, department memberships, sessions, API tokens and
// login throttling. Every statement is keyed by tenant. Functions run inside
// the caller's transaction (Database::Read or a writer command).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/tx.h"

namespace amtsweg::auth::sql {

struct UserRow {
  std::string tenant, user_id, login, display_name, email;
  std::string roles;  // space-separated
  std::string password_hash;
  bool active = true;
  int64_t created_at = 0, updated_at = 0;  // Unix ms
};

struct SessionRow {
  std::string tenant, id_hash, user_id;
  int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
  std::string remote;
  // Joined from the user:
  std::string login, roles;
  bool active = false;
};

struct TokenRow {
  std::string tenant, token_id, secret_hash, name, roles, created_by;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at, revoked_at, last_used_at;
};

struct ThrottleRow {
  int64_t failures = 0, window_start = 0, locked_until = 0;
};

// Users.
core::Status InsertUser(store::Tx& tx, const UserRow& u);
core::Status UpdateUser(store::Tx& tx, const UserRow& u);  // every column but created_at
core::Result<int64_t> DeleteUser(store::Tx& tx, const std::string& tenant, const std::string& user_id);
core::Result<std::optional<UserRow>> FindUserByLogin(store::Tx& tx, const std::string& tenant, const std::string& login);
core::Result<std::optional<UserRow>> FindUserById(store::Tx& tx, const std::string& tenant, const std::string& user_id);
core::Result<std::vector<UserRow>> ListUsers(store::Tx& tx, const std::string& tenant);
core::Status SetDepartments(store::Tx& tx, const std::string& tenant, const std::string& user_id,
                            const std::vector<std::string>& departments);
core::Result<std::vector<std::string>> Departments(store::Tx& tx, const std::string& tenant,
                                                   const std::string& user_id);

// Sessions.
core::Status InsertSession(store::Tx& tx, const SessionRow& s);
core::Result<std::optional<SessionRow>> FindSession(store::Tx& tx, const std::string& tenant,
                                                    const std::string& id_hash);
core::Status TouchSession(store::Tx& tx, const std::string& tenant, const std::string& id_hash, int64_t now);
core::Result<int64_t> DeleteSession(store::Tx& tx, const std::string& tenant, const std::string& id_hash);
core::Result<int64_t> DeleteUserSessions(store::Tx& tx, const std::string& tenant, const std::string& user_id);
// Sessions of the tenant past their absolute or idle limit.
core::Result<int64_t> DeleteStaleSessions(store::Tx& tx, const std::string& tenant, int64_t now, int64_t idle_cutoff);

// API tokens.
core::Status InsertToken(store::Tx& tx, const TokenRow& t);
core::Result<std::optional<TokenRow>> FindTokenBySecret(store::Tx& tx, const std::string& tenant,
                                                        const std::string& secret_hash);
core::Result<std::optional<TokenRow>> FindToken(store::Tx& tx, const std::string& tenant, const std::string& token_id);
core::Result<std::vector<TokenRow>> ListTokens(store::Tx& tx, const std::string& tenant);
core::Result<int64_t> RevokeToken(store::Tx& tx, const std::string& tenant, const std::string& token_id, int64_t now);
core::Result<int64_t> RevokeUserTokens(store::Tx& tx, const std::string& tenant, const std::string& created_by,
                                       int64_t now);
core::Status TouchToken(store::Tx& tx, const std::string& tenant, const std::string& token_id, int64_t now);

// Login throttling; subject "login:<name>" or "addr:<ip>".
core::Result<std::optional<ThrottleRow>> GetThrottle(store::Tx& tx, const std::string& tenant,
                                                     const std::string& subject);
core::Status PutThrottle(store::Tx& tx, const std::string& tenant, const std::string& subject, const ThrottleRow& r,
                         int64_t now);
core::Status DeleteThrottle(store::Tx& tx, const std::string& tenant, const std::string& subject);
// Forgets rows of `tenant` untouched since `before` and not locked any more.
core::Status PruneThrottle(store::Tx& tx, const std::string& tenant, int64_t before);

}  // namespace amtsweg::auth::sql
