-- Named statements of healthschema's engine module: each `-- name:` line starts one.

-- name: search_path_default
SET search_path TO DEFAULT

-- name: search_path_local_default
-- Migrations run with the database's normal search_path, not the bookkeeping schema.
SET LOCAL search_path TO DEFAULT

-- name: search_path_local_meta
SET LOCAL search_path TO {schema}

-- name: search_path_meta
SET search_path TO {schema}

-- name: timeouts_local
-- Every migration transaction: never wait longer than lock_timeout for a lock (platform writes
-- queue behind a waiting lock request), never run a statement longer than statement_timeout.
SELECT pg_catalog.set_config('lock_timeout', %(lock_timeout)s, true),
       pg_catalog.set_config('statement_timeout', %(statement_timeout)s, true)

-- name: timeouts_session
-- The same for a non-transactional migration (its statements each commit on their own).
SELECT pg_catalog.set_config('lock_timeout', %(lock_timeout)s, false),
       pg_catalog.set_config('statement_timeout', %(statement_timeout)s, false)

-- name: blockers
-- The sessions a migration's connection waits for, with what they run.
SELECT a.pid, a.application_name, left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120)
  FROM pg_catalog.pg_stat_activity AS a
 WHERE a.pid = ANY (pg_catalog.pg_blocking_pids(%(pid)s))
 ORDER BY a.pid

-- name: allow_data_loss
-- `rollback --allow-data-loss`: rollbacks that would delete edited rows (SQLSTATE HSDL0 otherwise,
-- see checks/rollback_safety.py) read this session setting.
SELECT pg_catalog.set_config('healthschema.allow_data_loss', 'on', false)

-- name: lock_timeout_set
-- The lock_timeout a migration runs with ([runner] statement_lock_timeout_ms; 0ms: none): a statement
-- waiting longer for a lock fails (SQLSTATE 55P03) instead of queueing platform traffic behind it.
SELECT pg_catalog.set_config('lock_timeout', %(value)s, %(local)s)

-- name: platform_locks
-- The locks this session holds on the given platform tables in a mode that blocks their writers
-- (every mode that conflicts with ROW EXCLUSIVE: what INSERT/UPDATE/DELETE take).
SELECT n.nspname::text || '.' || c.relname::text || ' (' || l.mode || ')'
  FROM pg_catalog.pg_locks AS l
  JOIN pg_catalog.pg_class AS c ON c.oid = l.relation
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE l.locktype = 'relation' AND l.granted AND l.pid = pg_catalog.pg_backend_pid()
   AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')
   AND (n.nspname::text, c.relname::text) IN (
       SELECT s, t FROM unnest(%(schemas)s::text[], %(tables)s::text[]) AS p (s, t))
 ORDER BY 1

-- name: backfill_batch
-- One batch of a migration's back-fill function (docs/deploying.md: `-- backfill:`): the next
-- %(limit)s keys after %(after)s; limit 0 returns how many remain.
SELECT last_key, keys, remaining FROM {schema}.{function}(%(after)s, %(limit)s)

-- name: platform_tables_existing
-- Which of the given platform tables exist (before a run: a table the platform stub creates in the
-- run itself has no writers to block).
SELECT s, t FROM unnest(%(schemas)s::text[], %(tables)s::text[]) AS p (s, t)
 WHERE pg_catalog.to_regclass(pg_catalog.format('%%I.%%I', s, t)) IS NOT NULL
