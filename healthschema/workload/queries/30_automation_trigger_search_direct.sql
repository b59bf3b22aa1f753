-- name: automation_trigger_search_direct
-- question: The automation search straight on the table (what service_role sends).
-- persona: service_role
-- index: success_milestones_trigger_conditions_idx
-- scope: explicit
SELECT id, client_id, milestone_name, status
  FROM {app}.success_milestones
 WHERE trigger_conditions @> {vendor_condition}
