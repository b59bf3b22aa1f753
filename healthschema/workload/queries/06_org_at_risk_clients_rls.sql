-- name: org_at_risk_clients_rls
-- question: The same list as an app sends it: no organization filter, RLS scopes it.
-- persona: admin_a
-- index: customer_health_org_id_overall_health_score_current_idx
-- persona_index: customer_health_overall_health_score_current_idx
-- why: the score-ordered index with the organization in INCLUDE: reads entries in score order until 25 of the organization are found
-- scope: rls
-- baseline: org_at_risk_clients
SELECT client_id, overall_health_score, health_status, churn_risk_score
  FROM {app}.customer_health
 WHERE is_current
 ORDER BY overall_health_score
 LIMIT 25
