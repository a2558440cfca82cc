-- One engine_history row per command and instance instead of one per event
-- (engine/): `events` holds the events the command appended, as a JSON array
-- of [event, element id, element key, data] (store/history_batch.h); `seq` is
-- the first event's sequence number, the others follow by one; `at` is the
-- command's time. Existing rows become one-event batches.
CREATE TABLE engine_history_batches (
  tenant_id   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  seq         BIGINT NOT NULL,
  at          BIGINT NOT NULL,
  events      TEXT NOT NULL,
  PRIMARY KEY (tenant_id, instance_id, seq)
);
INSERT INTO engine_history_batches (tenant_id, instance_id, seq, at, events)
  SELECT tenant_id, instance_id, seq, at,
         json_build_array(json_build_array(event, element_id, element_key, data::json))::text
  FROM engine_history;
DROP TABLE engine_history;
ALTER TABLE engine_history_batches RENAME TO engine_history;
ALTER INDEX engine_history_batches_pkey RENAME TO engine_history_pkey;
