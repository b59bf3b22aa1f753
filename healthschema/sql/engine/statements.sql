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
