-- The baseline of the trigger overhead: the same table, its rows and indexes, its CHECKs and its
-- foreign keys (system triggers, still on), without our triggers. Inside a savepoint that is
-- rolled back before the measured insert with the triggers.
ALTER TABLE {app}.customer_health DISABLE TRIGGER USER
