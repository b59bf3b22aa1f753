-- name: org_health_trend
-- question: How did my organization's average health develop week by week (12 weeks)?
-- persona: admin_a
-- index: customer_health_org_id_calculated_at_idx
-- scope: explicit
SELECT date_trunc('week', calculated_at) AS week, round(avg(overall_health_score), 2) AS avg_score, count(*) AS snapshots
  FROM {app}.customer_health
 WHERE organization_id = {org} AND calculated_at >= now() - interval '12 weeks'
 GROUP BY 1
 ORDER BY 1
