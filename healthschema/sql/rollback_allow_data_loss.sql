-- `rollback --allow-data-loss`: rollbacks that would delete edited rows (SQLSTATE HSDL0 otherwise)
-- read this session setting.
SELECT pg_catalog.set_config('healthschema.allow_data_loss', 'on', false)
