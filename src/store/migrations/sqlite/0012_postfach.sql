-- Postfach (postfach/): the message thread of a case between the office and
-- the citizen, its attachments, the e-mail outbox that tells the citizen a
-- message is waiting, and signed webhooks (subscriptions, delivery log).
-- Times are Unix milliseconds (UTC). Every key starts with tenant_id.

-- One message of a case's thread. direction: 'to_citizen' (office → citizen)
-- or 'to_office' (citizen → office). author: 'user:<id>', 'token:<id>',
-- 'system' (a process step) or 'citizen'. origin: NULL, or what made a
-- system message ('job:<job id>') so a retried job posts it once.
CREATE TABLE postfach_messages (
  tenant_id          TEXT NOT NULL,
  case_id            TEXT NOT NULL,
  message_id         TEXT NOT NULL,  -- UUIDv7
  direction          TEXT NOT NULL,
  subject            TEXT NOT NULL,
  body               TEXT NOT NULL,
  author             TEXT NOT NULL,
  origin             TEXT,
  created_at         INTEGER NOT NULL,
  read_by_citizen_at INTEGER,        -- to_citizen: when the citizen opened it
  read_by_office_at  INTEGER,        -- to_office: when staff opened it
  PRIMARY KEY (tenant_id, case_id, message_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX postfach_messages_origin ON postfach_messages (tenant_id, origin);

-- Attachments of messages; bytes are content-addressed files (intake's AttachmentStore).
CREATE TABLE postfach_attachments (
  tenant_id    TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  idx          INTEGER NOT NULL,
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,  -- detected from the bytes
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  PRIMARY KEY (tenant_id, case_id, message_id, idx)
) WITHOUT ROWID;
CREATE INDEX postfach_attachments_sha ON postfach_attachments (tenant_id, sha256);

-- E-mails to send, written in the transaction of the message they announce.
-- status: pending | sent | failed (gave up after the last attempt).
CREATE TABLE postfach_mail_outbox (
  tenant_id       TEXT NOT NULL,
  mail_id         TEXT NOT NULL,
  case_id         TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  PRIMARY KEY (tenant_id, mail_id)
) WITHOUT ROWID;
CREATE INDEX postfach_mail_due ON postfach_mail_outbox (status, next_attempt_at);

-- Webhook subscriptions. secret: 'whsec_' + base64 (Standard Webhooks); kept
-- in clear because the server signs with it. cursor_seq: the audit_log seq of
-- the tenant up to which events were turned into deliveries.
CREATE TABLE webhook_subscriptions (
  tenant_id       TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  url             TEXT NOT NULL,
  event_types     TEXT NOT NULL,  -- JSON array
  secret          TEXT NOT NULL,
  description     TEXT NOT NULL,
  active          INTEGER NOT NULL,
  cursor_seq      INTEGER NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, subscription_id)
) WITHOUT ROWID;

-- One event for one subscription, and its delivery log.
-- status: pending | delivered | failed.
CREATE TABLE webhook_deliveries (
  tenant_id       TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  delivery_id     TEXT NOT NULL,  -- the webhook-id header: msg_<uuid>
  audit_seq       INTEGER NOT NULL,
  event_type      TEXT NOT NULL,
  payload         TEXT NOT NULL,  -- the JSON body, exactly as signed
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  response_status INTEGER,
  last_error      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  PRIMARY KEY (tenant_id, delivery_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (tenant_id, subscription_id, audit_seq);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
