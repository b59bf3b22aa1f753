-- name: org_overdue_milestones
-- question: Which open milestones of my organization are overdue?
-- persona: admin_a
-- index: success_milestones_org_id_target_completion_date_open_idx
-- scope: explicit
SELECT id, client_id, milestone_type, target_completion_date
  FROM {app}.success_milestones
 WHERE organization_id = {org} AND status IN ('pending', 'in_progress') AND target_completion_date < current_date
 ORDER BY target_completion_date
 LIMIT 50
