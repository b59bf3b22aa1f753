-- The same table without triggers: same columns, defaults, CHECKs, indexes and foreign keys.
CREATE TABLE {app}.bench_customer_health_plain
    (LIKE {app}.customer_health INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
ALTER TABLE {app}.bench_customer_health_plain
    ADD FOREIGN KEY (client_id) REFERENCES {app}.clients (id) ON DELETE CASCADE,
    ADD FOREIGN KEY (organization_id) REFERENCES {app}.organizations (id) ON DELETE CASCADE;
