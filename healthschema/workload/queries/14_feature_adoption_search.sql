-- name: feature_adoption_search
-- question: Which clients currently use an integration (features_used has the key)?
-- persona: cs_agent
-- index: customer_health_features_used_current_idx
-- scope: explicit
-- baseline: feature_adoption_search_direct
SELECT client_id, organization_id, overall_health_score
  FROM {private}.search_current_health_using_feature({feature})
