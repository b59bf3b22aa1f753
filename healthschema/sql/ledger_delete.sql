DELETE FROM {schema}.ledger WHERE migration_id = %(migration_id)s
