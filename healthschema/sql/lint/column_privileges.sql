-- What authenticated may INSERT and UPDATE on our tables, column by column: has_column_privilege
-- counts column grants, table grants and grants to PUBLIC alike; table_level says whether the right
-- comes with a table-level grant (which covers every column, present and future).
SELECT c.relname::text, a.attname::text, priv.name,
       pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, priv.name) AS granted,
       pg_catalog.has_table_privilege(r.oid, c.oid, priv.name) AS table_level
  FROM pg_catalog.pg_class AS c
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_roles AS r ON r.rolname = 'authenticated'
 CROSS JOIN pg_catalog.unnest(ARRAY['INSERT', 'UPDATE']) AS priv (name)
 WHERE n.nspname = %(schema)s
   AND c.relname = ANY (%(tables)s::text[])
   AND c.relkind IN ('r', 'p')
 ORDER BY 1, a.attnum, 3
