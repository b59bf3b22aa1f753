-- name: team_open_workload_direct
-- question: The team workload straight on the table (what service_role sends).
-- persona: service_role
-- index: support_interactions_assigned_team_priority_open_idx
-- scope: explicit
SELECT priority, count(*) AS open_interactions
  FROM {app}.support_interactions
 WHERE assigned_team = 'support' AND status IN ('open', 'in_progress', 'pending_customer', 'escalated')
 GROUP BY priority
 ORDER BY priority
