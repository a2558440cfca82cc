-- packages/: signed process packages. The signing keys a tenant trusts, the
-- parameters each of its services was installed with (declarations from the
-- package, values of the tenant), and every install. Times: Unix ms (UTC).

CREATE TABLE package_trusted_keys (
  tenant_id  TEXT NOT NULL,
  key_id     TEXT NOT NULL,  -- first 16 hex digits of SHA-256 of the public key
  public_key TEXT NOT NULL,  -- base64 of the 32-byte Ed25519 public key
  label      TEXT NOT NULL,  -- who the key belongs to, e.g. "Amt Musterland"
  added_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key_id)
) WITHOUT ROWID;

CREATE TABLE package_service_parameters (
  tenant_id    TEXT NOT NULL,
  service_id   TEXT NOT NULL,
  package_name TEXT NOT NULL,
  declarations TEXT NOT NULL,  -- JSON array: name, type, default, required, description{de,en}
  binding      TEXT NOT NULL,  -- JSON {file, element, variable}, or {} when unbound
  param_values TEXT NOT NULL,  -- JSON object: the tenant's value of each parameter
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, service_id)
) WITHOUT ROWID;

CREATE TABLE package_installs (
  tenant_id       TEXT NOT NULL,
  install_id      TEXT NOT NULL,  -- UUIDv7
  service_id      TEXT NOT NULL,
  package_name    TEXT NOT NULL,
  package_version TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  key_id          TEXT NOT NULL,  -- the signer
  deployment_id   TEXT NOT NULL,
  process_version INTEGER NOT NULL,
  param_values    TEXT NOT NULL,  -- JSON object
  installed_at    INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, install_id)
) WITHOUT ROWID;
CREATE INDEX package_installs_service ON package_installs (tenant_id, service_id, installed_at);

-- Reference process models from the FIM process catalogue (XProzess 2 files
-- with embedded BPMN): kept with the report of what the import took; not
-- executable until a designer models the executable process from them.
CREATE TABLE package_reference_models (
  tenant_id   TEXT NOT NULL,
  model_id    TEXT NOT NULL,  -- the process class key, e.g. 99006028261000
  version     TEXT NOT NULL,  -- the process class version, e.g. 01.00.00
  name        TEXT NOT NULL,
  bpmn        TEXT NOT NULL,  -- the BPMN 2.0 XML as extracted, byte for byte
  report      TEXT NOT NULL,  -- JSON: legal bases, processes, lint findings, what was not taken
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, model_id, version)
) WITHOUT ROWID;
