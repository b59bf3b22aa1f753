-- Named statements of healthschema's security module: each `-- name:` line starts one.

-- name: policies
-- Every policy on our tables, with its roles ('public' = PUBLIC) and expressions as text.
SELECT p.tablename::text, p.policyname::text, p.permissive, p.roles::text[], p.cmd, p.qual, p.with_check
  FROM pg_catalog.pg_policies AS p
 WHERE p.schemaname = %(schema)s
   AND p.tablename = ANY (%(tables)s::text[])
 ORDER BY p.tablename, p.policyname
