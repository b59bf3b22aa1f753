-- name: platform_overdue_milestones
-- question: Which open milestones are overdue platform-wide, oldest first?
-- persona: cs_agent
-- index: success_milestones_target_completion_date_open_idx
-- scope: explicit
-- baseline: platform_overdue_milestones_direct
SELECT id, organization_id, client_id, milestone_type, target_completion_date
  FROM {private}.overdue_milestones(current_date, 50)
