-- Named statements of healthschema's platform_fixture module: each `-- name:` line starts one.
-- {columns} is a list of quoted column names; rows come as one JSON array, each value cast by
-- the server to the column's type (jsonb_populate_recordset: domains and their CHECKs included).

-- name: insert
INSERT INTO {schema}.{table} ({columns})
SELECT {columns} FROM pg_catalog.jsonb_populate_recordset(NULL::{schema}.{table}, %(rows)s)

-- name: insert_profiles
-- ON CONFLICT: on platforms where a trigger on auth.users already created the profile.
INSERT INTO {schema}.{table} ({columns})
SELECT {columns} FROM pg_catalog.jsonb_populate_recordset(NULL::{schema}.{table}, %(rows)s)
    ON CONFLICT (user_id) DO UPDATE SET organization_id = excluded.organization_id, role = excluded.role

-- name: validate
-- Do the values of one column read as its type (and pass its domains' CHECKs)? Changes nothing.
SELECT count({column}) FROM pg_catalog.jsonb_populate_recordset(NULL::{schema}.{table}, %(rows)s)
