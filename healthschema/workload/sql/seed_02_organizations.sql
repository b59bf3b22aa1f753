-- Seed step 2: organizations and their people. Per organization one ADMIN and one MEMBER
-- (auth.users + user_profiles); 10 customer-success agents (auth.users, no profile).
CREATE TEMP TABLE seed_org ON COMMIT DROP AS
SELECT g AS n, gen_random_uuid() AS id, gen_random_uuid() AS admin_id, gen_random_uuid() AS member_id
  FROM seed_size, generate_series(1, seed_size.organizations) AS g;
INSERT INTO {app}.organizations (id, name, slug)
SELECT o.id, 'Seed supplier ' || o.n, 'seed-supplier-' || o.n || '-' || left(o.id::text, 8) FROM seed_org AS o;
INSERT INTO auth.users (id, email)
SELECT u.id, u.email FROM seed_org AS o
 CROSS JOIN LATERAL (VALUES (o.admin_id, 'admin-' || o.id || '@seed.invalid'),
                            (o.member_id, 'member-' || o.id || '@seed.invalid')) AS u(id, email);
INSERT INTO {app}.user_profiles (user_id, organization_id, role)
SELECT o.admin_id, o.id, 'ADMIN' FROM seed_org AS o
UNION ALL
SELECT o.member_id, o.id, 'MEMBER' FROM seed_org AS o;
CREATE TEMP TABLE seed_agent ON COMMIT DROP AS
SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, 10) AS g;
INSERT INTO auth.users (id, email, raw_app_meta_data)
SELECT a.id, 'agent-' || a.id || '@seed.invalid', '{{"platform_role": "customer_success"}}'::jsonb FROM seed_agent AS a;
