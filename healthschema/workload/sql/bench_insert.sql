INSERT INTO {app}.{target} (client_id, organization_id, engagement_score, progress_score, satisfaction_score,
                            churn_risk_score, days_since_last_activity, features_used, calculated_at)
SELECT b.client_id, b.organization_id, b.engagement_score, b.progress_score, b.satisfaction_score,
       b.churn_risk_score, b.days_since_last_activity, b.features_used, b.calculated_at
  FROM bench_snapshot AS b
