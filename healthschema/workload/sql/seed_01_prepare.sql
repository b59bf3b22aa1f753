-- Seed step 1: a fresh, reproducible random stream and the sizes of every table.
-- {scale} = customer_health rows; every other table follows in proportion (docs/performance.md).
SELECT pg_catalog.setseed(0.42);
CREATE TEMP TABLE seed_size ON COMMIT DROP AS
SELECT greatest(1, {scale} / 50) AS clients,
       greatest(1, {scale} / 50 / 40) AS organizations,
       {scale} AS health_rows;
ALTER TABLE {app}.customer_health DISABLE TRIGGER USER;
ALTER TABLE {app}.success_milestones DISABLE TRIGGER USER;
ALTER TABLE {app}.support_interactions DISABLE TRIGGER USER;
