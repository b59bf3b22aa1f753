-- Preflight: for each required table, whether it exists, its columns with their type names
-- (pg_type.typname, e.g. uuid, timestamptz, varchar), and whether the current user may reference
-- it from a foreign key.
SELECT req.schema_name, req.table_name, c.oid IS NOT NULL,
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT t.typname::text FROM pg_catalog.pg_attribute AS a
             JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       CASE WHEN c.oid IS NULL THEN NULL ELSE pg_catalog.has_table_privilege(c.oid, 'REFERENCES') END
FROM unnest(%(schemas)s::text[], %(tables)s::text[]) AS req(schema_name, table_name)
LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = req.schema_name
LEFT JOIN pg_catalog.pg_class AS c
       ON c.relnamespace = n.oid AND c.relname = req.table_name AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
