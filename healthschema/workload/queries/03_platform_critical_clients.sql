-- name: platform_critical_clients
-- question: Which critical clients need help first (lowest score first)?
-- persona: platform_admin
-- index: customer_health_overall_health_score_current_idx
-- scope: explicit
SELECT client_id, organization_id, overall_health_score
  FROM {app}.customer_health
 WHERE is_current AND health_status = 'critical'
 ORDER BY overall_health_score
 LIMIT 50
