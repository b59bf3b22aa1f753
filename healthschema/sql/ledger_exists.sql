SELECT to_regclass(format('%%I.ledger', %(schema)s::text)) IS NOT NULL
