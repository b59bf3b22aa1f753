-- policy-check fixture, the health rows (run as the connecting owner inside a transaction that is
-- always rolled back, after the platform rows — organizations A and B, the auth users, org-A
-- profiles and the clients — which healthschema/checks/platform_fixture.py writes): one row per
-- organization in each health table (the org-A rows assigned to the assignee persona), and a
-- second org-A milestone (the prerequisite the column cells link to).
-- The template is inactive so that nothing instantiates it.
INSERT INTO {schema}.customer_health (id, client_id, organization_id) VALUES
    (%(customer_health_a)s, %(client_a)s, %(org_a)s),
    (%(customer_health_b)s, %(client_b)s, %(org_b)s);

INSERT INTO {schema}.success_milestones
    (id, client_id, organization_id, milestone_type, milestone_category, milestone_name, assigned_user_id)
VALUES
    (%(success_milestones_a)s, %(client_a)s, %(org_a)s, 'custom', 'planning', 'policy-check A', %(assignee)s),
    (%(success_milestones_b)s, %(client_b)s, %(org_b)s, 'custom', 'planning', 'policy-check B', NULL),
    (%(prerequisite)s, %(client_a)s, %(org_a)s, 'custom', 'planning', 'policy-check A prerequisite', NULL);

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
