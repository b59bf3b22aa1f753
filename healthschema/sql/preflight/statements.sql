-- Named statements of healthschema's preflight module: each `-- name:` line starts one.

-- name: functions
-- Preflight: which required functions (regprocedure signatures) exist.
SELECT f.signature,
       EXISTS (SELECT FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
               WHERE pg_catalog.format('%%I.%%I(%%s)', n.nspname, p.proname,
                                       pg_catalog.pg_get_function_identity_arguments(p.oid)) = f.signature)
FROM unnest(%(functions)s::text[]) AS f(signature)

-- name: ledger_readable
-- Preflight: can the current user read the ledger (true when it does not exist yet)?
SELECT CASE
           WHEN to_regnamespace(%(schema)s) IS NULL THEN true
           WHEN NOT pg_catalog.has_schema_privilege(to_regnamespace(%(schema)s), 'USAGE') THEN false
           WHEN to_regclass(pg_catalog.format('%%I.ledger', %(schema)s::text)) IS NULL THEN true
           ELSE pg_catalog.has_table_privilege(to_regclass(pg_catalog.format('%%I.ledger', %(schema)s::text)),
                                               'SELECT')
       END

-- name: role_privileges
-- Preflight: the current user, and whether it may create schemas and roles.
SELECT CURRENT_USER::text,
       pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE'),
       coalesce((SELECT r.rolsuper OR r.rolcreaterole FROM pg_catalog.pg_roles AS r
                 WHERE r.rolname = CURRENT_USER), false),
       pg_catalog.current_setting('server_version_num')::integer

-- name: roles
-- Preflight: which required roles exist, and whether they bypass RLS.
SELECT req.role_name, r.rolname IS NOT NULL, coalesce(r.rolbypassrls, false)
FROM unnest(%(roles)s::text[]) AS req(role_name)
LEFT JOIN pg_catalog.pg_roles AS r ON r.rolname = req.role_name

-- name: schemas
-- Preflight: for each schema, whether it exists and the current user's USAGE and CREATE on it.
SELECT req.schema_name, n.oid IS NOT NULL,
       CASE WHEN n.oid IS NULL THEN NULL ELSE pg_catalog.has_schema_privilege(n.oid, 'USAGE') END,
       CASE WHEN n.oid IS NULL THEN NULL ELSE pg_catalog.has_schema_privilege(n.oid, 'CREATE') END
FROM unnest(%(schemas)s::text[]) AS req(schema_name)
LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = req.schema_name

-- name: supabase
-- Signs of a Supabase database: its own roles, and GoTrue's auth.users (instance_id, aud columns).
SELECT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname IN ('supabase_admin', 'supabase_auth_admin'))
       OR (EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'authenticator')
           AND (SELECT count(*) FROM pg_catalog.pg_attribute AS a
                 WHERE a.attrelid = pg_catalog.to_regclass('auth.users')
                   AND a.attname IN ('instance_id', 'aud') AND NOT a.attisdropped) = 2)

-- name: relation_names
-- Who holds each wanted relation name (tables, views, indexes, sequences share one name space per
-- schema), and each wanted type name: kind, and for an index the table it is on.
SELECT w.schema_name, w.object_name, c.relkind::text, i.indrelid::regclass::text
FROM unnest(%(schemas)s::text[], %(names)s::text[]) AS w(schema_name, object_name)
JOIN pg_catalog.pg_namespace AS n ON n.nspname = w.schema_name
JOIN pg_catalog.pg_class AS c ON c.relnamespace = n.oid AND c.relname = w.object_name
LEFT JOIN pg_catalog.pg_index AS i ON i.indexrelid = c.oid
UNION ALL
SELECT w.schema_name, w.object_name, 'type', NULL
FROM unnest(%(schemas)s::text[], %(names)s::text[]) AS w(schema_name, object_name)
JOIN pg_catalog.pg_namespace AS n ON n.nspname = w.schema_name
JOIN pg_catalog.pg_type AS t ON t.typnamespace = n.oid AND t.typname = w.object_name
WHERE t.typrelid = 0 OR NOT EXISTS (SELECT FROM pg_catalog.pg_class AS c2 WHERE c2.oid = t.typrelid
                                      AND c2.relname = w.object_name AND c2.relnamespace = n.oid)
