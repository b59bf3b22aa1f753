-- Seed step 8: the triggers back on (the transaction commits the data and the DDL together).
ALTER TABLE {app}.customer_health ENABLE TRIGGER USER;
ALTER TABLE {app}.success_milestones ENABLE TRIGGER USER;
ALTER TABLE {app}.support_interactions ENABLE TRIGGER USER;
SELECT (SELECT count(*) FROM {app}.organizations), (SELECT count(*) FROM {app}.clients),
       (SELECT count(*) FROM {app}.customer_health), (SELECT count(*) FROM {app}.success_milestones),
       (SELECT count(*) FROM {app}.support_interactions), (SELECT count(*) FROM {app}.activity_logs);
