DELETE FROM {schema}.{table} WHERE {key} = %(key)s RETURNING 1
