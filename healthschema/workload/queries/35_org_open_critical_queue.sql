-- name: org_open_critical_queue
-- question: Which critical interactions of my organization are open, oldest first?
-- persona: admin_a
-- index: support_interactions_org_id_priority_open_idx
-- scope: explicit
SELECT id, client_id, subject, created_at, sla_resolution_due_at
  FROM {app}.support_interactions
 WHERE organization_id = {org} AND status IN ('open', 'in_progress', 'pending_customer', 'escalated') AND priority = 'critical'
 ORDER BY created_at
 LIMIT 50
