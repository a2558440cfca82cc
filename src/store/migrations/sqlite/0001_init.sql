-- Bookkeeping of applied migrations, and a small generic key/value table for
-- tests, benchmarks and later infrastructure. The tenant is part of every key.
CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  checksum   TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

CREATE TABLE kv (
  tenant_id TEXT NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT,
  PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;
