-- policy-check fixture (run as the connecting owner inside a transaction that is always rolled
-- back): two organizations A and B, one auth user per signed-in persona, org-A profiles, a client
-- per organization (plus an org-B client without rows, the target of the move cells) and one row
-- per organization in each health table (the org-A rows assigned to the assignee persona).
-- The template is inactive so that nothing instantiates it.
INSERT INTO {schema}.organizations (id, name, slug) VALUES
    (%(org_a)s, 'policy-check organization A', %(slug_a)s),
    (%(org_b)s, 'policy-check organization B', %(slug_b)s);

INSERT INTO auth.users (id, email, raw_app_meta_data)
SELECT u.id, u.email, u.app_metadata
  FROM jsonb_to_recordset(%(users)s) AS u (id uuid, email text, app_metadata jsonb);

-- ON CONFLICT: on platforms where a trigger on auth.users already created the profile.
INSERT INTO {schema}.user_profiles (user_id, organization_id, role)
SELECT p.user_id, %(org_a)s, p.role
  FROM jsonb_to_recordset(%(profiles)s) AS p (user_id uuid, role text)
    ON CONFLICT (user_id) DO UPDATE SET organization_id = excluded.organization_id, role = excluded.role;

INSERT INTO {schema}.clients (id, organization_id, first_name, last_name) VALUES
    (%(client_a)s, %(org_a)s, 'Policy', 'Check A'),
    (%(client_b)s, %(org_b)s, 'Policy', 'Check B'),
    (%(client_move)s, %(org_b)s, 'Policy', 'Check move target');

INSERT INTO {schema}.customer_health (id, client_id, organization_id) VALUES
    (%(customer_health_a)s, %(client_a)s, %(org_a)s),
    (%(customer_health_b)s, %(client_b)s, %(org_b)s);

INSERT INTO {schema}.success_milestones
    (id, client_id, organization_id, milestone_type, milestone_category, milestone_name, assigned_user_id)
VALUES
    (%(success_milestones_a)s, %(client_a)s, %(org_a)s, 'custom', 'planning', 'policy-check A', %(assignee)s),
    (%(success_milestones_b)s, %(client_b)s, %(org_b)s, 'custom', 'planning', 'policy-check B', NULL);

INSERT INTO {schema}.support_interactions
    (id, client_id, organization_id, interaction_type, interaction_category, interaction_method,
     subject, priority, assigned_user_id)
VALUES
    (%(support_interactions_a)s, %(client_a)s, %(org_a)s, 'health_check', 'success', 'email',
     'policy-check A', 'medium', %(assignee)s),
    (%(support_interactions_b)s, %(client_b)s, %(org_b)s, 'health_check', 'success', 'email',
     'policy-check B', 'medium', NULL);

INSERT INTO {schema}.milestone_templates
    (id, template_key, milestone_name, milestone_type, milestone_category, is_active)
VALUES (%(milestone_templates_a)s, %(template_key)s, 'policy-check template', 'custom', 'planning', false);
