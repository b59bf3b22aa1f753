-- name: platform_overview
-- question: How many clients are in each health status platform-wide, and their average score?
-- persona: cs_agent
-- index: customer_health_overall_health_score_current_idx | customer_health_org_id_overall_health_score_current_idx
-- persona_index: customer_health_org_id_overall_health_score_current_idx | customer_health_overall_health_score_current_idx
-- why: one plan serves every persona: the planner assumes the policy array holds ~10 organizations, so for staff (all organizations) it reads the organization-leading index, index-only
-- scope: explicit
SELECT health_status, count(*) AS clients, round(avg(overall_health_score), 2) AS avg_score
  FROM {app}.customer_health
 WHERE is_current
 GROUP BY health_status
 ORDER BY health_status
