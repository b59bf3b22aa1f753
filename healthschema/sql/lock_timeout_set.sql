-- The lock_timeout a migration's statements run with ([runner] statement_lock_timeout_ms; '0ms': none):
-- a statement waiting longer for a lock fails (SQLSTATE 55P03) instead of queueing platform traffic.
SELECT pg_catalog.set_config('lock_timeout', %(value)s, %(local)s)
