INSERT INTO {schema}.milestone_templates
    (id, template_key, milestone_name, milestone_type, milestone_category, is_active)
VALUES (%(key)s, %(template_key)s, 'policy-check insert', 'custom', 'planning', false)
RETURNING 1
