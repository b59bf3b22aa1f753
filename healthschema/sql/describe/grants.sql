-- Catalog description: privileges granted on schemas, relations, columns and functions,
-- one row per object and grantee. Grants to the object's owner are left out (owner-independent);
-- a NULL ACL means the built-in default (e.g. EXECUTE for PUBLIC on functions).
WITH objects AS (
    SELECT 'schema ' || format('%%I', n.nspname) AS object_key, n.nspname AS schema_name, n.nspowner AS owner_oid,
           coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner)) AS acl
    FROM pg_catalog.pg_namespace AS n
    UNION ALL
    SELECT 'relation ' || format('%%I.%%I', n.nspname, c.relname), n.nspname, c.relowner,
           coalesce(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char",
                                                    c.relowner))
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT 'column ' || format('%%I.%%I.%%I', n.nspname, c.relname, a.attname), n.nspname, c.relowner, a.attacl
    FROM pg_catalog.pg_attribute AS a
    JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
    UNION ALL
    SELECT 'function ' || format('%%I.%%I', n.nspname, p.proname)
               || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
           n.nspname, p.proowner, coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))
    FROM pg_catalog.pg_proc AS p
    JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                      WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
)
SELECT 'grant ' || o.object_key || ' to '
           || CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(g.grantee)::text END,
       'grant', o.schema_name, o.object_key,
       jsonb_build_object(
           'privileges', to_jsonb(array_agg(DISTINCT g.privilege_type::text ORDER BY g.privilege_type::text)),
           'grantable', to_jsonb(coalesce(array_agg(DISTINCT g.privilege_type::text ORDER BY g.privilege_type::text)
                                              FILTER (WHERE g.is_grantable), '{}')))
FROM objects AS o
CROSS JOIN LATERAL aclexplode(o.acl) AS g
WHERE g.grantee <> o.owner_oid
  AND o.schema_name <> ALL (%(excluded)s::text[])
  AND o.schema_name NOT LIKE 'pg\_%%' AND o.schema_name <> 'information_schema'
GROUP BY o.object_key, o.schema_name, g.grantee
