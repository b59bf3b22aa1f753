-- name: sla_response_breaches
-- question: Which open interactions have no first response and a breached response SLA?
-- persona: cs_agent
-- index: support_interactions_sla_response_due_at_open_idx
-- scope: explicit
SELECT id, organization_id, client_id, priority, sla_response_due_at
  FROM {app}.support_interactions
 WHERE first_response_at IS NULL AND status IN ('open', 'in_progress', 'pending_customer', 'escalated') AND sla_response_due_at < now()
 ORDER BY sla_response_due_at
 LIMIT 50
