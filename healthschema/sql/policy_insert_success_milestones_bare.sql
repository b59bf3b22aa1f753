INSERT INTO {schema}.success_milestones
    (id, client_id, organization_id, milestone_type, milestone_category, milestone_name)
VALUES (%(key)s, %(client_id)s, %(organization_id)s, 'custom', 'planning', 'policy-check insert')
-- no RETURNING: only the INSERT policy's WITH CHECK decides
