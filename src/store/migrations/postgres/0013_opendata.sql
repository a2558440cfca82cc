-- opendata/: per tenant the open data settings and dataset definitions, and
-- the latest computation of each dataset (only aggregates, suppressed below
-- the tenant's minimum count). Times are Unix milliseconds (UTC).

-- The tenant's open data settings (JSON: minCount, licence, contributorId,
-- schedule, baseUrl) as defined through the API.
CREATE TABLE opendata_settings (
  tenant_id  TEXT NOT NULL,
  doc        TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id)
);

-- Datasets defined per tenant; kind: applications-monthly | processing-times | backlog.
CREATE TABLE opendata_datasets (
  tenant_id  TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  kind       TEXT NOT NULL,
  doc        TEXT NOT NULL,  -- JSON: title, description, keywords, theme
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, dataset_id)
);

-- The latest computation of a dataset: what the public URLs serve.
CREATE TABLE opendata_publications (
  tenant_id   TEXT NOT NULL,
  dataset_id  TEXT NOT NULL,
  issued_at   BIGINT NOT NULL,  -- first computation
  modified_at BIGINT NOT NULL,  -- latest computation
  row_count   BIGINT NOT NULL,
  csv         TEXT NOT NULL,
  json        TEXT NOT NULL,
  PRIMARY KEY (tenant_id, dataset_id)
);
