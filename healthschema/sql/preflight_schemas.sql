-- Preflight: for each schema, whether it exists and the current user's USAGE and CREATE on it.
SELECT req.schema_name, n.oid IS NOT NULL,
       CASE WHEN n.oid IS NULL THEN NULL ELSE pg_catalog.has_schema_privilege(n.oid, 'USAGE') END,
       CASE WHEN n.oid IS NULL THEN NULL ELSE pg_catalog.has_schema_privilege(n.oid, 'CREATE') END
FROM unnest(%(schemas)s::text[]) AS req(schema_name)
LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = req.schema_name
