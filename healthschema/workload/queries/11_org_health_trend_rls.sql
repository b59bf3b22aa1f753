-- name: org_health_trend_rls
-- question: The weekly trend as an app sends it: no organization filter, RLS scopes it.
-- persona: admin_a
-- index: customer_health_org_id_calculated_at_idx
-- scope: rls
-- baseline: org_health_trend
SELECT date_trunc('week', calculated_at) AS week, round(avg(overall_health_score), 2) AS avg_score, count(*) AS snapshots
  FROM {app}.customer_health
 WHERE calculated_at >= now() - interval '12 weeks'
 GROUP BY 1
 ORDER BY 1
