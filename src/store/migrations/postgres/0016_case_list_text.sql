-- cases/: the case list with a text filter walks the matches newest first
-- (case ids are UUIDv7, time ordered). With a department filter PostgreSQL
-- merges the department's cases, newest first, with the matching texts; this
-- index gives it the department's cases in case-id order instead of every
-- case of the tenant (3,262 index entries instead of 9,786 rows read for a
-- page of 50 at 100,000 cases: 40 ms → 24 ms, loaded).
CREATE INDEX cases_department_newest ON cases (tenant_id, department_id, case_id);
