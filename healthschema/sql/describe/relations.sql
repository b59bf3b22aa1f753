-- Catalog description: tables, views, materialized views, sequences, foreign tables.
-- Sequences owned by a column (serial, identity) are children of their table.
SELECT 'relation ' || format('%%I.%%I', n.nspname, c.relname), 'relation', n.nspname,
       (SELECT 'relation ' || format('%%I.%%I', tn.nspname, t.relname)
          FROM pg_catalog.pg_depend AS d
          JOIN pg_catalog.pg_class AS t ON t.oid = d.refobjid
          JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.relnamespace
         WHERE c.relkind = 'S' AND d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
         LIMIT 1),
       jsonb_build_object(
           'relkind', CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table'
                                     WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                     WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
                                     ELSE c.relkind::text END,
           'persistence', CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END,
           'rls_enabled', c.relrowsecurity,
           'rls_forced', c.relforcerowsecurity,
           'options', to_jsonb(coalesce((SELECT array_agg(o ORDER BY o) FROM unnest(c.reloptions) AS o), '{}')),
           'definition', CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) ELSE NULL END,
           'sequence_type', (SELECT pg_catalog.format_type(s.seqtypid, NULL)
                               FROM pg_catalog.pg_sequence AS s WHERE s.seqrelid = c.oid),
           'comment', obj_description(c.oid, 'pg_class'))
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
