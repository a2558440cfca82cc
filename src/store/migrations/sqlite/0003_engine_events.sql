-- Event semantics (engine/): timers and subscriptions owned by a scope are
-- found by their owner. Event sub-process starts of the process scope have
-- element_key 0 and are closed by instance when it completes or terminates;
-- an interrupting event sub-process closes the other starts of its scope.
CREATE INDEX engine_timers_owner ON engine_timers (tenant_id, instance_id, element_key);
CREATE INDEX engine_subscriptions_owner ON engine_subscriptions (tenant_id, instance_id, element_key);
