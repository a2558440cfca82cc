-- cases/: the case list with a text filter walks the FTS5 matches newest first
-- (rowid order) and reads each match's case by primary key; SQLite needs no new
-- index for it. PostgreSQL's 0016 adds cases (tenant_id, department_id, case_id).
SELECT 1;
