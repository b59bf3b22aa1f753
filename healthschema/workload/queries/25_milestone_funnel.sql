-- name: milestone_funnel
-- question: How many clients reached each status of one milestone type (vendor booking)?
-- persona: cs_agent
-- index: success_milestones_milestone_type_status_idx
-- scope: explicit
SELECT status, count(*) AS milestones
  FROM {app}.success_milestones
 WHERE milestone_type = 'vendor_booking'
 GROUP BY status
 ORDER BY status
