-- Deploy benchmark: a platform with {clients} clients in {organizations} organizations (and no
-- health schema yet), so that the deploy's back-fill has every client to cover.
INSERT INTO {app}.organizations (name, slug)
SELECT 'Bench supplier ' || g, 'bench-supplier-' || g FROM generate_series(1, {organizations}) AS g;
INSERT INTO {app}.clients (organization_id, first_name, last_name, wedding_date, created_at)
SELECT o.id, 'Couple', 'No. ' || g, current_date + (30 + g % 510), now() - (g % 730) * interval '1 day'
  FROM generate_series(1, {clients}) AS g
  JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM {app}.organizations) AS o
    ON o.n = g % {organizations};
ANALYZE {app}.clients;
