-- Preflight: can the current user read the ledger (true when it does not exist yet)?
SELECT CASE
           WHEN to_regnamespace(%(schema)s) IS NULL THEN true
           WHEN NOT pg_catalog.has_schema_privilege(to_regnamespace(%(schema)s), 'USAGE') THEN false
           WHEN to_regclass(pg_catalog.format('%%I.ledger', %(schema)s::text)) IS NULL THEN true
           ELSE pg_catalog.has_table_privilege(to_regclass(pg_catalog.format('%%I.ledger', %(schema)s::text)),
                                               'SELECT')
       END
