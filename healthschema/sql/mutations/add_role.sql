ALTER POLICY {policy} ON {schema}.{table} TO {roles}
