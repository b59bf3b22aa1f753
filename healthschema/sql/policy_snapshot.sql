-- The row as the owner sees it (compared before and after a filtered or denied write).
SELECT pg_catalog.to_jsonb(t) FROM {schema}.{table} AS t WHERE t.{key} = %(key)s
