-- records/: documents of a case with versions, Bescheid templates per service,
-- retention reports. Times are Unix milliseconds (UTC); the tenant is the first
-- column of every key. Bytes live as content-addressed files (intake's
-- AttachmentStore); rows name them by SHA-256.

-- One row per version of a document. Version 1 of an intake attachment is the
-- intake_attachments row itself (document_id 'intake-<idx>'); later versions of
-- it are rows here.
CREATE TABLE records_documents (
  tenant_id    TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  document_id  TEXT NOT NULL,
  version      INTEGER NOT NULL,
  kind         TEXT NOT NULL,  -- attachment | upload | bescheid | note | other
  title        TEXT NOT NULL,
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,  -- detected from the bytes
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, case_id, document_id, version)
) WITHOUT ROWID;
CREATE INDEX records_documents_sha ON records_documents (tenant_id, sha256);

-- Bescheid templates of a service, by name (the BPMN task header `vorlage`).
CREATE TABLE records_templates (
  tenant_id  TEXT NOT NULL,
  service_id TEXT NOT NULL,
  name       TEXT NOT NULL,
  doc        TEXT NOT NULL,  -- JSON: title, subject, addressee, body, legalBasis, rechtsbehelfsbelehrung, ...
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, service_id, name)
) WITHOUT ROWID;

-- Cases whose personal data the retention job removed (the skeleton stays in `cases`).
CREATE TABLE records_anonymised (
  tenant_id     TEXT NOT NULL,
  case_id       TEXT NOT NULL,
  anonymised_at INTEGER NOT NULL,
  report_id     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, case_id)
) WITHOUT ROWID;

-- What each retention run removed.
CREATE TABLE records_retention_reports (
  tenant_id  TEXT NOT NULL,
  report_id  TEXT NOT NULL,  -- UUIDv7
  ran_at     INTEGER NOT NULL,
  dry_run    INTEGER NOT NULL,
  report     TEXT NOT NULL,  -- JSON
  PRIMARY KEY (tenant_id, report_id)
) WITHOUT ROWID;
