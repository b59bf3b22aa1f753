SELECT count({column}) FROM {schema}.{table}
