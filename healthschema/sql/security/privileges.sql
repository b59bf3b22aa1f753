-- Privileges the API roles must not hold on our tables: anything for anon (table or column level,
-- directly or via PUBLIC); TRUNCATE, REFERENCES or TRIGGER for any API role. Plus anon's USAGE on
-- the private schema.
SELECT r.rolname::text, c.relname::text, priv.name
  FROM pg_catalog.pg_roles AS r
 CROSS JOIN pg_catalog.pg_class AS c
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 CROSS JOIN pg_catalog.unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'])
            AS priv (name)
 WHERE r.rolname IN ('anon', 'authenticated', 'service_role')
   AND n.nspname = %(schema)s
   AND c.relname = ANY (%(tables)s::text[])
   AND c.relkind IN ('r', 'p')
   AND (r.rolname = 'anon' OR priv.name IN ('TRUNCATE', 'REFERENCES', 'TRIGGER'))
   AND (pg_catalog.has_table_privilege(r.oid, c.oid, priv.name)
        OR (priv.name IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
            AND pg_catalog.has_any_column_privilege(r.oid, c.oid, priv.name)))
UNION ALL
SELECT r.rolname::text, n.nspname::text, 'USAGE'
  FROM pg_catalog.pg_roles AS r
  JOIN pg_catalog.pg_namespace AS n ON n.nspname = %(private_schema)s
 WHERE r.rolname = 'anon'
   AND pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE')
 ORDER BY 1, 2, 3
