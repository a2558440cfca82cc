-- Retention (records/retention.cc) finds a case's other traces by case:
-- webhook deliveries by the case's audit entries, mails by case.
CREATE INDEX webhook_deliveries_seq ON webhook_deliveries (tenant_id, audit_seq);
CREATE INDEX postfach_mail_case ON postfach_mail_outbox (tenant_id, case_id);
