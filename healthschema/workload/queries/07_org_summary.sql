-- name: org_summary
-- question: How healthy is my organization (organization_health_summary view)?
-- persona: admin_a
-- index: customer_health_org_id_overall_health_score_current_idx
-- scope: explicit
SELECT * FROM {app}.organization_health_summary WHERE organization_id = {org}
