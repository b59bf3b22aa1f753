-- name: platform_lowest_scores
-- question: Which 50 clients have the lowest current health score platform-wide?
-- persona: cs_agent
-- index: customer_health_overall_health_score_current_idx
-- scope: explicit
SELECT client_id, organization_id, overall_health_score, health_status
  FROM {app}.customer_health
 WHERE is_current
 ORDER BY overall_health_score
 LIMIT 50
