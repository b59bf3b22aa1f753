-- The policies a mutation run weakens: our tables' policies, with their roles and which clauses they have.
SELECT p.tablename::text, p.policyname::text, p.cmd, p.roles::text[], p.qual IS NOT NULL AS has_using,
       p.with_check IS NOT NULL AS has_check
  FROM pg_catalog.pg_policies AS p
 WHERE p.schemaname = %(schema)s
   AND p.tablename = ANY (%(tables)s::text[])
 ORDER BY p.tablename, p.policyname
