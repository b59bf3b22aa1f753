-- name: milestone_funnel_direct
-- question: The funnel straight on the table (what service_role sends).
-- persona: service_role
-- index: success_milestones_milestone_type_status_idx
-- scope: explicit
SELECT status, count(*) AS milestones
  FROM {app}.success_milestones
 WHERE milestone_type = 'vendor_booking'
 GROUP BY status
 ORDER BY status
