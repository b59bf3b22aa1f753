-- Tables of a lint database (not the system's, not the bookkeeping): each with the file node of its
-- storage, which changes when a statement rewrites the table.
SELECT n.nspname::text, c.relname::text, c.relfilenode::bigint
  FROM pg_catalog.pg_class AS c
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', %(meta_schema)s)
   AND n.nspname NOT LIKE 'pg\_temp\_%%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%%'
 ORDER BY 1, 2
