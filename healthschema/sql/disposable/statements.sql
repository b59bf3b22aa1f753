-- Named statements of healthschema's disposable module: each `-- name:` line starts one.

-- name: create
CREATE DATABASE {database}

-- name: create_from
CREATE DATABASE {database} TEMPLATE {template} STRATEGY FILE_COPY

-- name: drop
DROP DATABASE IF EXISTS {database} WITH (FORCE)
