-- The tables of the app schema that are ours: every table except the platform stub's (marked
-- with the comment 'healthschema platform stub').
SELECT c.relname::text
  FROM pg_catalog.pg_class AS c
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s
   AND c.relkind IN ('r', 'p')
   AND coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '') <> 'healthschema platform stub'
 ORDER BY 1
