-- name: team_open_workload
-- question: How much open work does the support team have, by priority?
-- persona: cs_agent
-- index: support_interactions_assigned_team_priority_open_idx
-- scope: explicit
SELECT priority, count(*) AS open_interactions
  FROM {app}.support_interactions
 WHERE assigned_team = 'support' AND status IN ('open', 'in_progress', 'pending_customer', 'escalated')
 GROUP BY priority
 ORDER BY priority
