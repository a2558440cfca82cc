-- analytics/: the cases of one process definition in a period are found by
-- (tenant, process id, start time) before their history is read.
CREATE INDEX engine_instances_process_started ON engine_instances (tenant_id, process_id, started_at);
