-- Our functions: everything in the private schema plus the functions of triggers on our tables.
-- For each: SECURITY DEFINER?, fixed search_path?, executable by anon (directly or via PUBLIC)?
WITH ours AS (
    SELECT p.oid
      FROM pg_catalog.pg_proc AS p
      JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
     WHERE n.nspname = %(private_schema)s
    UNION
    SELECT tg.tgfoid
      FROM pg_catalog.pg_trigger AS tg
      JOIN pg_catalog.pg_class AS c ON c.oid = tg.tgrelid
      JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
     WHERE n.nspname = %(schema)s AND c.relname = ANY (%(tables)s::text[]) AND NOT tg.tgisinternal
)
SELECT p.oid::pg_catalog.regprocedure::text AS signature,
       p.prosecdef AS security_definer,
       coalesce(EXISTS (
           SELECT FROM pg_catalog.unnest(p.proconfig) AS cfg (setting)
            WHERE pg_catalog.starts_with(cfg.setting, 'search_path=')
       ), false) AS search_path_fixed,
       coalesce(pg_catalog.has_function_privilege(anon.oid, p.oid, 'EXECUTE'), false) AS anon_can_execute
  FROM ours
  JOIN pg_catalog.pg_proc AS p ON p.oid = ours.oid
  LEFT JOIN pg_catalog.pg_roles AS anon ON anon.rolname = 'anon'
 ORDER BY 1
