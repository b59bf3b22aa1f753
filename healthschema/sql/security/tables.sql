-- Our tables: do they exist, is RLS enabled and forced, and does the owner bypass RLS? (With FORCE,
-- an owner that is neither superuser nor BYPASSRLS is subject to the policies, which are all
-- TO authenticated, so the SECURITY DEFINER helpers and triggers it owns would see no rows.)
SELECT t.name,
       c.oid IS NOT NULL AS present,
       coalesce(c.relrowsecurity, false) AS rls_enabled,
       coalesce(c.relforcerowsecurity, false) AS rls_forced,
       owner.rolname::text AS owner,
       coalesce(owner.rolsuper OR owner.rolbypassrls, true) AS owner_bypasses_rls
  FROM pg_catalog.unnest(%(tables)s::text[]) AS t (name)
  LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = %(schema)s
  LEFT JOIN pg_catalog.pg_class AS c
         ON c.relnamespace = n.oid AND c.relname = t.name AND c.relkind IN ('r', 'p')
  LEFT JOIN pg_catalog.pg_roles AS owner ON owner.oid = c.relowner
 ORDER BY t.name
