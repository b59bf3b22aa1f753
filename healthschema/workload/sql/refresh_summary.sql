-- The current snapshots by health status (of one organization, or all when NULL).
SELECT h.health_status, count(*)::integer, round(avg(h.overall_health_score), 2)
  FROM {app}.customer_health_current AS h
 WHERE {organization}::uuid IS NULL OR h.organization_id = {organization}::uuid
 GROUP BY h.health_status
 ORDER BY min(h.overall_health_score)
