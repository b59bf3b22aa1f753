ALTER POLICY {policy} ON {schema}.{table} USING (true)
