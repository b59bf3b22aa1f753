-- name: milestone_funnel
-- question: How many clients reached each status of one milestone type (vendor booking)?
-- persona: cs_agent
-- index: success_milestones_milestone_type_status_idx
-- scope: explicit
-- baseline: milestone_funnel_direct
SELECT status, milestones
  FROM {private}.milestone_status_counts('vendor_booking')
