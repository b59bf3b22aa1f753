-- name: interactions_tagged
-- question: Which interactions carry a campaign tag?
-- persona: cs_agent
-- index: support_interactions_tags_idx
-- scope: explicit
-- baseline: interactions_tagged_direct
SELECT id, organization_id, client_id, status
  FROM {private}.search_interactions_tagged(ARRAY[{campaign_tag}]::text[])
