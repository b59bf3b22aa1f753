ALTER POLICY {policy} ON {schema}.{table} WITH CHECK (true)
