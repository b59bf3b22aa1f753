-- name: my_open_interactions
-- question: Which open interactions are assigned to me?
-- persona: assignee_a
-- index: support_interactions_assigned_user_id_status_idx
-- scope: explicit
SELECT id, client_id, subject, priority, created_at
  FROM {app}.support_interactions
 WHERE assigned_user_id = {user} AND status IN ('open', 'in_progress', 'pending_customer', 'escalated')
 ORDER BY created_at
