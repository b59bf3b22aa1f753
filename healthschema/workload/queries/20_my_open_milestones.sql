-- name: my_open_milestones
-- question: Which open milestones are assigned to me, earliest target first?
-- persona: assignee_a
-- index: success_milestones_assigned_user_id_status_idx
-- scope: explicit
SELECT id, client_id, milestone_name, status, target_completion_date
  FROM {app}.success_milestones
 WHERE assigned_user_id = {user} AND status IN ('pending', 'in_progress')
 ORDER BY target_completion_date
