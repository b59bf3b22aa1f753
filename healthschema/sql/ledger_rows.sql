SELECT migration_id, migration_set, checksum, rollback_checksum, applied_at, duration_ms
FROM {schema}.ledger
ORDER BY applied_at, migration_id
