-- cases/: the E-Akte. Extends the case record intake creates (0007) with
-- applicant, status, assignee and due date; adds notes, the hand-over log, an
-- index of open user tasks by candidate group (the department inboxes) and
-- the full-text index. Times are Unix milliseconds (UTC).

ALTER TABLE cases ADD COLUMN status TEXT NOT NULL DEFAULT 'received';  -- received | in_progress | waiting | closed
ALTER TABLE cases ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN applicant_email TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN assignee TEXT;       -- login of the case worker who holds the case
ALTER TABLE cases ADD COLUMN due_at INTEGER;      -- submitted_at + the service's processing time
ALTER TABLE cases ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closed_at INTEGER;
UPDATE cases SET updated_at = submitted_at;

-- List pages: one index per filter, each ending in the sort key + id (keyset pagination).
CREATE INDEX cases_submitted ON cases (tenant_id, submitted_at, case_id);
CREATE INDEX cases_status ON cases (tenant_id, status, submitted_at, case_id);
CREATE INDEX cases_department ON cases (tenant_id, department_id, submitted_at, case_id);
CREATE INDEX cases_service ON cases (tenant_id, service_id, submitted_at, case_id);
CREATE INDEX cases_assignee ON cases (tenant_id, assignee, submitted_at, case_id);
CREATE INDEX cases_due ON cases (tenant_id, due_at, case_id);
CREATE INDEX cases_instance ON cases (tenant_id, instance_id);

-- Notes of case workers on a case; never changed.
CREATE TABLE case_notes (
  tenant_id  TEXT NOT NULL,
  case_id    TEXT NOT NULL,
  note_id    TEXT NOT NULL,  -- UUIDv7: time order
  author     TEXT NOT NULL,  -- login
  actor      TEXT NOT NULL,  -- user:<id> / token:<id>
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, case_id, note_id)
) WITHOUT ROWID;

-- A case handed to another department, with the reason.
CREATE TABLE case_handovers (
  tenant_id       TEXT NOT NULL,
  case_id         TEXT NOT NULL,
  handover_id     TEXT NOT NULL,
  from_department TEXT NOT NULL,
  to_department   TEXT NOT NULL,
  reason          TEXT NOT NULL,
  actor           TEXT NOT NULL,
  tasks_moved     INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, case_id, handover_id)
) WITHOUT ROWID;

-- Open user tasks by candidate group, kept by triggers on the engine's table
-- (candidate_groups there is a JSON array that no index can serve).
CREATE TABLE user_task_groups (
  tenant_id   TEXT NOT NULL,
  group_id    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  task_id     TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  assignee    TEXT,
  PRIMARY KEY (tenant_id, group_id, created_at, task_id)
) WITHOUT ROWID;
CREATE INDEX user_task_groups_task ON user_task_groups (tenant_id, task_id);

CREATE TRIGGER user_task_groups_ins AFTER INSERT ON engine_user_tasks BEGIN
  INSERT OR IGNORE INTO user_task_groups (tenant_id, group_id, created_at, task_id, instance_id, assignee)
    SELECT new.tenant_id, j.value, new.created_at, new.task_id, new.instance_id, new.assignee
    FROM json_each(new.candidate_groups) AS j WHERE j.type = 'text';
END;
CREATE TRIGGER user_task_groups_del AFTER DELETE ON engine_user_tasks BEGIN
  DELETE FROM user_task_groups WHERE tenant_id = old.tenant_id AND task_id = old.task_id;
END;
CREATE TRIGGER user_task_groups_upd AFTER UPDATE OF candidate_groups, assignee, created_at ON engine_user_tasks BEGIN
  DELETE FROM user_task_groups WHERE tenant_id = old.tenant_id AND task_id = old.task_id;
  INSERT OR IGNORE INTO user_task_groups (tenant_id, group_id, created_at, task_id, instance_id, assignee)
    SELECT new.tenant_id, j.value, new.created_at, new.task_id, new.instance_id, new.assignee
    FROM json_each(new.candidate_groups) AS j WHERE j.type = 'text';
END;
INSERT OR IGNORE INTO user_task_groups (tenant_id, group_id, created_at, task_id, instance_id, assignee)
  SELECT t.tenant_id, j.value, t.created_at, t.task_id, t.instance_id, t.assignee
  FROM engine_user_tasks AS t, json_each(t.candidate_groups) AS j WHERE j.type = 'text';

-- The timeline reads a case's audit entries.
CREATE INDEX audit_log_object ON audit_log (tenant_id, object_type, object_id, seq);

-- Full text: one row per (case, source) — 'case' (the submitted data),
-- later documents and messages ('document:<id>', 'message:<id>'). The text is
-- stored folded (ß → ss, cases::FoldForSearch); FTS5 indexes it through
-- external content, unicode61 with diacritics removed (Müller = Muller).
CREATE TABLE case_texts (
  id        INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  case_id   TEXT NOT NULL,
  source    TEXT NOT NULL,
  text      TEXT NOT NULL
);
CREATE UNIQUE INDEX case_texts_key ON case_texts (tenant_id, case_id, source);
CREATE VIRTUAL TABLE cases_fts USING fts5(
  tenant_id UNINDEXED, text, content='case_texts', content_rowid='id',
  tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER case_texts_ai AFTER INSERT ON case_texts BEGIN
  INSERT INTO cases_fts (rowid, tenant_id, text) VALUES (new.id, new.tenant_id, new.text);
END;
CREATE TRIGGER case_texts_ad AFTER DELETE ON case_texts BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, tenant_id, text) VALUES ('delete', old.id, old.tenant_id, old.text);
END;
CREATE TRIGGER case_texts_au AFTER UPDATE ON case_texts BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, tenant_id, text) VALUES ('delete', old.id, old.tenant_id, old.text);
  INSERT INTO cases_fts (rowid, tenant_id, text) VALUES (new.id, new.tenant_id, new.text);
END;
INSERT INTO case_texts (tenant_id, case_id, source, text)
  SELECT c.tenant_id, c.case_id, 'case', c.case_number || ' ' || replace(s.data, 'ß', 'ss')
  FROM cases AS c JOIN intake_submissions AS s ON s.tenant_id = c.tenant_id AND s.case_id = c.case_id;
