SELECT 1 FROM {schema}.{table} WHERE {key} = %(key)s
