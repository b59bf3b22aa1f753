-- Make room for the INSERT cell (single-row table); undone with the cell's savepoint.
DELETE FROM {schema}.health_score_config WHERE id = %(key)s
