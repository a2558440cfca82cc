-- BPMN engine state (engine/). The tenant is the first column of every key.
-- Runtime tables hold only what is active (element instances, jobs, timers,
-- subscriptions, open user tasks and incidents); history_events keeps every
-- state change for timelines and analytics. Times are Unix milliseconds (UTC).

CREATE TABLE engine_deployments (
  tenant_id     TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, deployment_id)
);

-- Every file of a deployment (BPMN, DMN, form), verbatim.
CREATE TABLE engine_resources (
  tenant_id     TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,  -- bpmn | dmn | form
  checksum      TEXT NOT NULL,
  content       TEXT NOT NULL,
  PRIMARY KEY (tenant_id, deployment_id, name)
);

-- Versioned definitions of every kind: a BPMN process, a DMN decision, a form.
CREATE TABLE engine_definitions (
  tenant_id      TEXT NOT NULL,
  kind           TEXT NOT NULL,     -- process | decision | form
  definition_id  TEXT NOT NULL,     -- the BPMN process id, DMN decision id, form id
  version        BIGINT NOT NULL,  -- 1, 2, ... per (tenant, kind, definition_id)
  definition_key TEXT NOT NULL,     -- UUIDv7, what instances refer to
  deployment_id  TEXT NOT NULL,
  resource_name  TEXT NOT NULL,
  checksum       TEXT NOT NULL,     -- of the resource; an unchanged file makes no new version
  created_at     BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, kind, definition_id, version)
);
CREATE UNIQUE INDEX engine_definitions_key ON engine_definitions (tenant_id, definition_key);

CREATE TABLE engine_instances (
  tenant_id          TEXT NOT NULL,
  instance_id        TEXT NOT NULL,
  definition_key     TEXT NOT NULL,
  process_id         TEXT NOT NULL,
  version            BIGINT NOT NULL,
  state              TEXT NOT NULL,     -- active | completed | terminated
  next_key           BIGINT NOT NULL,  -- element instance keys are unique per instance
  next_seq           BIGINT NOT NULL,  -- history sequence numbers per instance
  joins              TEXT NOT NULL,     -- JSON: tokens waiting at parallel/inclusive joins per scope
  parent_instance_id TEXT,              -- call activities
  parent_element_key BIGINT,
  started_at         BIGINT NOT NULL,
  ended_at           BIGINT,
  PRIMARY KEY (tenant_id, instance_id)
);

-- Active element instances (tokens). Scope 0 is the process instance itself.
CREATE TABLE engine_elements (
  tenant_id     TEXT NOT NULL,
  instance_id   TEXT NOT NULL,
  element_key   BIGINT NOT NULL,
  scope_key     BIGINT NOT NULL,
  element_index BIGINT NOT NULL,
  element_id    TEXT NOT NULL,
  state         TEXT NOT NULL,  -- active | failed (waits for an incident to be resolved)
  data          TEXT NOT NULL,  -- JSON: what this element owns (job, timers, ...), join state
  PRIMARY KEY (tenant_id, instance_id, element_key)
);

-- Variables of one scope (0 = process instance, else an element instance) as one JSON object.
CREATE TABLE engine_variables (
  tenant_id   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  scope_key   BIGINT NOT NULL,
  vars        TEXT NOT NULL,
  PRIMARY KEY (tenant_id, instance_id, scope_key)
);

CREATE TABLE engine_jobs (
  tenant_id     TEXT NOT NULL,
  job_id        TEXT NOT NULL,
  instance_id   TEXT NOT NULL,
  element_key   BIGINT NOT NULL,
  element_id    TEXT NOT NULL,
  type          TEXT NOT NULL,
  state         TEXT NOT NULL,     -- activatable | activated | failed (no retries: incident)
  retries       BIGINT NOT NULL,
  available_at  BIGINT NOT NULL,  -- activatable from; while activated: the lock deadline
  worker        TEXT,
  error_message TEXT,
  headers       TEXT NOT NULL,     -- JSON object
  scope_chain   TEXT NOT NULL,     -- JSON array of variable scopes, innermost first
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, job_id)
);
CREATE INDEX engine_jobs_activatable ON engine_jobs (tenant_id, type, available_at);

-- Timers of catch events, boundary events and start events (instance_id '' for start events).
CREATE TABLE engine_timers (
  tenant_id      TEXT NOT NULL,
  timer_id       TEXT NOT NULL,
  instance_id    TEXT NOT NULL,
  element_key    BIGINT NOT NULL,  -- the element instance that owns it (catch event or activity)
  element_index  BIGINT NOT NULL,  -- the timer event in the model
  element_id     TEXT NOT NULL,
  definition_key TEXT NOT NULL,
  due_at         BIGINT NOT NULL,
  repetitions    BIGINT NOT NULL,  -- further firings after this one; -1 unbounded
  cycle          TEXT NOT NULL,     -- ISO 8601 duration of a cycle, '' otherwise
  PRIMARY KEY (tenant_id, timer_id)
);
CREATE INDEX engine_timers_due ON engine_timers (due_at);

-- Open message and signal subscriptions (instance_id '' for start events).
CREATE TABLE engine_subscriptions (
  tenant_id       TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  kind            TEXT NOT NULL,  -- message | signal
  name            TEXT NOT NULL,
  correlation_key TEXT NOT NULL,
  instance_id     TEXT NOT NULL,
  element_key     BIGINT NOT NULL,
  element_index   BIGINT NOT NULL,
  element_id      TEXT NOT NULL,
  definition_key  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, subscription_id)
);
CREATE INDEX engine_subscriptions_name ON engine_subscriptions (tenant_id, kind, name, correlation_key);

-- Published messages that no subscription took yet, kept until expires_at.
CREATE TABLE engine_messages (
  tenant_id       TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  name            TEXT NOT NULL,
  correlation_key TEXT NOT NULL,
  variables       TEXT NOT NULL,
  published_at    BIGINT NOT NULL,
  expires_at      BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX engine_messages_name ON engine_messages (tenant_id, name, correlation_key, published_at);

CREATE TABLE engine_user_tasks (
  tenant_id        TEXT NOT NULL,
  task_id          TEXT NOT NULL,
  instance_id      TEXT NOT NULL,
  element_key      BIGINT NOT NULL,
  element_id       TEXT NOT NULL,
  name             TEXT NOT NULL,
  assignee         TEXT,
  candidate_groups TEXT NOT NULL,  -- JSON array
  candidate_users  TEXT NOT NULL,  -- JSON array
  due_at           BIGINT,
  follow_up_at     BIGINT,
  form_key         TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, task_id)
);
CREATE INDEX engine_user_tasks_instance ON engine_user_tasks (tenant_id, instance_id);
CREATE INDEX engine_user_tasks_assignee ON engine_user_tasks (tenant_id, assignee);

CREATE TABLE engine_incidents (
  tenant_id   TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  element_key BIGINT NOT NULL,
  element_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,  -- job_no_retries | expression | unhandled_error | ...
  message     TEXT NOT NULL,
  job_id      TEXT,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, incident_id)
);
CREATE INDEX engine_incidents_instance ON engine_incidents (tenant_id, instance_id);

-- The event log: every state change of an instance, in order.
CREATE TABLE engine_history (
  tenant_id   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  seq         BIGINT NOT NULL,
  at          BIGINT NOT NULL,
  event       TEXT NOT NULL,    -- instance_started, element_completed, job_created, ...
  element_id  TEXT NOT NULL,    -- '' for instance-level events
  element_key BIGINT NOT NULL,
  data        TEXT,             -- JSON details, or NULL
  PRIMARY KEY (tenant_id, instance_id, seq)
);
