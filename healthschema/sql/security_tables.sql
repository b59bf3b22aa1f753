-- Our tables: do they exist, is RLS enabled and forced?
SELECT t.name,
       c.oid IS NOT NULL AS present,
       coalesce(c.relrowsecurity, false) AS rls_enabled,
       coalesce(c.relforcerowsecurity, false) AS rls_forced
  FROM pg_catalog.unnest(%(tables)s::text[]) AS t (name)
  LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = %(schema)s
  LEFT JOIN pg_catalog.pg_class AS c
         ON c.relnamespace = n.oid AND c.relname = t.name AND c.relkind IN ('r', 'p')
 ORDER BY t.name
