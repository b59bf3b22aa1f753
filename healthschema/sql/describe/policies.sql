-- Catalog description: row-level security policies.
SELECT 'policy ' || format('%%I.%%I.%%I', n.nspname, c.relname, p.polname), 'policy', n.nspname,
       'relation ' || format('%%I.%%I', n.nspname, c.relname),
       jsonb_build_object(
           'command', CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                    WHEN 'd' THEN 'DELETE' WHEN '*' THEN 'ALL' ELSE p.polcmd::text END,
           'permissive', p.polpermissive,
           'roles', to_jsonb(ARRAY(
               SELECT CASE WHEN r.role_oid = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.role_oid)::text END
               FROM unnest(p.polroles) AS r(role_oid) ORDER BY 1)),
           'using', pg_catalog.pg_get_expr(p.polqual, p.polrelid),
           'with_check', pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))
FROM pg_catalog.pg_policy AS p
JOIN pg_catalog.pg_class AS c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
