-- Fraction of heap pages marked all-visible (index-only scans need them), per seeded table.
SELECT coalesce(min(CASE WHEN c.relpages = 0 THEN 1 ELSE c.relallvisible::float / c.relpages END), 1)
  FROM pg_catalog.pg_class AS c
 WHERE c.oid = ANY ({tables}::text[]::regclass[])
