DROP INDEX CONCURRENTLY IF EXISTS {app}.bench_customer_health_updated_at_idx
