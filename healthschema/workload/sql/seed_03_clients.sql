-- Seed step 3: clients, skewed over the organizations (organization n gets a share that falls
-- off like a power law: org = 1 + floor(organizations * random()^2.5), so the first supplier is
-- the biggest); created over the last two years, weddings 1-18 months after creation.
CREATE TEMP TABLE seed_client ON COMMIT DROP AS
SELECT c.n, gen_random_uuid() AS id, o.id AS organization_id, o.member_id, c.created_at,
       (c.created_at + (30 + floor(random() * 510)) * interval '1 day')::date AS wedding_date,
       random() AS vitality
  FROM seed_size
 CROSS JOIN LATERAL (
     SELECT g AS n, 1 + floor(seed_size.organizations * power(random(), 2.5))::int AS org_n,
            now() - random() * interval '730 days' AS created_at
       FROM generate_series(1, seed_size.clients) AS g) AS c
  JOIN seed_org AS o ON o.n = c.org_n;
ALTER TABLE seed_client ADD PRIMARY KEY (id);
INSERT INTO {app}.clients (id, organization_id, first_name, last_name, wedding_date, created_at)
SELECT c.id, c.organization_id, 'Couple', 'No. ' || c.n, c.wedding_date, c.created_at FROM seed_client AS c;
