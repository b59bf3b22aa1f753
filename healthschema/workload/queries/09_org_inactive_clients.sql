-- name: org_inactive_clients
-- question: Which clients of my organization have been inactive for two weeks or more?
-- persona: admin_a
-- index: customer_health_org_id_days_since_last_activity_current_idx
-- scope: explicit
SELECT client_id, days_since_last_activity, overall_health_score
  FROM {app}.customer_health
 WHERE organization_id = {org} AND is_current AND days_since_last_activity >= 14
 ORDER BY days_since_last_activity DESC
 LIMIT 25
