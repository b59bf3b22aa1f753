-- name: interactions_about_milestone
-- question: Which interactions are about this milestone?
-- persona: admin_a
-- index: support_interactions_related_milestone_id_idx
-- scope: explicit
SELECT id, interaction_type, status, created_at
  FROM {app}.support_interactions
 WHERE related_milestone_id = {related_milestone}
