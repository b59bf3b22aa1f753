-- Catalog description: user triggers (not the internal ones behind foreign keys).
SELECT 'trigger ' || format('%%I.%%I.%%I', n.nspname, c.relname, tg.tgname), 'trigger', n.nspname,
       'relation ' || format('%%I.%%I', n.nspname, c.relname),
       jsonb_build_object(
           'definition', pg_catalog.pg_get_triggerdef(tg.oid, false),
           'enabled', CASE tg.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                                        WHEN 'R' THEN 'replica only' WHEN 'A' THEN 'always'
                                        ELSE tg.tgenabled::text END)
FROM pg_catalog.pg_trigger AS tg
JOIN pg_catalog.pg_class AS c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal
  AND n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
