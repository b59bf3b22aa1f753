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
