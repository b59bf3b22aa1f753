-- name: org_open_critical_queue_rls
-- question: The open critical queue as an app sends it: no organization filter, RLS scopes it.
-- persona: admin_a
-- index: support_interactions_org_id_priority_open_idx
-- scope: rls
-- baseline: org_open_critical_queue
SELECT id, client_id, subject, created_at, sla_resolution_due_at
  FROM {app}.support_interactions
 WHERE status IN ('open', 'in_progress', 'pending_customer', 'escalated') AND priority = 'critical'
 ORDER BY created_at
 LIMIT 50
