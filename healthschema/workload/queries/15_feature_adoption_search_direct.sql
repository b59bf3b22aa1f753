-- name: feature_adoption_search_direct
-- question: The feature search straight on the table (what service_role sends).
-- persona: service_role
-- index: customer_health_features_used_current_idx
-- scope: explicit
SELECT client_id, organization_id, overall_health_score
  FROM {app}.customer_health
 WHERE is_current AND features_used ? {feature}
