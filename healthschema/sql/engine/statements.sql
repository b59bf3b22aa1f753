-- Named statements of healthschema's engine module: each `-- name:` line starts one.

-- name: search_path_default
SET search_path TO DEFAULT

-- name: search_path_local_default
-- Migrations run with the database's normal search_path, not the bookkeeping schema.
SET LOCAL search_path TO DEFAULT

-- name: search_path_local_meta
SET LOCAL search_path TO {schema}

-- name: search_path_meta
SET search_path TO {schema}
