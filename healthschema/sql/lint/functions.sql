-- Functions of a lint database outside the platform's schemas and not belonging to an extension:
-- signature, SECURITY DEFINER?, fixed search_path?, executable by anon?, in an exposed schema?
SELECT p.oid::pg_catalog.regprocedure::text AS signature,
       p.prosecdef AS security_definer,
       coalesce(EXISTS (
           SELECT FROM pg_catalog.unnest(p.proconfig) AS cfg (setting)
            WHERE pg_catalog.starts_with(cfg.setting, 'search_path=')
       ), false) AS search_path_fixed,
       coalesce(pg_catalog.has_function_privilege(anon.oid, p.oid, 'EXECUTE'), false) AS anon_can_execute,
       n.nspname = ANY (%(exposed)s::text[]) AS exposed
  FROM pg_catalog.pg_proc AS p
  JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
  LEFT JOIN pg_catalog.pg_roles AS anon ON anon.rolname = 'anon'
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'auth', 'extensions', %(meta_schema)s)
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
                      AND d.deptype = 'e')
 ORDER BY 1
