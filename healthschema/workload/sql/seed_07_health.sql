-- Seed step 7: customer_health history, 50 weekly snapshots per client (the last one, a few
-- hours old, is the current snapshot), {scale} rows in all. Each client drifts from a base level
-- set by its vitality, so the platform has every health status. features_used: timeline,
-- guest_list or forms, seating_chart for engaged clients, and one of 200 integration_N keys. The triggers are off during the
-- seed: overall_health_score and health_status are computed here with the formula of
-- {private}.health_overall_score / health_status_for and the weights and thresholds of
-- health_score_config (tests/test_workload_seed.py proves both agree on every seeded row).
INSERT INTO {app}.customer_health (
    client_id, organization_id, engagement_score, progress_score, satisfaction_score, churn_risk_score,
    overall_health_score, health_status, is_current, last_login_at, total_logins, days_since_last_activity,
    features_used, task_completion_rate, messages_sent, messages_received, response_rate,
    wedding_progress_percentage, milestones_completed, overdue_tasks, support_tickets_count,
    score_calculation_version, calculated_at, created_at, updated_at)
SELECT h.client_id, h.organization_id, h.engagement, h.progress, h.satisfaction, h.churn,
       o.score,
       CASE WHEN o.score >= cfg.threshold_excellent THEN 'excellent' WHEN o.score >= cfg.threshold_good THEN 'good'
            WHEN o.score >= cfg.threshold_at_risk THEN 'at_risk' ELSE 'critical' END,
       h.week = h.weeks, h.calculated_at - interval '2 days', h.week * 3, h.inactive,
       CASE WHEN h.engagement > 40 THEN jsonb_build_object('timeline', h.week % 7, 'guest_list', h.week % 5)
            ELSE jsonb_build_object('forms', 1) END
           || CASE WHEN h.engagement > 75 THEN jsonb_build_object('seating_chart', 2) ELSE '{{}}'::jsonb END
           || jsonb_build_object('integration_' || (h.client_n % 200), 1),
       h.progress, h.week % 9, h.week % 6, round((50 + 50 * h.vitality)::numeric, 2), h.progress,
       h.week / 6, floor(4 * (1 - h.vitality) * random())::int, floor(3 * (1 - h.vitality) * random())::int,
       'seed-v1', h.calculated_at, h.calculated_at, h.calculated_at
  FROM (
    SELECT c.id AS client_id, c.n AS client_n, c.organization_id, c.vitality, w.week, w.weeks,
           now() - (w.weeks - w.week) * interval '7 days' - (c.n % 24) * interval '1 hour' AS calculated_at,
           round(least(100, greatest(0, 100 * c.vitality + 15 * sin(w.week + c.n) + 10 * random()))::numeric, 2)
               AS engagement,
           round(least(100, greatest(0, 30 + 60 * c.vitality * w.week / w.weeks + 10 * random()))::numeric, 2)
               AS progress,
           CASE WHEN random() < 0.2 THEN NULL
                ELSE round(least(100, greatest(0, 40 + 50 * c.vitality + 20 * random() - 10))::numeric, 2) END
               AS satisfaction,
           round(least(100, greatest(0, 90 - 80 * c.vitality + 15 * cos(w.week + c.n) + 5 * random()))::numeric, 2)
               AS churn,
           floor(30 * (1 - c.vitality) * random())::int AS inactive
      FROM seed_client AS c
     CROSS JOIN LATERAL (
         SELECT g AS week, (SELECT s.health_rows / s.clients FROM seed_size AS s)
                           + CASE WHEN c.n <= (SELECT s.health_rows % s.clients FROM seed_size AS s) THEN 1 ELSE 0 END
                    AS weeks
           FROM generate_series(1, (SELECT s.health_rows / s.clients FROM seed_size AS s)
                                   + CASE WHEN c.n <= (SELECT s.health_rows % s.clients FROM seed_size AS s)
                                          THEN 1 ELSE 0 END) AS g) AS w
  ) AS h
 CROSS JOIN {app}.health_score_config AS cfg
 CROSS JOIN LATERAL (
     SELECT round(CASE
                WHEN h.satisfaction IS NULL THEN
                    (cfg.weight_engagement * h.engagement + cfg.weight_progress * h.progress
                     + cfg.weight_churn_risk * (100 - h.churn))
                    / (cfg.weight_engagement + cfg.weight_progress + cfg.weight_churn_risk)
                ELSE cfg.weight_engagement * h.engagement + cfg.weight_progress * h.progress
                     + cfg.weight_satisfaction * h.satisfaction + cfg.weight_churn_risk * (100 - h.churn)
            END, 2) AS score) AS o;
