-- Catalog description: indexes (including those behind primary keys and unique constraints),
-- with their comment (the dashboard question an index serves).
SELECT 'index ' || format('%%I.%%I.%%I', n.nspname, c.relname, i.relname), 'index', n.nspname,
       'relation ' || format('%%I.%%I', n.nspname, c.relname),
       jsonb_build_object(
           'definition', pg_catalog.pg_get_indexdef(x.indexrelid),
           'valid', x.indisvalid,
           'comment', obj_description(x.indexrelid, 'pg_class'),
           'constraint', (SELECT con.conname FROM pg_catalog.pg_constraint AS con
                           WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid
                             AND con.contype IN ('p', 'u', 'x') LIMIT 1))
FROM pg_catalog.pg_index AS x
JOIN pg_catalog.pg_class AS i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_class AS c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
