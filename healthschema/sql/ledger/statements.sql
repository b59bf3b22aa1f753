-- Named statements of healthschema's ledger module: each `-- name:` line starts one.

-- name: delete
DELETE FROM {schema}.ledger WHERE migration_id = %(migration_id)s

-- name: exists
SELECT to_regclass(format('%%I.ledger', %(schema)s::text)) IS NOT NULL

-- name: insert
INSERT INTO {schema}.ledger (migration_id, migration_set, checksum, rollback_checksum, duration_ms)
VALUES (%(migration_id)s, %(migration_set)s, %(checksum)s, %(rollback_checksum)s, %(duration_ms)s)

-- name: rows
SELECT migration_id, migration_set, checksum, rollback_checksum, applied_at, duration_ms
FROM {schema}.ledger
ORDER BY applied_at, migration_id

-- name: lock_holder
SELECT l.pid, a.application_name, a.client_addr::text, a.backend_start
FROM pg_locks AS l
LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.objid = (hashtext(%(lock_key)s::text))::oid
LIMIT 1

-- name: lock_release
SELECT pg_advisory_unlock(hashtext(%(lock_key)s::text))

-- name: lock_try
-- Session-level advisory lock, polled by the caller: never blocks, so it cannot deadlock
-- with CREATE INDEX CONCURRENTLY, and it disappears with a crashed session.
SELECT pg_try_advisory_lock(hashtext(%(lock_key)s::text))
