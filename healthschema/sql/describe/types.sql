-- Catalog description: enum and domain types, and extensions (by name and schema).
SELECT 'type ' || format('%%I.%%I', n.nspname, t.typname), 'type', n.nspname, NULL::text,
       jsonb_build_object(
           'kind', CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE t.typtype::text END,
           'labels', to_jsonb(ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum AS e
                                    WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)),
           'base', CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) ELSE NULL END,
           'not_null', t.typnotnull,
           'default', t.typdefault,
           'comment', obj_description(t.oid, 'pg_type'))
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd')
  AND n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
SELECT 'extension ' || format('%%I', x.extname), 'extension', NULL::text, NULL::text,
       jsonb_build_object('schema', xn.nspname)
FROM pg_catalog.pg_extension AS x
JOIN pg_catalog.pg_namespace AS xn ON xn.oid = x.extnamespace
WHERE x.extname <> 'plpgsql'
