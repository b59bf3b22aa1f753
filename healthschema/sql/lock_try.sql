-- Session-level advisory lock, polled by the caller: never blocks, so it cannot deadlock
-- with CREATE INDEX CONCURRENTLY, and it disappears with a crashed session.
SELECT pg_try_advisory_lock(hashtext('healthschema:' || %(schema)s::text))
