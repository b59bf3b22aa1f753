-- The online index migration the writer runs against (non-transactional, lock_timeout set).
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY bench_customer_health_updated_at_idx ON {app}.customer_health (updated_at)
