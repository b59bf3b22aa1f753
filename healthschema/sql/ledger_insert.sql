INSERT INTO {schema}.ledger (migration_id, migration_set, checksum, rollback_checksum, duration_ms)
VALUES (%(migration_id)s, %(migration_set)s, %(checksum)s, %(rollback_checksum)s, %(duration_ms)s)
