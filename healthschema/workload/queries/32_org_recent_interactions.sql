-- name: org_recent_interactions
-- question: What are my organization's most recent interactions?
-- persona: admin_a
-- index: support_interactions_org_id_created_at_idx
-- scope: explicit
SELECT id, client_id, interaction_type, status, created_at
  FROM {app}.support_interactions
 WHERE organization_id = {org}
 ORDER BY created_at DESC
 LIMIT 50
