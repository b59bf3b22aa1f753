-- name: platform_churn_risk
-- question: Which 50 clients are most likely to churn?
-- persona: cs_agent
-- index: customer_health_churn_risk_score_current_idx
-- scope: explicit
SELECT client_id, organization_id, churn_risk_score
  FROM {app}.customer_health
 WHERE is_current
 ORDER BY churn_risk_score DESC
 LIMIT 50
