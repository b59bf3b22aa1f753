-- Make room for the INSERT cell (one row per priority); undone with the cell's savepoint.
DELETE FROM {schema}.sla_targets WHERE priority = %(key)s
