-- name: team_open_workload
-- question: How much open work does the support team have, by priority?
-- persona: cs_agent
-- index: support_interactions_assigned_team_priority_open_idx
-- scope: explicit
-- baseline: team_open_workload_direct
SELECT priority, open_interactions
  FROM {private}.open_interactions_by_priority('support')
