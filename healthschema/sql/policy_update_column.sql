-- A column cell: change one column of the row to another valid value (bound as text, cast by the
-- server); no RETURNING, the effect is read back as the owner.
UPDATE {schema}.{table} SET {column} = %(value)s WHERE {key} = %(key)s
