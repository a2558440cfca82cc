-- cases/: the E-Akte (see the SQLite file for the commentary).

ALTER TABLE cases ADD COLUMN status TEXT NOT NULL DEFAULT 'received';  -- received | in_progress | waiting | closed
ALTER TABLE cases ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN applicant_email TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN assignee TEXT;
ALTER TABLE cases ADD COLUMN due_at BIGINT;
ALTER TABLE cases ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closed_at BIGINT;
UPDATE cases SET updated_at = submitted_at;

CREATE INDEX cases_submitted ON cases (tenant_id, submitted_at, case_id);
CREATE INDEX cases_status ON cases (tenant_id, status, submitted_at, case_id);
CREATE INDEX cases_department ON cases (tenant_id, department_id, submitted_at, case_id);
CREATE INDEX cases_service ON cases (tenant_id, service_id, submitted_at, case_id);
CREATE INDEX cases_assignee ON cases (tenant_id, assignee, submitted_at, case_id);
CREATE INDEX cases_due ON cases (tenant_id, due_at, case_id);
CREATE INDEX cases_instance ON cases (tenant_id, instance_id);

CREATE TABLE case_notes (
  tenant_id  TEXT NOT NULL,
  case_id    TEXT NOT NULL,
  note_id    TEXT NOT NULL,
  author     TEXT NOT NULL,
  actor      TEXT NOT NULL,
  text       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, case_id, note_id)
);

CREATE TABLE case_handovers (
  tenant_id       TEXT NOT NULL,
  case_id         TEXT NOT NULL,
  handover_id     TEXT NOT NULL,
  from_department TEXT NOT NULL,
  to_department   TEXT NOT NULL,
  reason          TEXT NOT NULL,
  actor           TEXT NOT NULL,
  tasks_moved     BIGINT NOT NULL,
  at              BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, case_id, handover_id)
);

CREATE TABLE user_task_groups (
  tenant_id   TEXT NOT NULL,
  group_id    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  task_id     TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  assignee    TEXT,
  PRIMARY KEY (tenant_id, group_id, created_at, task_id)
);
CREATE INDEX user_task_groups_task ON user_task_groups (tenant_id, task_id);

CREATE FUNCTION user_task_groups_sync() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM user_task_groups WHERE tenant_id = OLD.tenant_id AND task_id = OLD.task_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO user_task_groups (tenant_id, group_id, created_at, task_id, instance_id, assignee)
      SELECT DISTINCT NEW.tenant_id, g, NEW.created_at, NEW.task_id, NEW.instance_id, NEW.assignee
      FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(NEW.candidate_groups::jsonb) = 'array' THEN NEW.candidate_groups::jsonb
             ELSE '[]'::jsonb END) AS g
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$f$;
CREATE TRIGGER user_task_groups_ins AFTER INSERT OR DELETE ON engine_user_tasks
  FOR EACH ROW EXECUTE FUNCTION user_task_groups_sync();
CREATE TRIGGER user_task_groups_upd AFTER UPDATE OF candidate_groups, assignee, created_at ON engine_user_tasks
  FOR EACH ROW EXECUTE FUNCTION user_task_groups_sync();
INSERT INTO user_task_groups (tenant_id, group_id, created_at, task_id, instance_id, assignee)
  SELECT DISTINCT t.tenant_id, g, t.created_at, t.task_id, t.instance_id, t.assignee
  FROM engine_user_tasks AS t, jsonb_array_elements_text(t.candidate_groups::jsonb) AS g
  ON CONFLICT DO NOTHING;

CREATE INDEX audit_log_object ON audit_log (tenant_id, object_type, object_id, seq);

-- Full text with the 'german' configuration (Snowball stemmer: Anträge ~ Antrag, ß → ss).
CREATE TABLE case_texts (
  tenant_id TEXT NOT NULL,
  case_id   TEXT NOT NULL,
  source    TEXT NOT NULL,
  text      TEXT NOT NULL,
  tsv       tsvector GENERATED ALWAYS AS (to_tsvector('german', text)) STORED,
  PRIMARY KEY (tenant_id, case_id, source)
);
CREATE INDEX case_texts_tsv ON case_texts USING GIN (tsv);
INSERT INTO case_texts (tenant_id, case_id, source, text)
  SELECT c.tenant_id, c.case_id, 'case', c.case_number || ' ' || s.data
  FROM cases AS c JOIN intake_submissions AS s ON s.tenant_id = c.tenant_id AND s.case_id = c.case_id;
