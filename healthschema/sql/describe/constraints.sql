-- Catalog description: table and domain constraints. PostgreSQL 18 also records NOT NULL
-- as constraints (contype 'n'); nullability is a column attribute here, so they are skipped.
SELECT 'constraint ' || CASE WHEN con.conrelid <> 0
                             THEN format('%%I.%%I.%%I', n.nspname, c.relname, con.conname)
                             ELSE format('%%I.%%I.%%I', tn.nspname, t.typname, con.conname) END,
       'constraint', coalesce(n.nspname, tn.nspname),
       CASE WHEN con.conrelid <> 0 THEN 'relation ' || format('%%I.%%I', n.nspname, c.relname)
            ELSE 'type ' || format('%%I.%%I', tn.nspname, t.typname) END,
       jsonb_build_object(
           'type', CASE con.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'p' THEN 'primary key'
                                    WHEN 'u' THEN 'unique' WHEN 'x' THEN 'exclusion' WHEN 't' THEN 'trigger'
                                    ELSE con.contype::text END,
           'definition', pg_catalog.pg_get_constraintdef(con.oid, true),
           'validated', con.convalidated)
FROM pg_catalog.pg_constraint AS con
LEFT JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
LEFT JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_type AS t ON t.oid = con.contypid
LEFT JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.typnamespace
WHERE con.contype <> 'n'
  AND (con.conrelid <> 0 OR con.contypid <> 0)
  AND coalesce(n.nspname, tn.nspname) <> ALL (%(excluded)s::text[])
  AND coalesce(n.nspname, tn.nspname) NOT LIKE 'pg\_%%' AND coalesce(n.nspname, tn.nspname) <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.deptype = 'e'
                    AND ((d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = con.conrelid)
                         OR (d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = con.contypid)))
