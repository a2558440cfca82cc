-- One engine_history row per command and instance instead of one per event
-- (engine/): `events` holds the events the command appended, as a JSON array
-- of [event, element id, element key, data] (store/history_batch.h); `seq` is
-- the first event's sequence number, the others follow by one; `at` is the
-- command's time. Existing rows become one-event batches.
CREATE TABLE engine_history_batches (
  tenant_id   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  events      TEXT NOT NULL,
  PRIMARY KEY (tenant_id, instance_id, seq)
) WITHOUT ROWID;
INSERT INTO engine_history_batches (tenant_id, instance_id, seq, at, events)
  SELECT tenant_id, instance_id, seq, at, json_array(json_array(event, element_id, element_key, json(data)))
  FROM engine_history;
DROP TABLE engine_history;
ALTER TABLE engine_history_batches RENAME TO engine_history;
