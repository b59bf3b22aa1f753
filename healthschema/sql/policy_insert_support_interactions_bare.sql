INSERT INTO {schema}.support_interactions
    (id, client_id, organization_id, interaction_type, interaction_category, interaction_method, subject, priority)
VALUES (%(key)s, %(client_id)s, %(organization_id)s, 'health_check', 'success', 'email', 'policy-check insert', 'medium')
-- no RETURNING: only the INSERT policy's WITH CHECK decides
