-- name: critical_path_next_weddings
-- question: Which open critical-path milestones belong to the nearest weddings?
-- persona: cs_agent
-- index: success_milestones_wedding_date_critical_open_idx
-- scope: explicit
SELECT id, organization_id, client_id, milestone_type, wedding_date, target_completion_date
  FROM {app}.success_milestones
 WHERE is_critical_path AND status IN ('pending', 'in_progress') AND wedding_date >= current_date
 ORDER BY wedding_date
 LIMIT 50
