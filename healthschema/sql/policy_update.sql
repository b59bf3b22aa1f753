-- A real UPDATE (a new row version, triggers fire) that changes no value.
UPDATE {schema}.{table} SET {key} = {key} WHERE {key} = %(key)s RETURNING 1
