-- Start events (engine/): message start events are rows of engine_subscriptions
-- (kind 'message_start', instance_id ''), timer start events rows of
-- engine_timers (instance_id ''), both of the latest version of a process.

-- While an instance started by a message with a correlation key is active,
-- another message with that key starts no second instance of the same
-- process (as Zeebe). The row goes when the instance ends.
CREATE TABLE engine_message_start_keys (
  tenant_id       TEXT NOT NULL,
  process_id      TEXT NOT NULL,
  correlation_key TEXT NOT NULL,
  instance_id     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, process_id, correlation_key)
);
CREATE INDEX engine_message_start_keys_instance ON engine_message_start_keys (tenant_id, instance_id);

-- A new version replaces the start timers of the previous ones.
CREATE INDEX engine_timers_start ON engine_timers (tenant_id, definition_key) WHERE instance_id = '';
