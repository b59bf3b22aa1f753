-- Catalog description: columns of tables, views and foreign tables.
SELECT 'column ' || format('%%I.%%I.%%I', n.nspname, c.relname, a.attname), 'column', n.nspname,
       'relation ' || format('%%I.%%I', n.nspname, c.relname),
       jsonb_build_object(
           'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
           'not_null', a.attnotnull,
           'default', CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) ELSE NULL END,
           'generated', CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) ELSE NULL END,
           'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE NULL END,
           'collation', CASE WHEN a.attcollation <> t.typcollation
                             THEN (SELECT co.collname FROM pg_catalog.pg_collation AS co WHERE co.oid = a.attcollation)
                             ELSE NULL END,
           'comment', pg_catalog.col_description(c.oid, a.attnum))
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
