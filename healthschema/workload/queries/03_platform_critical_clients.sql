-- name: platform_critical_clients
-- question: Which critical clients need help first (lowest score first)?
-- persona: platform_admin
-- index: customer_health_overall_health_score_current_idx
-- persona_index: customer_health_org_id_days_since_last_activity_current_idx
-- why: one plan serves every persona: the planner assumes the policy array holds ~10 organizations, so for staff it scans the organization-leading current index
-- scope: explicit
SELECT client_id, organization_id, overall_health_score
  FROM {app}.customer_health
 WHERE is_current AND health_status = 'critical'
 ORDER BY overall_health_score
 LIMIT 50
