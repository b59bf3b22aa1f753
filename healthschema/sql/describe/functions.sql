-- Catalog description: functions and procedures (owner-independent).
SELECT 'function ' || format('%%I.%%I', n.nspname, p.proname)
           || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
       'function', n.nspname, NULL::text,
       jsonb_build_object(
           'kind', CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                                  WHEN 'w' THEN 'window' ELSE p.prokind::text END,
           'arguments', pg_catalog.pg_get_function_arguments(p.oid),
           'result', pg_catalog.pg_get_function_result(p.oid),
           'language', l.lanname,
           'volatility', CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable'
                                            WHEN 'v' THEN 'volatile' ELSE p.provolatile::text END,
           'security_definer', p.prosecdef,
           'strict', p.proisstrict,
           'leakproof', p.proleakproof,
           'parallel', CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted'
                                          WHEN 'u' THEN 'unsafe' ELSE p.proparallel::text END,
           'config', to_jsonb(coalesce((SELECT array_agg(s ORDER BY s) FROM unnest(p.proconfig) AS s), '{}')),
           'body', CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid)
                        ELSE p.prosrc END,
           'comment', obj_description(p.oid, 'pg_proc'))
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
WHERE n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
