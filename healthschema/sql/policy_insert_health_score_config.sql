INSERT INTO {schema}.health_score_config
    (id, weight_engagement, weight_progress, weight_satisfaction, weight_churn_risk,
     threshold_excellent, threshold_good, threshold_at_risk)
VALUES (%(key)s, 0.25, 0.25, 0.25, 0.25, 80, 60, 40)
RETURNING 1
