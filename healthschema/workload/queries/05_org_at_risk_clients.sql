-- name: org_at_risk_clients
-- question: Which clients of my organization are most at risk (lowest current score)?
-- persona: admin_a
-- index: customer_health_org_id_overall_health_score_current_idx
-- scope: explicit
SELECT client_id, overall_health_score, health_status, churn_risk_score
  FROM {app}.customer_health
 WHERE organization_id = {org} AND is_current
 ORDER BY overall_health_score
 LIMIT 25
