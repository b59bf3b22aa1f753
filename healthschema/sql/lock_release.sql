SELECT pg_advisory_unlock(hashtext('healthschema:' || %(schema)s::text))
