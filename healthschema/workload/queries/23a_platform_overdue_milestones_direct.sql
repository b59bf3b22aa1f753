-- name: platform_overdue_milestones_direct
-- question: The platform-wide overdue list straight on the table (what service_role sends).
-- persona: service_role
-- index: success_milestones_target_completion_date_open_idx
-- scope: explicit
SELECT id, organization_id, client_id, milestone_type, target_completion_date
  FROM {app}.success_milestones
 WHERE status IN ('pending', 'in_progress') AND target_completion_date < current_date
 ORDER BY target_completion_date
 LIMIT 50
