-- name: client_interaction_timeline
-- question: What support has this client had, newest first?
-- persona: admin_a
-- index: support_interactions_client_id_created_at_idx
-- scope: explicit
SELECT id, interaction_type, status, priority, created_at
  FROM {app}.support_interactions
 WHERE client_id = {client}
 ORDER BY created_at DESC
 LIMIT 50
