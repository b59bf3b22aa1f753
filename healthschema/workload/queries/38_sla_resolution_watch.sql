-- name: sla_resolution_watch
-- question: Which open interactions breach their resolution SLA within the next 24 hours?
-- persona: cs_agent
-- index: support_interactions_sla_resolution_due_at_open_idx
-- scope: explicit
SELECT id, organization_id, client_id, priority, sla_resolution_due_at
  FROM {app}.support_interactions
 WHERE status IN ('open', 'in_progress', 'pending_customer', 'escalated') AND sla_resolution_due_at < now() + interval '24 hours'
 ORDER BY sla_resolution_due_at
 LIMIT 50
