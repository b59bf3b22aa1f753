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

-- name: backfill_exists
SELECT to_regclass(format('%%I.backfill', %(schema)s::text)) IS NOT NULL

-- name: backfill_insert
INSERT INTO {schema}.backfill (migration_id, function_schema, function_name)
VALUES (%(migration_id)s, %(function_schema)s, %(function_name)s)

-- name: backfill_rows
SELECT b.migration_id, b.function_schema, b.function_name, b.last_key, b.batches_done, b.keys_done,
       b.finished_at
FROM {schema}.backfill AS b
JOIN {schema}.ledger AS l USING (migration_id)
ORDER BY l.applied_at, b.migration_id

-- name: backfill_progress
UPDATE {schema}.backfill
   SET last_key = %(last_key)s, batches_done = batches_done + 1, keys_done = keys_done + %(keys)s,
       started_at = coalesce(started_at, clock_timestamp()), updated_at = clock_timestamp()
 WHERE migration_id = %(migration_id)s

-- name: backfill_finish
UPDATE {schema}.backfill
   SET finished_at = clock_timestamp(), started_at = coalesce(started_at, clock_timestamp()),
       updated_at = clock_timestamp()
 WHERE migration_id = %(migration_id)s
