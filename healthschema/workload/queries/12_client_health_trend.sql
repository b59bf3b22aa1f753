-- name: client_health_trend
-- question: How did this client's health develop (last 26 snapshots)?
-- persona: admin_a
-- index: customer_health_client_id_calculated_at_idx
-- scope: explicit
SELECT calculated_at, overall_health_score, engagement_score, progress_score, churn_risk_score
  FROM {app}.customer_health
 WHERE client_id = {client}
 ORDER BY calculated_at DESC
 LIMIT 26
