-- name: client_milestone_timeline
-- question: What are this client's milestones, by target date?
-- persona: member_a
-- index: success_milestones_client_id_target_completion_date_idx
-- scope: explicit
SELECT id, milestone_name, status, target_completion_date, progress_percentage
  FROM {app}.success_milestones
 WHERE client_id = {client}
 ORDER BY target_completion_date
