-- Staff accounts, sessions, API tokens, login throttling (auth/) and the
-- audit trail (audit/). The tenant is the first column of every key. Times
-- are Unix milliseconds (UTC). Secrets are never stored: sessions and tokens
-- by the SHA-256 of their random part, passwords as argon2id strings.

CREATE TABLE auth_users (
  tenant_id     TEXT NOT NULL,
  user_id       TEXT NOT NULL,     -- UUIDv7
  login         TEXT NOT NULL,     -- lower case, unique per tenant
  display_name  TEXT NOT NULL,
  email         TEXT NOT NULL,
  roles         TEXT NOT NULL,     -- space-separated: administrator process_designer case_worker manager
  password_hash TEXT NOT NULL,     -- libsodium crypto_pwhash_str (argon2id)
  active        BIGINT NOT NULL,  -- 0: disabled, cannot log in
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
CREATE UNIQUE INDEX auth_users_login ON auth_users (tenant_id, login);

-- Department memberships; departments themselves belong to catalog/.
CREATE TABLE auth_user_departments (
  tenant_id     TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  department_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, department_id)
);
CREATE INDEX auth_user_departments_dept ON auth_user_departments (tenant_id, department_id);

CREATE TABLE auth_sessions (
  tenant_id    TEXT NOT NULL,
  id_hash      TEXT NOT NULL,     -- hex SHA-256 of the cookie's random part
  user_id      TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,  -- idle timeout counts from here
  expires_at   BIGINT NOT NULL,  -- absolute timeout
  remote       TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX auth_sessions_user ON auth_sessions (tenant_id, user_id);

CREATE TABLE auth_api_tokens (
  tenant_id    TEXT NOT NULL,
  token_id     TEXT NOT NULL,     -- UUIDv7, for listing and revoking
  secret_hash  TEXT NOT NULL,     -- hex SHA-256 of the token's random part
  name         TEXT NOT NULL,
  roles        TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT,           -- NULL: no expiry
  revoked_at   BIGINT,
  last_used_at BIGINT,
  PRIMARY KEY (tenant_id, token_id)
);
CREATE UNIQUE INDEX auth_api_tokens_secret ON auth_api_tokens (tenant_id, secret_hash);

-- Failed logins per account name (existing or not, so answers stay uniform)
-- and per client address: subject is 'login:<name>' or 'addr:<ip>'.
CREATE TABLE auth_login_throttle (
  tenant_id    TEXT NOT NULL,
  subject      TEXT NOT NULL,
  failures     BIGINT NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,  -- 0: not locked
  updated_at   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, subject)
);

-- Append-only audit trail, a SHA-256 hash chain per tenant (audit/).
CREATE TABLE audit_log (
  tenant_id   TEXT NOT NULL,
  seq         BIGINT NOT NULL,   -- 1, 2, ... per tenant, no gaps
  at          BIGINT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  details     TEXT NOT NULL,      -- JSON text, hashed exactly as stored
  prev_hash   TEXT NOT NULL,      -- hash of entry seq-1; 64 zeros for seq 1
  hash        TEXT NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

-- The last entry of each chain: serialises appends (row lock in PostgreSQL)
-- and lets verify notice entries removed from the end.
CREATE TABLE audit_heads (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  seq       BIGINT NOT NULL,
  hash      TEXT NOT NULL
);
