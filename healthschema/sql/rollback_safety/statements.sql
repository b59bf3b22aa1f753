-- Named statements of healthschema's rollback_safety module: each `-- name:` line starts one.

-- name: count_rows
SELECT count(*) FROM {schema}.{table}

-- name: count_values
SELECT count({column}) FROM {schema}.{table}
