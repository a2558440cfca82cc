-- Tenants, departments, the service catalogue, versioned form schemas
-- (catalog/) and submissions (intake/): cases, their form data, attachments,
-- the audit trail, idempotency keys and drafts. The tenant is the first column
-- of every key. Times are Unix milliseconds (UTC). JSON columns hold text.

-- A tenant (municipality): tenant_id is its slug, e.g. 'amt-musterland'.
CREATE TABLE catalog_tenants (
  tenant_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,  -- Gemeinde | Amt | Stadt | Kreis
  ars        TEXT NOT NULL,  -- Amtlicher Regionalschlüssel, 12 digits
  doc        TEXT NOT NULL,  -- JSON: address, contact, portal (colours, logo)
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id)
);

-- Departments (Fachbereiche/Ämter) with their staff groups.
CREATE TABLE catalog_departments (
  tenant_id     TEXT NOT NULL,
  department_id TEXT NOT NULL,
  name          TEXT NOT NULL,
  doc           TEXT NOT NULL,  -- JSON: staffGroups, contact
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, department_id)
);

-- Form-js schemas, one row per version; never updated.
CREATE TABLE catalog_forms (
  tenant_id  TEXT NOT NULL,
  form_id    TEXT NOT NULL,
  version    BIGINT NOT NULL,
  checksum   TEXT NOT NULL,
  schema     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, form_id, version)
);

-- Services. service_id is globally unique (public URLs carry only it), so the
-- public routes find the tenant through the unique index.
CREATE TABLE catalog_services (
  tenant_id   TEXT NOT NULL,
  service_id  TEXT NOT NULL,
  leika       TEXT NOT NULL,  -- 14 digits
  published   BIGINT NOT NULL,
  doc         TEXT NOT NULL,  -- JSON: names, descriptions, legal basis, fees, documents,
                              -- processing time, form, process, responsibility
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, service_id)
);
CREATE UNIQUE INDEX catalog_services_id ON catalog_services (service_id);

-- A case: the minimal record intake creates; the E-Akte extends it.
-- tracking_code is globally unique (the citizen has only it).
CREATE TABLE cases (
  tenant_id      TEXT NOT NULL,
  case_id        TEXT NOT NULL,
  case_number    TEXT NOT NULL,  -- per tenant and year, gap-free: 2026-000042
  tracking_code  TEXT NOT NULL,  -- Crockford base32, no dashes
  receipt_secret TEXT NOT NULL,  -- SHA-256 hex of the receipt secret
  service_id     TEXT NOT NULL,
  department_id  TEXT NOT NULL,  -- the responsible department
  instance_id    TEXT NOT NULL,  -- the process instance
  stage          TEXT NOT NULL,  -- received
  submitted_at   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, case_id)
);
CREATE UNIQUE INDEX cases_tracking_code ON cases (tracking_code);
CREATE UNIQUE INDEX cases_number ON cases (tenant_id, case_number);

-- The gap-free case number counter, per tenant and year.
CREATE TABLE case_counters (
  tenant_id TEXT NOT NULL,
  year      BIGINT NOT NULL,
  last      BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, year)
);

-- The validated (cleaned) form data of a submission.
CREATE TABLE intake_submissions (
  tenant_id    TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  form_id      TEXT NOT NULL,
  form_version BIGINT NOT NULL,
  language     TEXT NOT NULL,
  data         TEXT NOT NULL,
  PRIMARY KEY (tenant_id, case_id)
);

-- Attachments; the bytes are files named by their SHA-256 under the files folder.
CREATE TABLE intake_attachments (
  tenant_id    TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  idx          BIGINT NOT NULL,
  ref          TEXT NOT NULL,  -- the reference in the form data
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,  -- as detected from the bytes
  size         BIGINT NOT NULL,
  sha256       TEXT NOT NULL,
  PRIMARY KEY (tenant_id, case_id, idx)
);
CREATE INDEX intake_attachments_sha ON intake_attachments (tenant_id, sha256);

-- Audit trail (append-only).
CREATE TABLE audit_log (
  tenant_id TEXT NOT NULL,
  audit_id  TEXT NOT NULL,  -- UUIDv7: time-ordered
  at        BIGINT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  data      TEXT NOT NULL,
  PRIMARY KEY (tenant_id, audit_id)
);

-- Idempotency-Key of submissions: a retry gets the stored answer.
CREATE TABLE intake_idempotency (
  tenant_id    TEXT NOT NULL,
  idem_key     TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  response     TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, idem_key)
);

-- Drafts, found by the SHA-256 of their resume token (globally unique).
CREATE TABLE intake_drafts (
  tenant_id  TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  service_id TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, token_hash)
);
CREATE UNIQUE INDEX intake_drafts_token ON intake_drafts (token_hash);
