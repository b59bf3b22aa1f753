-- Rollback safety: every table (attnum 0) and column outside the system and excluded schemas.
SELECT c.oid::bigint, 0, n.nspname::text, c.relname::text, ''
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
UNION ALL
SELECT c.oid::bigint, a.attnum, n.nspname::text, c.relname::text, a.attname::text
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm')
  AND n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
