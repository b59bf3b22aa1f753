-- name: interactions_tagged_direct
-- question: The tag search straight on the table (what service_role sends).
-- persona: service_role
-- index: support_interactions_tags_idx
-- scope: explicit
SELECT id, organization_id, client_id, status
  FROM {app}.support_interactions
 WHERE tags @> ARRAY[{campaign_tag}]::text[]
