-- The process instance's own variable scope (scope 0) lives in its row
-- (engine/): one INSERT less per started instance, one row less per load.
-- engine_variables keeps the scopes of element instances only.
ALTER TABLE engine_instances ADD COLUMN vars TEXT NOT NULL DEFAULT '{}';
UPDATE engine_instances SET vars = (
    SELECT v.vars FROM engine_variables v
    WHERE v.tenant_id = engine_instances.tenant_id AND v.instance_id = engine_instances.instance_id
      AND v.scope_key = 0)
  WHERE EXISTS (
    SELECT 1 FROM engine_variables v
    WHERE v.tenant_id = engine_instances.tenant_id AND v.instance_id = engine_instances.instance_id
      AND v.scope_key = 0);
DELETE FROM engine_variables WHERE scope_key = 0;
