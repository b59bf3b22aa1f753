-- name: org_summary_rls
-- question: The organization summary as an app sends it: the whole view, RLS scopes it.
-- persona: admin_a
-- index: customer_health_org_id_overall_health_score_current_idx
-- scope: rls
-- baseline: org_summary
SELECT * FROM {app}.organization_health_summary
