-- name: org_overdue_milestones_rls
-- question: Overdue milestones as an app sends it: no organization filter, RLS scopes it.
-- persona: admin_a
-- index: success_milestones_org_id_target_completion_date_open_idx
-- persona_index: success_milestones_target_completion_date_open_idx
-- why: the planner expects the organization filter to keep 2% of the rows and reads overdue milestones in date order until 50 of the organization are found
-- scope: rls
-- baseline: org_overdue_milestones
SELECT id, client_id, milestone_type, target_completion_date
  FROM {app}.success_milestones
 WHERE status IN ('pending', 'in_progress') AND target_completion_date < current_date
 ORDER BY target_completion_date
 LIMIT 50
