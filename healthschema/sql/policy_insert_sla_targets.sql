INSERT INTO {schema}.sla_targets (priority, response_hours, resolution_hours)
VALUES (%(key)s, 24, 120)
RETURNING 1
