-- name: automation_trigger_search
-- question: Which milestones does an automation event for a vendor touch?
-- persona: cs_agent
-- index: success_milestones_trigger_conditions_idx
-- scope: explicit
-- baseline: automation_trigger_search_direct
SELECT id, client_id, milestone_name, status
  FROM {private}.search_milestones_triggered_by({vendor_condition})
