-- records/: links to Bescheid previews, which the case view shows in a frame.
-- A link keeps what to render (template and the deciding form's values), not
-- the PDF, so whichever node answers the GET renders it again; links expire
-- after 10 minutes and are removed with the case's other traces (retention).
CREATE TABLE records_preview_links (
  tenant_id  TEXT NOT NULL,
  token_hash TEXT NOT NULL,  -- SHA-256 (hex) of the link's random token
  case_id    TEXT NOT NULL,
  template   TEXT NOT NULL,
  data       TEXT NOT NULL,  -- JSON object: the form's values laid over the process variables
  expires_at INTEGER NOT NULL,  -- Unix milliseconds
  PRIMARY KEY (tenant_id, token_hash)
) WITHOUT ROWID;
CREATE INDEX records_preview_links_expiry ON records_preview_links (tenant_id, expires_at);
CREATE INDEX records_preview_links_case ON records_preview_links (tenant_id, case_id);
