-- The clients most at risk: current status at_risk or critical, lowest score first.
SELECT o.name, coalesce(c.first_name || ' ' || c.last_name, c.id::text), h.overall_health_score, h.health_status,
       h.churn_risk_score, h.days_since_last_activity
  FROM {app}.customer_health_current AS h
  JOIN {app}.clients AS c ON c.id = h.client_id
  JOIN {app}.organizations AS o ON o.id = h.organization_id
 WHERE h.health_status IN ('at_risk', 'critical')
   AND ({organization}::uuid IS NULL OR h.organization_id = {organization}::uuid)
 ORDER BY h.overall_health_score, h.client_id
 LIMIT {limit}
