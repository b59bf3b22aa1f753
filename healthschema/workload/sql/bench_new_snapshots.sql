-- The rows of a bulk snapshot insert: {rows} new snapshots, cycling over the clients, built from
-- their current snapshots (one hour apart per round, so every row is the client's newest).
CREATE TEMP TABLE bench_snapshot ON COMMIT DROP AS
WITH cur AS (
    SELECT h.*, row_number() OVER (ORDER BY h.client_id) AS rn, count(*) OVER () AS n
      FROM {app}.customer_health AS h
     WHERE h.is_current
)
SELECT cur.client_id, cur.organization_id, cur.engagement_score, cur.progress_score, cur.satisfaction_score,
       cur.churn_risk_score, cur.days_since_last_activity, cur.features_used,
       now() + (g.round + 1) * interval '1 hour' AS calculated_at
  FROM cur
 CROSS JOIN generate_series(0, {rows} / greatest(1, (SELECT count(*) FROM {app}.customer_health WHERE is_current))) AS g(round)
 WHERE g.round * cur.n + cur.rn <= {rows};
