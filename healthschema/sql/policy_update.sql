-- A real UPDATE (a new row version, triggers fire) that changes no value, of a column every
-- persona with UPDATE may change (UPDATE rights are column-level).
UPDATE {schema}.{table} SET {touch} = {touch} WHERE {key} = %(key)s RETURNING 1
