-- Named statements of healthschema's rollback_safety module: each `-- name:` line starts one.

-- name: count_rows
SELECT count(*) FROM {schema}.{table}

-- name: count_values
SELECT count({column}) FROM {schema}.{table}

-- name: stable_columns
-- The columns of a table whose values a re-run of its migrations reproduces: not generated ids
-- (uuid, uuid[]), not set from the clock or a random default, not the usual timestamps. Comparing
-- rows on these tells rows a migration wrote from rows someone wrote or edited since.
SELECT a.attname::text
FROM pg_catalog.pg_attribute AS a
LEFT JOIN pg_catalog.pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = pg_catalog.format('%%I.%%I', %(schema)s::text, %(table)s::text)::regclass
  AND a.attnum > 0 AND NOT a.attisdropped
  AND a.atttypid NOT IN ('uuid'::regtype, 'uuid[]'::regtype)
  AND a.attname NOT IN ('created_at', 'updated_at')
  AND coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') !~* '(now\(\)|clock_timestamp|random|current_timestamp|statement_timestamp|transaction_timestamp)'
ORDER BY a.attnum

-- name: row_hashes
-- One hash per row of the stable columns ({columns} is filled in by the caller, quoted).
SELECT pg_catalog.md5(pg_catalog.row_to_json(t)::text) FROM (SELECT {columns} FROM {schema}.{table}) AS t
